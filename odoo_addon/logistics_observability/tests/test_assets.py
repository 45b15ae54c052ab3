# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestAssets(TransactionCase):
    def test_dashboard_is_in_the_backend_bundle(self):
        """Odoo transpiles the esbuild bundle as one of its modules; a syntax it cannot read would be logged as
        an asset error (which test:addon also looks for in the server log) and the module would be missing."""
        bundle = self.env["ir.qweb"]._get_asset_bundle("web.assets_backend", css=True, js=True)
        js = bundle.js().raw.decode()
        self.assertIn("odoo.define('@logistics_observability/dashboard/dashboard'", js)
        self.assertIn("logistics_observability.dashboard", js)
        self.assertNotIn("Could not get content", js)
