# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import TransactionCase, new_test_user, tagged

from .common import GROUP_MANAGER, GROUP_USER, alert_notification, incident_notification

SILENT = "The backend has not reported since 6 Dec 11:40: these states may be out of date."


@tagged("post_install", "-at_install")
class TestStaleBackend(TransactionCase):
    """Alert and incident records say when the backend behind them stopped reporting (its heartbeat, one write per
    cycle): a firing alert stays firing in Odoo when the backend that would resolve it has stopped."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.backend_user = new_test_user(cls.env, login="lo_hb_backend", groups=GROUP_MANAGER)
        cls.reader = new_test_user(cls.env, login="lo_hb_reader", groups=GROUP_USER, tz="Europe/Brussels")
        cls.Heartbeat = cls.env["logistics.backend.heartbeat"].with_user(cls.backend_user)
        cls.env["logistics.alert"].with_user(cls.backend_user).record_transitions([alert_notification("hb-alert-fired")])
        cls.env["logistics.incident"].with_user(cls.backend_user).record_transitions([incident_notification("hb-incident-opened")])
        cls.alert = cls.env["logistics.alert"].with_user(cls.reader).search([("tenant", "=", "demo")], limit=1)
        cls.incident = cls.env["logistics.incident"].with_user(cls.reader).search([("tenant", "=", "demo")], limit=1)

    def beat(self, at, interval=60, tenant="demo"):
        with freeze_time(at):
            return self.Heartbeat.record_heartbeat(tenant, interval)

    def silent(self, at, records=None):
        """What a reader in Brussels sees at `at`: (silent?, message) for the alert and the incident."""
        self.env.invalidate_all()  # computed on read, at the time read
        with freeze_time(at):
            return [(r.backend_silent, r.backend_silent_message) for r in (records or [self.alert, self.incident])]

    def test_one_row_per_tenant_updated_each_cycle(self):
        self.beat("2026-12-06 10:39:00")
        answer = self.beat("2026-12-06 10:40:00")
        self.assertEqual(answer, {"tenant": "demo", "reported_at": "2026-12-06 10:40:00"})
        rows = self.env["logistics.backend.heartbeat"].search([("tenant", "=", "demo")])
        self.assertEqual(len(rows), 1)
        self.assertEqual((rows.reported_at, rows.interval_seconds), (datetime(2026, 12, 6, 10, 40), 60))

    def test_a_backend_that_reports_each_cycle_is_not_silent(self):
        self.beat("2026-12-06 10:40:00")
        self.assertEqual(self.silent("2026-12-06 10:42:59"), [(False, False)] * 2)

    def test_silent_after_three_cycles_in_the_readers_time_zone(self):
        self.beat("2026-12-06 10:40:00")
        self.assertEqual(self.silent("2026-12-06 10:43:01"), [(True, SILENT)] * 2)

    def test_three_cycles_of_the_backends_own_interval(self):
        self.beat("2026-12-06 10:40:00", interval=600)
        self.assertEqual(self.silent("2026-12-06 11:09:00"), [(False, False)] * 2)
        self.assertEqual(self.silent("2026-12-06 11:10:01")[0][0], True)

    def test_another_year_names_the_year(self):
        self.beat("2025-12-06 10:40:00")
        self.assertEqual(self.silent("2026-01-02 09:00:00")[0][1],
                         "The backend has not reported since 6 Dec 2025 11:40: these states may be out of date.")

    def test_another_tenants_silence_is_not_this_ones(self):
        self.beat("2026-12-06 10:40:00")
        self.beat("2026-12-06 09:00:00", tenant="us")
        self.assertEqual(self.silent("2026-12-06 10:41:00"), [(False, False)] * 2)

    def test_without_any_heartbeat_nothing_is_claimed(self):
        # Records from a backend that leaves no heartbeat (an older version): nothing says whether it still runs.
        self.assertEqual(self.silent("2026-12-06 10:40:00"), [(False, False)] * 2)

    def test_the_empty_lists_do_not_say_all_is_well(self):
        def help_text(xmlid):
            # As /web/action/load reads it for the reader: sudo, as that user.
            return self.env.ref(xmlid).with_user(self.reader).sudo()._get_action_dict()["help"]

        alerts, incidents = "logistics_observability.logistics_alert_action", "logistics_observability.logistics_incident_action"
        self.beat("2026-12-06 10:40:00")
        with freeze_time("2026-12-06 10:41:00"):
            self.assertIn("No alert is firing", help_text(alerts))
        with freeze_time("2026-12-06 11:00:00"):
            silent = help_text(alerts)
            self.assertIn(SILENT, help_text(incidents))
        self.assertNotIn("No alert is firing", silent)
        self.assertIn(SILENT, silent)

    def test_list_and_form_views_show_it(self):
        for model in ("logistics.alert", "logistics.incident"):
            views = self.env[model].with_user(self.reader).get_views([(False, "list"), (False, "form")])["views"]
            self.assertIn('name="backend_silent_message"', views["list"]["arch"], model)
            self.assertIn("o_logistics_backend_silent", views["form"]["arch"], model)

    def test_only_the_backends_user_reports_and_with_sense(self):
        with self.assertRaises(AccessError):
            self.env["logistics.backend.heartbeat"].with_user(self.reader).record_heartbeat("demo", 60)
        for tenant, interval in (("", 60), ("demo", 0), ("demo", "60"), ("demo", True), ("demo", 86401)):
            with self.subTest(tenant=tenant, interval=interval), self.assertRaises(UserError):
                self.Heartbeat.record_heartbeat(tenant, interval)
