# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from unittest.mock import patch

import requests
from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import TransactionCase, new_test_user, tagged

from ..models.logistics_backend import BackendUnavailable
from .common import GROUP_MANAGER, GROUP_USER, backend_answer

TOKEN = "lo-silence-token-do-not-leak-77"
POST = "odoo.addons.logistics_observability.models.logistics_backend.requests.post"


@tagged("post_install", "-at_install")
class TestSilence(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["logistics.backend"]._set_credentials("http://backend.test:8080/", TOKEN)
        cls.manager = new_test_user(cls.env, login="lo_shift_lead", groups=GROUP_MANAGER)
        cls.alert = cls.env["logistics.alert"].create({
            "summary": "demo: Carrier label failures (carrier=dhl,channel=web)", "tenant": "demo",
            "sli": "label_failure_ratio", "labels": "carrier=dhl,channel=web", "severity": "page",
            "fingerprint": "demo/label_failure_ratio/silence-test",
        })

    def _wizard(self, **values):
        action = self.alert.with_user(self.manager).action_open_silence_wizard()
        self.assertEqual(action["res_model"], "logistics.alert.silence.wizard")
        return self.env[action["res_model"]].with_user(self.manager).with_context(action["context"]).create(
            dict({"comment": "DHL outage, ticket 4711"}, **values))

    @freeze_time("2026-11-29 08:00:00")
    def test_this_alert_posts_its_matchers_with_the_token_and_notes_it(self):
        wizard = self._wizard()
        self.assertEqual((wizard.duration_hours, wizard.scope), (4.0, "alert"))
        with patch(POST, return_value=backend_answer(201, {"id": 7})) as post:
            result = wizard.action_confirm()
        post.assert_called_once()
        args, kwargs = post.call_args
        self.assertEqual(args, ("http://backend.test:8080/api/v1/silences",))
        self.assertEqual(kwargs["json"], {
            "matchers": {"tenant": "demo", "sli": "label_failure_ratio", "carrier": "dhl", "channel": "web"},
            "creator": "lo_shift_lead (Odoo)",
            "comment": "DHL outage, ticket 4711",
            "endsAt": "2026-11-29T12:00:00+00:00",
        })
        self.assertEqual(kwargs["headers"], {"Authorization": f"Bearer {TOKEN}"})
        self.assertFalse(kwargs["allow_redirects"])
        self.assertEqual(result["params"]["type"], "success")
        note = self.alert.message_ids[0]
        self.assertIn("Silenced until", str(note.body))
        self.assertIn("lo_shift_lead (Odoo): DHL outage, ticket 4711", str(note.body))

    @freeze_time("2026-11-29 08:00:00")
    def test_all_alerts_of_the_tenant(self):
        with patch(POST, return_value=backend_answer(201, {"id": 8})) as post:
            self._wizard(scope="tenant", duration_hours=720).action_confirm()
        self.assertEqual(post.call_args.kwargs["json"]["matchers"], {"tenant": "demo"})
        self.assertEqual(post.call_args.kwargs["json"]["endsAt"], "2026-12-29T08:00:00+00:00")

    def test_the_backend_refusal_is_shown_and_nothing_is_noted(self):
        notes = len(self.alert.message_ids)
        wizard = self._wizard()
        with patch(POST, return_value=backend_answer(400, {"error": "endsAt: must be in the future", "parameter": "endsAt"})), \
                self.assertRaises(UserError) as caught:
            wizard.action_confirm()
        self.assertIn("endsAt: must be in the future", str(caught.exception))
        self.assertEqual(len(self.alert.message_ids), notes)

    def test_an_unreachable_backend_is_a_user_error_without_the_token(self):
        wizard = self._wizard()
        with patch(POST, side_effect=requests.ConnectionError(f"refused, Bearer {TOKEN}")), \
                self.assertRaises(UserError) as caught:
            wizard.action_confirm()
        self.assertIn("cannot be reached", str(caught.exception))
        self.assertNotIn(TOKEN, str(caught.exception))

    def test_duration_is_bounded(self):
        for hours in (0, -1, 721):
            with self.subTest(hours=hours), self.assertRaises(ValidationError) as caught:
                self._wizard(duration_hours=hours)
            self.assertIn("Duration (hours)", str(caught.exception))

    def test_only_managers_silence(self):
        viewer = new_test_user(self.env, login="lo_viewer_silence", groups=GROUP_USER)
        with self.assertRaises(AccessError):
            self.env["logistics.alert.silence.wizard"].with_user(viewer).create(
                {"alert_id": self.alert.id, "comment": "not mine to mute"})

    def test_only_the_silence_resource_may_be_posted(self):
        with patch(POST) as post, self.assertRaises(BackendUnavailable) as caught:
            self.env["logistics.backend"]._post("tenants", {})
        self.assertIn("Unknown backend resource", str(caught.exception))
        post.assert_not_called()
