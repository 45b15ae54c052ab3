# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from unittest.mock import patch

from odoo.exceptions import UserError
from odoo.tests import TransactionCase, new_test_user, tagged

from ..models.logistics_backend import PARAM_TENANT
from .common import GROUP_MANAGER, backend_answer

GET = "odoo.addons.logistics_observability.models.logistics_backend.requests.get"
POST = "odoo.addons.logistics_observability.models.logistics_backend.requests.post"


@tagged("post_install", "-at_install")
class TestTenantPinning(TransactionCase):
    """On a backend shared by several companies, a database set to its tenant sees and silences that tenant only."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        params = cls.env["ir.config_parameter"].sudo()
        cls.env["logistics.backend"]._set_credentials("http://backend.test:8080", "pinning-token-0123456789")
        params.set_param(PARAM_TENANT, "eu")
        cls.Backend = cls.env["logistics.backend"]

    def test_every_read_asks_for_its_own_tenant_whatever_was_asked(self):
        with patch(GET, return_value=backend_answer(200, {"slis": [{"tenant": "eu"}, {"tenant": "us"}, {"tenant": "global"}]})) as get:
            body = self.Backend._get("slis/current", {"tenant": "us"})
        self.assertEqual(get.call_args.kwargs["params"], {"tenant": "eu"})
        self.assertEqual([s["tenant"] for s in body["slis"]], ["eu", "global"])

    def test_tenant_and_collector_lists_keep_their_own(self):
        with patch(GET, return_value=backend_answer(200, {"tenants": [{"name": "eu"}, {"name": "us"}]})):
            self.assertEqual(self.Backend._get("tenants"), {"tenants": [{"name": "eu"}]})
        collectors = [{"tenant": "eu"}, {"tenant": "us"}, {"tenant": "global"}]
        with patch(GET, return_value=backend_answer(200, {"collectors": collectors})):
            self.assertEqual([c["tenant"] for c in self.Backend._get("collectors")["collectors"]], ["eu", "global"])

    def test_an_alert_of_another_tenant_cannot_be_silenced_from_here(self):
        manager = new_test_user(self.env, login="lo_pin_lead", groups=GROUP_MANAGER)
        alert = self.env["logistics.alert"].create({
            "summary": "us: Late open deliveries", "tenant": "us", "sli": "late_open_deliveries", "severity": "page",
            "fingerprint": "us/late_open_deliveries/pin-test",
        })
        action = alert.with_user(manager).action_open_silence_wizard()
        wizard = self.env[action["res_model"]].with_user(manager).with_context(action["context"]).create(
            {"comment": "not ours", "scope": "tenant"})
        with patch(POST) as post, self.assertRaises(UserError) as caught:
            wizard.action_confirm()
        post.assert_not_called()
        self.assertIn("tenant eu only", str(caught.exception))
