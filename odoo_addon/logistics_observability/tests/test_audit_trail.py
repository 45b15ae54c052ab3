# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import json
import re
from datetime import timedelta
from unittest.mock import patch

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from .common import GROUP_MANAGER, GROUP_USER

WRONG_PASSWORD = "lo-wrong-Pa55word-never-stored"
SECRET_VALUE = "lo-secret-value-never-stored"


@tagged("post_install", "-at_install")
class TestAuditTrail(HttpCase):
    """An HttpCase: its requests and the cursors a failed login opens share the test's transaction, so the events
    written "on a separate cursor" are visible here and rolled back with the test."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin = new_test_user(cls.env, login="lo_audit_admin",
                                  groups="base.group_user,base.group_system,base.group_partner_manager,stock.group_stock_manager")
        cls.target = new_test_user(cls.env, login="lo_audit_target", groups="base.group_user")
        cls.manager = new_test_user(cls.env, login="lo_audit_manager", groups=GROUP_MANAGER)
        cls.viewer = new_test_user(cls.env, login="lo_audit_viewer", groups=GROUP_USER)
        cls.Event = cls.env["logistics.audit.event"]

    def setUp(self):
        super().setUp()
        self.started = fields.Datetime.now() - timedelta(seconds=1)
        self.last_id = self.Event.search([], order="id desc", limit=1).id or 0
        # Odoo refuses logins from an address after ten failures in a row: leave none behind for other tests.
        self.addCleanup(lambda: getattr(self.registry, "_login_failures", {}).clear())

    def new_events(self, category):
        self.env.invalidate_all()
        return self.Event.search([("id", ">", self.last_id), ("category", "=", category)], order="id")

    def assert_never_stored(self, *secrets):
        self.env.flush_all()
        self.env.cr.execute("SELECT row_to_json(e)::text FROM logistics_audit_event e WHERE id > %s", [self.last_id])
        stored = "\n".join(row for [row] in self.env.cr.fetchall())
        for secret in secrets:
            self.assertNotIn(secret, stored)

    def rpc(self, service, method, *args):
        payload = {"jsonrpc": "2.0", "method": "call", "id": 1, "params": {"service": service, "method": method, "args": list(args)}}
        return self.url_open("/jsonrpc", data=json.dumps(payload), headers={"Content-Type": "application/json"}).json()

    @mute_logger("odoo.http")
    def test_failed_logins_record_the_login_and_address_never_the_password(self):
        db = self.env.cr.dbname
        answer = self.url_open("/web/session/authenticate", data=json.dumps(
            {"jsonrpc": "2.0", "method": "call", "params": {"db": db, "login": "lo_audit_target", "password": WRONG_PASSWORD}}
        ), headers={"Content-Type": "application/json"}).json()
        self.assertIn("error", answer)
        page = self.url_open("/web/login").text
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        form = self.url_open("/web/login", data={"login": "lo_audit_target", "password": WRONG_PASSWORD, "csrf_token": csrf})
        self.assertIn("Wrong login/password", form.text)
        self.assertIs(self.rpc("common", "login", db, "lo_nobody", WRONG_PASSWORD)["result"], False)
        self.assertIn("error", self.rpc("object", "execute_kw", db, self.target.id, WRONG_PASSWORD, "res.partner", "search_count", [[]]))

        events = self.new_events("login_failed")
        self.assertEqual(events.mapped("login"), ["lo_audit_target", "lo_audit_target", "lo_nobody", "lo_audit_target"])
        self.assertEqual(set(events.mapped("action")), {"failed"})
        self.assertEqual(set(events.mapped("remote_addr")), {"127.0.0.1"})
        self.assertEqual(events[0].actor_id, self.target, "the user whose login was tried")
        self.assertFalse(events[2].actor_id, "nobody has that login")
        self.assertEqual(events[2].detail, "RPC login refused: unknown login")
        self.assertEqual(events[3].detail, "RPC call refused: wrong password or API key")
        self.assertTrue(all(self.started <= e.occurred_at <= fields.Datetime.now() for e in events))
        self.assert_never_stored(WRONG_PASSWORD)

    def test_becoming_and_ceasing_to_be_settings_administrator_is_recorded(self):
        system = self.env.ref("base.group_system")
        # The user form writes the reified selection field of the Administration category, as Odoo 18 does.
        field = next(name for name in self.env["res.users"].fields_get() if name.startswith("sel_groups_")
                     and str(system.id) in name.split("_")[2:])
        self.target.with_user(self.admin).write({field: system.id})
        granted = self.new_events("privilege")
        self.assertEqual(
            sorted(granted.mapped("target_name")), ["Administration / Access Rights", "Administration / Settings"],
            "Settings implies Access Rights: both are gained",
        )
        settings = granted.filtered(lambda e: e.target_name == "Administration / Settings")
        self.assertEqual((settings.action, settings.target_model, settings.target_id), ("granted", "res.users", self.target.id))
        self.assertEqual((settings.actor_id, settings.actor_login), (self.admin, "lo_audit_admin"))
        self.assertEqual(settings.detail, "lo_audit_target added to Administration / Settings")
        self.assertGreaterEqual(settings.occurred_at, self.started)

        self.last_id = granted[-1].id
        self.target.with_user(self.admin).write({field: False})
        revoked = self.new_events("privilege")
        self.assertEqual(set(revoked.mapped("action")), {"revoked"})
        self.assertIn("Administration / Settings", revoked.mapped("target_name"))

    def test_group_members_written_from_the_group_are_recorded(self):
        self.env.ref("stock.group_stock_manager").with_user(self.admin).write({"users": [(4, self.target.id)]})
        [event] = self.new_events("privilege")
        self.assertEqual((event.action, event.target_name, event.target_id), ("granted", "Inventory / Administrator", self.target.id))
        self.target.with_user(self.admin).write({"name": "Renamed"})
        self.assertEqual(len(self.new_events("privilege")), 1, "no group written, nothing recorded")

    def test_new_internal_users_are_recorded_portal_users_not(self):
        new_test_user(self.env(user=self.admin), login="lo_audit_new", groups="base.group_user")
        new_test_user(self.env(user=self.admin), login="lo_audit_portal", groups="base.group_portal")
        [event] = self.new_events("user_created")
        self.assertEqual((event.action, event.target_name, event.actor_id), ("created", "lo_audit_new", self.admin))

    def test_api_keys_created_and_removed_by_name_never_the_key(self):
        keys = self.env["res.users.apikeys"].with_user(self.admin)
        key = keys._generate(None, "lo backend", None)
        keys.search([("name", "=", "lo backend")])._remove()
        created, deleted = self.new_events("api_key")
        self.assertEqual((created.action, created.target_name, created.actor_id), ("created", "lo backend", self.admin))
        self.assertEqual(created.detail, "API key of lo_audit_admin (scope rpc, persistent)")
        self.assertEqual((deleted.action, deleted.target_name, deleted.target_id), ("deleted", "lo backend", created.target_id))
        self.assert_never_stored(key)

    def test_system_parameters_by_key_never_the_value(self):
        params = self.env["ir.config_parameter"].with_user(self.admin)
        params.set_param("lo.audit.api_key", SECRET_VALUE)
        params.set_param("lo.audit.api_key", SECRET_VALUE + "2")
        params.set_param("lo.audit.api_key", SECRET_VALUE + "2")  # unchanged: Odoo writes nothing
        params.set_param("lo.audit.api_key", False)
        events = self.new_events("config")
        self.assertEqual(events.mapped("action"), ["created", "changed", "deleted"])
        self.assertEqual(set(events.mapped("target_name")), {"lo.audit.api_key"})
        self.assertEqual(events[1].detail, "value changed")
        self.assert_never_stored(SECRET_VALUE)

    def test_mail_servers_and_carrier_credentials_by_field_name(self):
        server = self.env["ir.mail_server"].with_user(self.admin).create({"name": "LO relay", "smtp_host": "localhost"})
        server.write({"smtp_host": "smtp.example.com", "smtp_user": "lo", "smtp_pass": SECRET_VALUE})
        service = self.env["product.product"].create({"name": "LO Audit Shipping", "type": "service"})
        carrier = self.env["delivery.carrier"].create({"name": "LO", "product_id": service.id}).with_user(self.admin)
        carrier.write({"name": "LO Carrier"})
        carrier.write({"prod_environment": True})
        created, changed, credentials = self.new_events("config")
        self.assertEqual((created.action, created.target_name), ("created", "LO relay"))
        self.assertEqual(changed.detail, "fields changed: smtp_host, smtp_pass, smtp_user")
        self.assertEqual((credentials.target_model, credentials.target_name, credentials.detail),
                         ("delivery.carrier", "LO Carrier", "fields changed: prod_environment"))
        self.assert_never_stored(SECRET_VALUE)

    def test_module_operations_with_the_module_names(self):
        module = self.env["ir.module.module"].search([("name", "=", "board"), ("state", "=", "uninstalled")])
        if not module:
            self.skipTest("the board module is installed in this database")
        Module = type(self.env["ir.module.module"])
        # Installing for real is neither fast nor allowed in a test: run the button underneath, not the reload.
        with patch.object(Module, "_button_immediate_function", lambda self, function: function(self) and {}):
            module.with_user(self.admin).button_immediate_install()
        [event] = self.new_events("module")
        self.assertEqual((event.action, event.target_name, event.detail), ("install", "board", "install requested: board"))
        self.assertEqual(module.state, "to install", "the install itself ran")

    def test_exports_count_their_records(self):
        partners = self.env["res.partner"].with_user(self.admin).search([], limit=3)
        partners.export_data(["name", "email"])
        self.Event.with_user(self.admin).search([]).export_data(["category", "detail"])
        partner_export, trail_export = self.new_events("export")
        self.assertEqual((partner_export.target_model, partner_export.rows, partner_export.actor_id), ("res.partner", 3, self.admin))
        self.assertEqual(partner_export.detail, "3 records, fields: name, email")
        self.assertEqual(trail_export.target_model, "logistics.audit.event", "exporting the trail is an export too")

    def test_events_are_read_only_even_for_whoever_reads_them(self):
        self.env["ir.config_parameter"].set_param("lo.audit.flag", "1")
        [event] = self.new_events("config")
        as_manager = event.with_user(self.manager)
        self.assertEqual(as_manager.target_name, "lo.audit.flag")
        with self.assertRaises(UserError):
            as_manager.write({"detail": "nothing happened"})
        with self.assertRaises(UserError):
            event.sudo().write({"detail": "nothing happened"})
        with self.assertRaises(AccessError), mute_logger("odoo.models"):
            as_manager.unlink()
        with self.assertRaises(AccessError), mute_logger("odoo.models"):
            self.Event.with_user(self.admin).create({"category": "config", "action": "forged"})
        with self.assertRaises(AccessError), mute_logger("odoo.models"):
            event.with_user(self.viewer).read(["detail"])

    def test_read_since_pages_by_id_for_the_backend(self):
        params = self.env["ir.config_parameter"]
        for n in range(3):
            params.set_param(f"lo.audit.page{n}", "1")
        rows = self.Event.with_user(self.manager).read_since(self.last_id, limit=2)
        self.assertEqual([row["target_name"] for row in rows], ["lo.audit.page0", "lo.audit.page1"])
        self.assertRegex(rows[0]["occurred_at"], r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$")
        self.assertEqual(rows[0]["actor_id"], self.env.user.id)
        self.assertEqual(set(rows[0]), {"id", "occurred_at", "category", "action", "actor_id", "actor_login", "login",
                                        "remote_addr", "target_model", "target_id", "target_name", "detail", "rows"})
        [last] = self.Event.with_user(self.manager).read_since(rows[-1]["id"])
        self.assertEqual(last["target_name"], "lo.audit.page2")

    def test_retention_deletes_only_events_older_than_the_parameter(self):
        Event = self.Event.sudo()
        old = Event.create({"category": "config", "action": "changed", "detail": "old", "occurred_at": fields.Datetime.now() - timedelta(days=401)})
        recent = Event.create({"category": "config", "action": "changed", "detail": "recent", "occurred_at": fields.Datetime.now() - timedelta(days=399)})
        self.assertGreaterEqual(self.Event._gc_expired(), 1)
        self.assertFalse(old.exists())
        self.assertTrue(recent.exists())
        self.env["ir.config_parameter"].sudo().set_param("logistics_observability.audit_retention_days", "0")
        older = Event.create({"category": "config", "action": "changed", "detail": "kept", "occurred_at": fields.Datetime.now() - timedelta(days=4000)})
        self.assertEqual(self.Event._gc_expired(), 0)
        self.assertTrue(older.exists())
