# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import threading
from http.server import HTTPServer

from odoo.tests import TransactionCase, tagged

from ..models.logistics_settings import OBJECTIVES, SLO
from ..models.res_config_settings import IN_FORCE_DEFAULTS
from .common import JsonBackend

TOKEN = "lo-objectives-token-4242"
#: What the backend's GET /api/v1/catalog answers, in its units (an operator who chose other objectives).
CATALOG = {
    "slis": [
        {"id": "on_time_delivery_ratio", "unit": "ratio", "objective": 0.9},
        {"id": "late_open_deliveries", "unit": "count", "objective": 25},
        {"id": "label_failure_ratio", "unit": "ratio", "objective": 0.02},
        {"id": "order_confirm_to_full_ship_p95_seconds", "unit": "seconds", "objective": 36 * 3600},
    ],
    "slo": {"target": 0.995, "windowDays": 14},
}


class FakeCatalog(JsonBackend):
    catalog = CATALOG

    def answer(self):
        return FakeCatalog.catalog


@tagged("post_install", "-at_install")
class TestSettingsObjectivesInForce(TransactionCase):
    """An objective field left empty shows the objective in force (not 0), and stays "the default" end to end."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        server = HTTPServer(("127.0.0.1", 0), FakeCatalog)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        cls.addClassCleanup(server.shutdown)
        cls.url = f"http://127.0.0.1:{server.server_port}"
        cls.env["logistics.backend"]._set_credentials(cls.url, TOKEN)
        cls.params = cls.env["ir.config_parameter"].sudo()
        for key in list(OBJECTIVES) + list(SLO):
            cls.params.set_param(key, False)
        cls.Settings = cls.env["res.config.settings"].with_user(cls.env.ref("base.user_admin"))

    def setUp(self):
        super().setUp()
        FakeCatalog.catalog = CATALOG

    def test_the_backends_catalogue_in_the_fields_units(self):
        self.assertEqual(self.Settings.logistics_objectives_in_force(), {
            "logistics_target_on_time": {"value": 0.9, "source": "backend"},
            "logistics_target_late_open": {"value": 25, "source": "backend"},
            "logistics_target_label_failures": {"value": 0.02, "source": "backend"},
            "logistics_target_full_ship_p95": {"value": 36.0, "source": "backend"},
            "logistics_slo_target": {"value": 0.995, "source": "backend"},
            "logistics_slo_window_days": {"value": 14, "source": "backend"},
        })

    def test_the_addons_defaults_when_the_backend_cannot_be_asked(self):
        self.env["logistics.backend"]._set_credentials("http://127.0.0.1:9", TOKEN)
        answer = self.Settings.logistics_objectives_in_force()
        self.assertEqual({name: entry["value"] for name, entry in answer.items()}, IN_FORCE_DEFAULTS)
        self.assertEqual({entry["source"] for entry in answer.values()}, {"addon"})

    def test_a_backend_without_slo_defaults_in_its_catalogue_gives_the_addons(self):
        FakeCatalog.catalog = {"slis": CATALOG["slis"]}
        answer = self.Settings.logistics_objectives_in_force()
        self.assertEqual(answer["logistics_slo_target"], {"value": 0.99, "source": "addon"})
        self.assertEqual(answer["logistics_target_late_open"], {"value": 25, "source": "backend"})

    def test_empty_fields_read_empty_and_store_nothing(self):
        values = self.Settings.default_get(list(IN_FORCE_DEFAULTS))
        # Nothing stored: no value (0 in the form's record, which the objective field shows empty, with its placeholder).
        self.assertEqual({name: values[name] for name in IN_FORCE_DEFAULTS}, dict.fromkeys(IN_FORCE_DEFAULTS, False))
        self.Settings.create({"logistics_target_late_open": 12}).execute()
        self.assertEqual(self.env["logistics.settings"].objectives(), {"objectives": {"late_open_deliveries": 12}, "slo": {}})
        # Cleared again: nothing is stored, and the backend's own objective applies again.
        self.Settings.create({"logistics_target_late_open": 0}).execute()
        self.assertFalse(self.params.get_param("logistics_observability.target.late_open_deliveries"))
        self.assertEqual(self.env["logistics.settings"].objectives(), {"objectives": {}, "slo": {}})
