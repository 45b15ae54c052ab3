# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import json
import threading
from http.server import HTTPServer

from psycopg2 import IntegrityError

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from .common import JsonBackend

TOKEN = "lo-test-token-do-not-leak-4242"


class FakeBackend(JsonBackend):
    """Stands in for the observability backend on loopback and remembers the Authorization it received."""

    seen_authorization = []
    #: What GET /api/v1/token answers: who the token is.
    whoami = {"operator": False, "id": 7, "tenant": "demo", "scopes": ["read", "write"]}

    def answer(self):
        FakeBackend.seen_authorization.append(self.headers.get("Authorization"))
        if self.path.startswith("/api/v1/token"):
            return FakeBackend.whoami
        if self.path.startswith("/api/v1/tenants"):
            return {"tenants": [{"name": "demo"}]}
        return {"slis": [{"tenant": "demo", "sli": "late_open_deliveries", "value": 3, "status": "ok"}]}


@tagged("post_install", "-at_install")
class TestAccess(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.server = HTTPServer(("127.0.0.1", 0), FakeBackend)
        threading.Thread(target=cls.server.serve_forever, daemon=True).start()
        cls.addClassCleanup(cls.server.shutdown)
        cls.env["logistics.backend"]._set_credentials(f"http://127.0.0.1:{cls.server.server_port}", TOKEN)
        cls.outsider = new_test_user(cls.env, login="lo_outsider", groups="base.group_user")
        cls.manager = new_test_user(cls.env, login="lo_manager", groups="base.group_user,logistics_observability.group_logistics_health_user")

    def test_user_without_the_group_gets_403_and_no_menu(self):
        self.authenticate("lo_outsider", "lo_outsider")
        response = self.url_open("/logistics_observability/api/slis/current")
        self.assertEqual(response.status_code, 403)
        root = self.env.ref("logistics_observability.menu_logistics_health_root")
        self.assertNotIn(root.id, self.env["ir.ui.menu"].with_user(self.outsider)._visible_menu_ids())
        self.assertIn(root.id, self.env["ir.ui.menu"].with_user(self.manager)._visible_menu_ids())

    def test_forwarded_with_the_token_which_never_reaches_the_browser(self):
        self.authenticate("lo_manager", "lo_manager")
        response = self.url_open("/logistics_observability/api/slis/current?tenant=demo")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["slis"][0]["value"], 3)
        self.assertNotIn(TOKEN, response.text)
        self.assertIn(f"Bearer {TOKEN}", FakeBackend.seen_authorization)

    def test_settings_form_never_sends_the_token(self):
        self.authenticate("admin", "admin")
        fields = ["logistics_backend_url", "logistics_backend_token", "logistics_backend_token_set"]
        result = self.make_jsonrpc_request(
            "/web/dataset/call_kw/res.config.settings/onchange",
            {"model": "res.config.settings", "method": "onchange", "args": [[], {}, [], {f: {} for f in fields}], "kwargs": {}},
        )
        self.assertNotIn(TOKEN, json.dumps(result))
        self.assertTrue(result["value"]["logistics_backend_token_set"])

    def test_unreachable_backend_is_a_friendly_error(self):
        self.env["logistics.backend"]._set_credentials("http://127.0.0.1:9", TOKEN)
        self.authenticate("lo_manager", "lo_manager")
        response = self.url_open("/logistics_observability/api/slis/current")
        self.assertEqual(response.status_code, 502)
        self.assertIn("cannot be reached", response.json()["error"])
        self.assertNotIn(TOKEN, response.text)

    def test_no_odoo_user_reads_the_token_not_even_administrators(self):
        admin = self.env.ref("base.user_admin")
        self.assertFalse(self.env["ir.config_parameter"].sudo().search([("value", "like", TOKEN)]), "not a system parameter")
        with self.assertRaises(AccessError):
            self.env["logistics.backend.secret"].with_user(admin).search_read([], ["token"])
        answer = self.env["logistics.snapshot"].with_user(admin).batch([
            {"model": "logistics.backend.secret", "method": "search_read", "kwargs": {"domain": [], "fields": ["token"]}},
        ])
        self.assertEqual(answer[0]["error"]["name"], "odoo.exceptions.AccessError")
        self.assertNotIn(TOKEN, json.dumps(answer))

    def test_unknown_resource_is_refused(self):
        self.authenticate("lo_manager", "lo_manager")
        self.assertEqual(self.url_open("/logistics_observability/api/events/backup").status_code, 404)


@tagged("post_install", "-at_install")
class TestAlertRights(HttpCase):
    def test_alerts_are_written_only_by_the_backend_one_record_per_episode(self):
        user = new_test_user(self.env, login="lo_viewer", groups="base.group_user,logistics_observability.group_logistics_health_user")
        manager = new_test_user(self.env, login="lo_boss", groups="base.group_user,logistics_observability.group_logistics_health_manager")
        vals = {"summary": "demo: late open deliveries 14 > 10", "tenant": "demo", "sli": "late_open_deliveries",
                "severity": "page", "fingerprint": "demo/late_open_deliveries/1"}
        alert = self.env["logistics.alert"].create(vals)
        self.assertEqual(self.env["logistics.alert"].with_user(user).search([]).ids, alert.ids)
        # What an alert says (its tenant above all: silences are made from it) comes from the backend, through
        # record_transitions; nobody edits it by hand, managers included.
        for someone in (user, manager):
            with self.assertRaises(AccessError):
                alert.with_user(someone).write({"tenant": "another-tenant"})
        with self.assertRaises(AccessError):
            self.env["logistics.alert"].with_user(manager).create(dict(vals, fingerprint="demo/x/2"))
        alert.with_user(user).message_post(body="Carrier called, label API back at 11:40", message_type="comment")
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"), self.env.cr.savepoint():
            self.env["logistics.alert"].create(vals)
