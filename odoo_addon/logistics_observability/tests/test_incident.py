# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import TransactionCase, new_test_user, tagged

from ..models.logistics_alert import PARAM_RECIPIENTS
from .common import ALERT_FINGERPRINT, GROUP_MANAGER, GROUP_USER, alert_notification, incident_notification

DHL = "the DHL Express label service"


@tagged("post_install", "-at_install")
class TestIncident(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.recipient = new_test_user(cls.env, login="lo_inc_oncall", groups=GROUP_USER, email="oncall@example.com")
        cls.backend_user = new_test_user(cls.env, login="lo_inc_backend", groups=GROUP_MANAGER)
        cls.env["ir.config_parameter"].sudo().set_param(PARAM_RECIPIENTS, str(cls.recipient.id))
        cls.Incident = cls.env["logistics.incident"].with_user(cls.backend_user)

    def _record(self, *notifications):
        return self.Incident.record_transitions(list(notifications))

    def _incident(self, answer):
        return self.env["logistics.incident"].browse(answer["id"])

    def _mails(self, incident):
        return self.env["mail.mail"].search([("model", "=", "logistics.incident"), ("res_id", "=", incident.id)], order="id")

    def _alert(self, fingerprint=ALERT_FINGERPRINT):
        [answer] = self.env["logistics.alert"].with_user(self.backend_user).record_transitions(
            [alert_notification(f"fired {fingerprint}", fingerprint=fingerprint, mail=False)])
        return self.env["logistics.alert"].browse(answer["id"])

    def test_opened_records_the_incident_links_its_alerts_and_mails_its_cause(self):
        alert = self._alert()
        other = self._alert(fingerprint="demo/late_waves@1795860000000")
        [answer] = self._record(incident_notification("i-opened"))
        self.assertEqual((answer["key"], answer["mailed"], answer["duplicate"]), ("i-opened", True, False))
        incident = self._incident(answer)
        self.assertRecordValues(incident, [{
            "incident_ref": "17", "tenant": "demo", "title": "demo: Carrier label failures (dhl)", "state": "open",
            "severity": "page", "probable_cause": DHL, "mttd_display": "4 min", "mttr_display": False,
            "mttd_known": True, "mttr_known": False, "last_transition": "opened", "resolved_at": False,
        }])
        self.assertEqual(str(incident.first_abnormal_at), "2026-11-29 10:00:00")
        self.assertEqual(incident.cause_ids.mapped("rank"), [1, 2])
        self.assertEqual(incident.cause_ids[0].confidence, 0.8)
        self.assertEqual(incident.timeline_ids.mapped("kind"), ["abnormal", "opened"], "ordered by time")
        self.assertEqual(incident.alert_ids, alert)
        self.assertEqual(alert.incident_id, incident)
        self.assertFalse(other.incident_id)
        self.assertIn(self.recipient.partner_id, incident.message_partner_ids, "the recipients follow the incident")
        mail = self._mails(incident)
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.subject, incident_notification("x")["subject"])
        self.assertEqual(mail.recipient_ids, self.recipient.partner_id)
        self.assertEqual(mail.state, "outgoing")
        self.assertEqual(self.env["logistics.incident.notification"].search([("key", "=", "i-opened")]).mail_id, mail)
        body = str(mail.body_html)
        for expected in (DHL, "DHL label errors 0%", "80%", "20%", "row locks in demo", "incident opened",
                         "2026-11-29 10:00:00", "4 min", "is open.",
                         f"/odoo/action-logistics_observability.logistics_incident_action/{incident.id}"):
            self.assertIn(expected, body)

    def test_the_same_key_twice_records_and_mails_once(self):
        [first] = self._record(incident_notification("i-once"))
        again = self._record(incident_notification("i-once", title="changed"), incident_notification("i-once"))
        self.assertEqual([a["duplicate"] for a in again], [True, True])
        self.assertEqual({a["id"] for a in again}, {first["id"]})
        self.assertTrue(again[0]["mailed"], "a duplicate answers what the first call did")
        incident = self._incident(first)
        self.assertEqual(incident.title, "demo: Carrier label failures (dhl)")
        self.assertEqual(self.env["logistics.incident"].search_count([("incident_ref", "=", "17")]), 1)
        self.assertEqual(len(self._mails(incident)), 1)

    def test_a_cause_transition_replaces_the_causes(self):
        [first] = self._record(incident_notification("i-1"))
        causes = [{"rank": 1, "layer": "change", "subject": "the deploy of 10:58",
                   "evidence": "deploy 2 min before label failures", "confidence": 0.55}]
        [answer] = self._record(incident_notification("i-2", "cause", causes=causes, subject="[PAGE] cause changed"))
        incident = self._incident(answer)
        self.assertEqual(answer["id"], first["id"])
        self.assertEqual(incident.cause_ids.mapped("subject"), ["the deploy of 10:58"])
        self.assertEqual(incident.probable_cause, "the deploy of 10:58")
        self.assertEqual(self.env["logistics.incident.cause"].search_count([("incident_id", "=", incident.id)]), 1)
        self.assertEqual(self._mails(incident).mapped("subject")[-1], "[PAGE] cause changed")
        self.assertIn("has a new probable cause", str(self._mails(incident)[-1].body_html))
        self._record(incident_notification("i-3", "cause", causes=[]))
        self.assertEqual(incident.probable_cause, "unknown")
        self.assertIn("Unknown so far", str(self._mails(incident)[-1].body_html))

    def test_resolved_sets_the_state_and_time_of_resolution(self):
        self._record(incident_notification("i-1"))
        [answer] = self._record(incident_notification(
            "i-2", "resolved", state="resolved", resolved_at="2026-11-29 11:12:00", mttr_seconds=4320,
            subject="[RESOLVED] demo: Carrier label failures (dhl)"))
        incident = self._incident(answer)
        self.assertEqual(incident.state, "resolved")
        self.assertEqual(str(incident.resolved_at), "2026-11-29 11:12:00")
        self.assertEqual(incident.mttr_display, "72 min")
        mails = self._mails(incident)
        self.assertEqual(mails.mapped("subject")[-1], "[RESOLVED] demo: Carrier label failures (dhl)")
        self.assertIn("is resolved.", str(mails[-1].body_html))
        self.assertIn("72 min", str(mails[-1].body_html))

    def test_news_of_it_open_after_its_resolution_is_recorded_not_applied(self):
        self._record(incident_notification("i-1", "resolved", state="resolved", resolved_at="2026-11-29 11:12:00"))
        [late] = self._record(incident_notification("i-2", "repeat", title="late"))
        incident = self._incident(late)
        self.assertFalse(late["mailed"])
        self.assertEqual((incident.state, incident.title), ("resolved", "demo: Carrier label failures (dhl)"))
        self.assertEqual(len(self._mails(incident)), 1)

    def test_mail_false_records_without_mail(self):
        [answer] = self._record(incident_notification("i-quiet", mail=False))
        self.assertFalse(answer["mailed"])
        self.assertEqual(self._incident(answer).state, "open")
        self.assertFalse(self._mails(self._incident(answer)))

    def test_an_alert_recorded_after_its_incident_is_linked_on_arrival(self):
        [answer] = self._record(incident_notification("i-first"))
        self.assertFalse(self._incident(answer).alert_ids)
        alert = self._alert()
        self.assertEqual(alert.incident_id, self._incident(answer))
        unrelated = self._alert(fingerprint="demo/label_failure_ratio/carrier=dhl@1795860000001")
        self.assertFalse(unrelated.incident_id, "a fingerprint matches whole")

    def test_one_incident_per_backend_id_and_company(self):
        other_company = self.env["res.company"].create({"name": "Other logistics"})
        other_backend = new_test_user(self.env, login="lo_inc_backend_2", groups=GROUP_MANAGER,
                                      company_id=other_company.id, company_ids=[Command.set(other_company.ids)])
        [here] = self._record(incident_notification("i-here"))
        [there] = self.env["logistics.incident"].with_user(other_backend).record_transitions(
            [incident_notification("i-there")])
        self.assertNotEqual(here["id"], there["id"])
        self.assertEqual(self._incident(there).company_id, other_company)

    def test_a_bad_notification_names_its_key_and_field_and_records_nothing(self):
        cause = incident_notification("x")["causes"][1]
        cases = [
            (incident_notification("i-bad", "exploded"), ["'i-bad'", "transition", "exploded"]),
            (incident_notification("i-bad", severity="urgent"), ["'i-bad'", "severity"]),
            (incident_notification("i-bad", state="closed"), ["'i-bad'", "state"]),
            (incident_notification("i-bad", incident=17), ["'i-bad'", "incident", "a string"]),
            (incident_notification("i-bad", first_abnormal_at=None), ["'i-bad'", "first_abnormal_at", "required"]),
            (incident_notification("i-bad", opened_at="yesterday"), ["'i-bad'", "opened_at"]),
            (incident_notification("i-bad", mttd_seconds="4 min"), ["'i-bad'", "mttd_seconds"]),
            (incident_notification("i-bad", causes=[dict(cause, confidence=80)]), ["'i-bad'", "causes[0]", "confidence"]),
            (incident_notification("i-bad", causes=[dict(cause, rank="1")]), ["'i-bad'", "causes[0]", "rank"]),
            (incident_notification("i-bad", causes="dhl"), ["'i-bad'", "causes", "a list"]),
            (incident_notification("i-bad", timeline=[{"at": "now", "kind": "opened", "text": "x"}]), ["'i-bad'", "timeline[0]", "at"]),
            (incident_notification("i-bad", alerts=[42]), ["'i-bad'", "alerts[0]"]),
            (incident_notification("i-bad", mail="yes"), ["'i-bad'", "mail"]),
            (incident_notification(None), ["#1", "key", "required"]),
            ("opened", ["#1", "an object"]),
        ]
        for notification, words in cases:
            with self.subTest(words=words), self.assertRaises(UserError) as caught:
                self._record(incident_notification("i-good"), notification)
            for word in words:
                self.assertIn(word, str(caught.exception))
        self.assertFalse(self.env["logistics.incident.notification"].search([("key", "=", "i-good")]),
                         "the call is checked before anything is written")
        self.assertFalse(self.env["logistics.incident"].search([("incident_ref", "=", "17")]))

    def test_users_read_incidents_only_managers_record_them(self):
        [answer] = self._record(incident_notification("i-read"))
        viewer = new_test_user(self.env, login="lo_inc_viewer", groups=GROUP_USER)
        incident = self.env["logistics.incident"].with_user(viewer).browse(answer["id"])
        self.assertEqual(incident.probable_cause, DHL)
        self.assertEqual(incident.cause_ids.mapped("subject"), [DHL, "row locks in demo's database"])
        self.assertEqual(len(incident.timeline_ids), 2)
        incident.message_post(body="DHL confirmed an outage of their label API", message_type="comment")
        with self.assertRaises(AccessError):
            incident.write({"title": "renamed"})
        with self.assertRaises(AccessError):
            self.env["logistics.incident"].with_user(viewer).record_transitions([incident_notification("i-denied")])
        self.assertFalse(self.env["logistics.incident.notification"].search([("key", "=", "i-denied")]))

