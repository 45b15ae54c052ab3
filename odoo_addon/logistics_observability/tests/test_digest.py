# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from unittest.mock import patch

import requests

from odoo.tests import TransactionCase, new_test_user, tagged

from ..models.logistics_backend import PARAM_TENANT
from .common import GROUP_MANAGER, GROUP_USER, backend_answer

GET = "odoo.addons.logistics_observability.models.logistics_backend.requests.get"

#: What the backend's GET /api/v1/digest answers (server/report/digest.ts), trimmed to what the mail shows.
DIGEST = {
    "tenant": "eu", "timezone": "Europe/Brussels", "weekStart": "2026-11-30", "weekEnd": "2026-12-06",
    "from": "2026-11-29T23:00:00.000Z", "to": "2026-12-06T23:00:00.000Z", "complete": True,
    "kpis": [
        {"key": "service_levels_met", "label": "Service levels met", "unit": "count", "better": "higher", "thisWeek": 12, "lastWeek": 13,
         "outOf": {"thisWeek": 14, "lastWeek": 14}, "trend": "worse"},
        {"key": "incidents", "label": "Incidents", "unit": "count", "better": "lower", "thisWeek": 2, "lastWeek": 5, "trend": "better"},
        {"key": "pages", "label": "Incidents that paged", "unit": "count", "better": "lower", "thisWeek": 1, "lastWeek": 1, "trend": "same"},
        {"key": "mttd", "label": "Mean time to detect (MTTD)", "unit": "seconds", "better": "lower", "thisWeek": 120, "lastWeek": 600, "trend": "better"},
        {"key": "mttr", "label": "Mean time to resolve (MTTR)", "unit": "seconds", "better": "lower", "thisWeek": 5400, "lastWeek": None, "trend": None},
        {"key": "incidents_with_cause", "label": "Incidents with a probable cause", "unit": "count", "better": "higher", "thisWeek": 1, "lastWeek": 4,
         "outOf": {"thisWeek": 2, "lastWeek": 5}, "trend": "worse"},
    ],
    "serviceLevels": {"measured": 14, "met": 12, "lastWeek": {"measured": 14, "met": 13}, "slis": [
        {"sli": "on_time_delivery_ratio", "title": "On-time deliveries (Odoo On Time %)", "target": 0.99, "share": 0.955, "lastWeekShare": 0.995,
         "met": False, "metLastWeek": True},
    ]},
    "incidents": {"count": 2, "pages": 1, "open": 0, "meanMttdSeconds": 120, "meanMttrSeconds": 5400, "withCause": 1,
                  "lastWeek": {"count": 5}, "list": [
        {"id": 17, "title": "Carrier label failures (dhl)", "severity": "page", "state": "resolved", "openedAt": "2026-12-01T10:00:00.000Z",
         "resolvedAt": "2026-12-01T10:30:00.000Z", "mttdSeconds": 120, "mttrSeconds": 1920, "causeLayer": "integration",
         "cause": "the DHL Express label service (DHL label errors 0% -> 38%)"},
        {"id": 18, "title": "Late open deliveries", "severity": "ticket", "state": "open", "openedAt": "2026-12-03T16:00:00.000Z",
         "resolvedAt": None, "mttdSeconds": 300, "mttrSeconds": None, "causeLayer": None, "cause": None},
    ]},
    "topCauses": [{"layer": "integration", "count": 1, "lastWeek": 0}, {"layer": "unknown", "count": 1, "lastWeek": 3}],
}


@tagged("post_install", "-at_install")
class TestWeeklyDigest(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["logistics.backend"]._set_credentials("http://backend.test:8080", "digest-token-0123456789")
        cls.env["ir.config_parameter"].sudo().set_param(PARAM_TENANT, "eu")
        cls.brussels = new_test_user(cls.env, login="lo_digest_bxl", groups=GROUP_MANAGER, email="bxl@example.com", tz="Europe/Brussels")
        cls.new_york = new_test_user(cls.env, login="lo_digest_ny", groups=GROUP_MANAGER, email="ny@example.com", tz="America/New_York")
        cls.follower = new_test_user(cls.env, login="lo_digest_user", groups=GROUP_USER, email="user@example.com")
        cls.cron = cls.env.ref("logistics_observability.ir_cron_weekly_digest")

    def _run(self, **answer):
        before = self.env["mail.mail"].search([]).ids
        with patch(GET, **answer) as get:
            self.cron.method_direct_trigger()
        mails = self.env["mail.mail"].search([("id", "not in", before)], order="id")
        return mails, get

    def _mail_to(self, mails, user):
        return mails.filtered(lambda m: m.recipient_ids == user.partner_id)

    def test_the_weekly_cron_is_there_and_weekly(self):
        self.assertEqual((self.cron.name, self.cron.interval_number, self.cron.interval_type), ("Logistics Health: weekly digest", 1, "weeks"))
        self.assertTrue(self.cron.active)

    def test_one_mail_per_manager_queued_with_the_digest(self):
        mails, get = self._run(return_value=backend_answer(200, DIGEST))
        self.assertEqual(get.call_args.args[0], "http://backend.test:8080/api/v1/digest")
        self.assertEqual(get.call_args.kwargs["params"], {"tenant": "eu"}, "its own tenant's digest")
        managers = self.env["logistics.digest"]._recipients()
        self.assertIn(self.brussels, managers)
        self.assertNotIn(self.env.ref("base.user_root"), managers)
        self.assertEqual(len(mails), len(managers), "one mail per manager")
        self.assertEqual(mails.mapped("recipient_ids"), managers.partner_id)
        self.assertFalse(self._mail_to(mails, self.follower), "Logistics Health users who are not managers get none")
        mail = self._mail_to(mails, self.brussels)
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.state, "outgoing", "left in Odoo's queue, which sends and retries it")
        self.assertEqual(mail.subject, "Logistics Health weekly digest: eu, 2026-11-30 to 2026-12-06: 12 of 14 service levels met, 2 incident(s)")
        body = str(mail.body_html)
        for expected in ("Service levels met", "12 of 14", "13 of 14", "Mean time to detect (MTTD)", "2 min", "10 min", "1.5 hr",
                         "On-time deliveries (Odoo On Time %)", "95.5%", "99.5%", "Carrier label failures (dhl)", "32 min",
                         "integration: the DHL Express label service", "still open", "cause unknown", "(last week 3)",
                         "/odoo/action-logistics_observability.logistics_dashboard_action"):
            self.assertIn(expected, body)

    def test_times_in_each_managers_time_zone(self):
        mails, _get = self._run(return_value=backend_answer(200, DIGEST))
        # 10:00 UTC on Tuesday 1 December: 11:00 in Brussels, 05:00 in New York.
        self.assertIn("Tue 1 Dec 11:00", str(self._mail_to(mails, self.brussels).body_html))
        self.assertIn("Europe/Brussels", str(self._mail_to(mails, self.brussels).body_html))
        self.assertIn("Tue 1 Dec 05:00", str(self._mail_to(mails, self.new_york).body_html))

    def test_figures_in_each_managers_language(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        paris = new_test_user(self.env, login="lo_digest_fr", groups=GROUP_MANAGER, email="fr@example.com", tz="Europe/Paris", lang="fr_FR")
        mails, _get = self._run(return_value=backend_answer(200, DIGEST))
        body = str(self._mail_to(mails, paris).body_html)
        self.assertIn("95,5\u00a0%", body, "French percent")
        self.assertIn("1,5\u202fh", body, "French duration")
        self.assertIn("mar. 1 déc. 11:00", body, "French day and month, Paris time")

    def test_backend_unreachable_says_so_instead_of_staying_silent(self):
        mails, _get = self._run(side_effect=requests.ConnectionError("refused"))
        managers = self.env["logistics.digest"]._recipients()
        self.assertEqual(len(mails), len(managers))
        mail = self._mail_to(mails, self.brussels)
        self.assertEqual(mail.subject, "Logistics Health weekly digest: the backend could not be reached")
        self.assertIn("could not be reached", str(mail.body_html))
        self.assertIn("The backend cannot be reached (ConnectionError).", str(mail.body_html))
        self.assertNotIn("12 of 14", str(mail.body_html))

    def test_a_refusal_is_said_with_its_reason(self):
        mails, _get = self._run(return_value=backend_answer(403, {"error": "tenant: this token is bound to tenant \"us\""}))
        body = str(self._mail_to(mails, self.brussels).body_html)
        self.assertIn("403", body)
        self.assertIn("bound to tenant", body)
