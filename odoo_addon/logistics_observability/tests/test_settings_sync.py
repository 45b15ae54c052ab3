# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import TransactionCase, new_test_user, tagged

from ..models.logistics_settings import OBJECTIVES, SLO
from .common import GROUP_USER

PREFIX = "logistics_observability."


@tagged("post_install", "-at_install")
class TestSettingsSync(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.params = cls.env["ir.config_parameter"].sudo()
        for key in list(OBJECTIVES) + list(SLO):
            cls.params.set_param(key, False)
        cls.reader = new_test_user(cls.env, login="lo_sampler", groups=GROUP_USER)
        cls.Settings = cls.env["logistics.settings"].with_user(cls.reader)

    def test_fresh_install_defers_to_the_backend(self):
        self.assertEqual(self.Settings.objectives(), {"objectives": {}, "slo": {}})

    def test_only_what_the_administrator_set_in_the_backend_units(self):
        self.params.set_param(PREFIX + "target.order_confirm_to_full_ship_p95_hours", "48.0")
        self.params.set_param(PREFIX + "target.late_open_deliveries", "12")
        self.params.set_param(PREFIX + "slo.window_days", "14")
        self.assertEqual(self.Settings.objectives(), {
            "objectives": {"order_confirm_to_full_ship_p95_seconds": 172800.0, "late_open_deliveries": 12},
            "slo": {"windowDays": 14},
        })

    def test_the_settings_page_stores_every_objective(self):
        self.env["res.config.settings"].create({
            "logistics_target_on_time": 0.95, "logistics_target_late_open": 10, "logistics_target_label_failures": 0.01,
            "logistics_target_full_ship_p95": 48, "logistics_slo_target": 0.995, "logistics_slo_window_days": 30,
        }).execute()
        self.assertEqual(self.Settings.objectives(), {
            "objectives": {"on_time_delivery_ratio": 0.95, "late_open_deliveries": 10, "label_failure_ratio": 0.01,
                           "order_confirm_to_full_ship_p95_seconds": 172800.0},
            "slo": {"target": 0.995, "windowDays": 30},
        })

    def test_saving_the_page_without_objectives_keeps_the_backends_own(self):
        # The first save (to enter the backend URL) must not pin the backend's defaults on this database.
        self.env["res.config.settings"].create({"logistics_backend_url": "http://backend:8080"}).execute()
        self.assertEqual(self.Settings.objectives(), {"objectives": {}, "slo": {}})

    def test_slo_settings_are_validated_with_the_field_named(self):
        cases = [
            ({"logistics_slo_target": 1.0}, "Service level target"),
            ({"logistics_slo_target": -0.5}, "Service level target"),
            ({"logistics_slo_window_days": -1}, "SLO window (days)"),
            ({"logistics_slo_window_days": 91}, "SLO window (days)"),
        ]
        for values, field in cases:
            with self.subTest(values=values), self.assertRaises(ValidationError) as caught:
                self.env["res.config.settings"].create(values)
            self.assertIn(field, str(caught.exception))

    def test_a_value_typed_by_hand_that_is_not_a_number_is_left_out(self):
        self.params.set_param(PREFIX + "target.label_failure_ratio", "one percent")
        self.params.set_param(PREFIX + "slo.target", "0.98")
        with self.assertLogs("odoo.addons.logistics_observability.models.logistics_settings", "WARNING"):
            answer = self.Settings.objectives()
        self.assertEqual(answer, {"objectives": {}, "slo": {"target": 0.98}})

    def test_only_logistics_health_users_read_the_settings(self):
        outsider = new_test_user(self.env, login="lo_outsider_settings", groups="base.group_user")
        with self.assertRaises(AccessError):
            self.env["logistics.settings"].with_user(outsider).objectives()
