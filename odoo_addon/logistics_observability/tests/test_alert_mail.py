# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import AccessError, UserError
from odoo.tests import TransactionCase, new_test_user, tagged

from ..models.logistics_alert import PARAM_RECIPIENTS
from .common import GROUP_MANAGER, GROUP_USER, alert_notification

SUBJECT = "demo: Carrier label failures (carrier=dhl)"


@tagged("post_install", "-at_install")
class TestAlertMail(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.recipient = new_test_user(cls.env, login="lo_oncall", groups=GROUP_USER, email="oncall@example.com")
        cls.backend_user = new_test_user(cls.env, login="lo_backend", groups=GROUP_MANAGER)
        cls.env["ir.config_parameter"].sudo().set_param(PARAM_RECIPIENTS, str(cls.recipient.id))
        cls.Alert = cls.env["logistics.alert"].with_user(cls.backend_user)

    def _record(self, *notifications):
        return self.Alert.record_transitions(list(notifications))

    def _mails(self, alert):
        return self.env["mail.mail"].search([("model", "=", "logistics.alert"), ("res_id", "=", alert.id)], order="id")

    def test_fired_records_the_alert_and_queues_one_mail_to_the_recipients(self):
        [answer] = self._record(alert_notification("k-fired"))
        self.assertEqual(answer["key"], "k-fired")
        self.assertTrue(answer["mailed"])
        self.assertFalse(answer["duplicate"])
        alert = self.env["logistics.alert"].browse(answer["id"])
        self.assertRecordValues(alert, [{
            "summary": SUBJECT, "tenant": "demo", "sli": "label_failure_ratio", "labels": "carrier=dhl",
            "severity": "page", "state": "firing", "value": 0.042, "objective": 0.01, "budget_left": 0.42,
            "budget_known": True, "probable_cause": "integration", "value_display": "4.2%",
            "objective_display": "1%", "budget_left_display": "42%",
        }])
        self.assertEqual(str(alert.started_at), "2026-11-29 10:00:00")
        self.assertIn(self.recipient.partner_id, alert.message_partner_ids, "the recipients follow the alert")
        mail = self._mails(alert)
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.subject, f"[PAGE] {SUBJECT}")
        self.assertEqual(mail.recipient_ids, self.recipient.partner_id)
        self.assertEqual(mail.state, "outgoing", "left in Odoo's queue, which sends and retries it")
        self.assertEqual(self.env["logistics.alert.notification"].search([("key", "=", "k-fired")]).mail_id, mail)
        body = str(mail.body_html)
        for expected in ("4.2%", "1%", "2026-11-29 10:00", "42%", "integration",
                         "/odoo/action-logistics_observability.logistics_dashboard_action"):
            self.assertIn(expected, body)

    def test_each_recipient_reads_the_times_on_their_own_clock(self):
        brussels = new_test_user(self.env, login="lo_brussels", groups=GROUP_USER, email="quai@example.com", tz="Europe/Brussels")
        self.recipient.tz = "UTC"
        self.env["ir.config_parameter"].sudo().set_param(PARAM_RECIPIENTS, f"{self.recipient.id},{brussels.id}")
        [answer] = self._record(alert_notification("k-clocks"))
        mails = self._mails(self.env["logistics.alert"].browse(answer["id"]))
        self.assertEqual(len(mails), 2, "one mail per time zone among the recipients")
        by_partner = {m.recipient_ids: str(m.body_html) for m in mails}
        self.assertIn("2026-11-29 10:00 UTC", by_partner[self.recipient.partner_id])
        self.assertIn("2026-11-29 11:00 Europe/Brussels", by_partner[brussels.partner_id], "started 10:00 UTC is 11:00 in Brussels")

    def test_the_same_key_twice_records_and_mails_once(self):
        first = self._record(alert_notification("k-once"))
        again = self._record(alert_notification("k-once"), alert_notification("k-once"))
        self.assertEqual([a["duplicate"] for a in again], [True, True])
        self.assertEqual({a["id"] for a in again}, {first[0]["id"]})
        self.assertTrue(again[0]["mailed"], "a duplicate answers what the first call did")
        alert = self.env["logistics.alert"].browse(first[0]["id"])
        self.assertEqual(self.env["logistics.alert"].search_count([("fingerprint", "=", alert.fingerprint)]), 1)
        self.assertEqual(len(self._mails(alert)), 1)

    def test_resolved_updates_the_same_record_and_mails_resolved(self):
        fired = self._record(alert_notification("k-1"))
        resolved = self._record(alert_notification("k-2", "resolved", value=0.004, budget_left=None,
                                                    probable_cause=None, resolved_at="2026-11-29 11:30:00"))
        self.assertEqual(resolved[0]["id"], fired[0]["id"])
        alert = self.env["logistics.alert"].browse(fired[0]["id"])
        self.assertEqual(alert.state, "resolved")
        self.assertEqual(str(alert.resolved_at), "2026-11-29 11:30:00")
        self.assertEqual(alert.value_display, "0.4%")
        self.assertEqual((alert.budget_left, alert.probable_cause), (0.42, "integration"), "unknown now is not erased")
        self.assertEqual(self._mails(alert).mapped("subject"), [f"[PAGE] {SUBJECT}", f"[RESOLVED] {SUBJECT}"])

    def test_repeat_mails_again_while_firing_but_not_after_resolution(self):
        self._record(alert_notification("k-1", severity="ticket", labels="", sli_title="Carrier label failures"))
        repeat = self._record(alert_notification("k-2", "repeat", severity="ticket", labels=""))
        alert = self.env["logistics.alert"].browse(repeat[0]["id"])
        self.assertEqual(self._mails(alert).mapped("subject"), ["[TICKET] demo: Carrier label failures"] * 2)
        self._record(alert_notification("k-3", "resolved", severity="ticket", labels=""))
        late = self._record(alert_notification("k-4", "repeat", severity="ticket", labels=""))
        self.assertFalse(late[0]["mailed"])
        self.assertEqual(len(self._mails(alert)), 3)
        self.assertEqual(alert.state, "resolved")

    def test_a_firing_that_arrives_after_its_resolution_does_not_reopen_the_episode(self):
        resolved = self._record(alert_notification("k-r", "resolved", resolved_at="2026-11-29 11:30:00"))
        late = self._record(alert_notification("k-f"))
        alert = self.env["logistics.alert"].browse(resolved[0]["id"])
        self.assertEqual(late[0]["id"], alert.id)
        self.assertFalse(late[0]["mailed"])
        self.assertEqual(alert.state, "resolved")
        self.assertEqual(self._mails(alert).mapped("subject"), [f"[RESOLVED] {SUBJECT}"])

    def test_urls_compute_over_several_alerts(self):
        first = self._record(alert_notification("k-u1"))[0]["id"]
        second = self._record(alert_notification("k-u2", fingerprint="demo/other@1"))[0]["id"]
        alerts = self.env["logistics.alert"].browse([first, second])
        self.assertEqual(len(set(alerts.mapped("alert_url"))), 2)
        self.assertTrue(all(url.endswith("/odoo/action-logistics_observability.logistics_dashboard_action") for url in alerts.mapped("dashboard_url")))

    def test_fallback_already_mailed_records_without_mail(self):
        [answer] = self._record(alert_notification("k-smtp", mail=False))
        alert = self.env["logistics.alert"].browse(answer["id"])
        self.assertFalse(answer["mailed"])
        self.assertEqual(alert.state, "firing")
        self.assertFalse(self._mails(alert))

    def test_no_recipient_records_without_mail(self):
        self.env["ir.config_parameter"].sudo().set_param(PARAM_RECIPIENTS, "")
        [answer] = self._record(alert_notification("k-nobody"))
        self.assertFalse(answer["mailed"])
        self.assertFalse(self._mails(self.env["logistics.alert"].browse(answer["id"])))

    def test_missing_value_is_not_a_zero(self):
        [answer] = self._record(alert_notification("k-missing", value=None, budget_left=None))
        alert = self.env["logistics.alert"].browse(answer["id"])
        self.assertEqual(alert.value_display, "missing")
        self.assertFalse(alert.budget_known)
        self.assertNotIn("Error budget left", str(self._mails(alert).body_html))

    def test_only_managers_record_alerts(self):
        viewer = new_test_user(self.env, login="lo_viewer_rt", groups=GROUP_USER)
        with self.assertRaises(AccessError):
            self.env["logistics.alert"].with_user(viewer).record_transitions([alert_notification("k-denied")])
        self.assertFalse(self.env["logistics.alert.notification"].search([("key", "=", "k-denied")]))

    def test_a_bad_notification_names_its_key_and_field_and_records_nothing(self):
        cases = [
            (alert_notification("k-bad", "exploded"), ["'k-bad'", "transition", "exploded"]),
            (alert_notification("k-bad", severity="urgent"), ["'k-bad'", "severity"]),
            (alert_notification("k-bad", since="yesterday"), ["'k-bad'", "since"]),
            (alert_notification("k-bad", value="high"), ["'k-bad'", "value"]),
            (alert_notification("k-bad", fingerprint=""), ["'k-bad'", "fingerprint", "required"]),
            (alert_notification(None), ["#1", "key", "required"]),
            ("fired", ["#1", "an object"]),
        ]
        for notification, words in cases:
            with self.subTest(words=words), self.assertRaises(UserError) as caught:
                self._record(alert_notification("k-good"), notification)
            for word in words:
                self.assertIn(word, str(caught.exception))
        self.assertFalse(self.env["logistics.alert.notification"].search([("key", "=", "k-good")]),
                         "the call is checked before anything is written")

