# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging
import threading
from http.server import HTTPServer

from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, new_test_user, tagged

from .test_access import TOKEN, FakeBackend

TENANT = "logistics_observability.backend_tenant"
BOUND = {"operator": False, "id": 7, "tenant": "demo", "scopes": ["read", "write"]}


class _Captured(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.lines = []

    def emit(self, record):
        self.lines.append(self.format(record))


@tagged("post_install", "-at_install")
class TestSettingsTestConnection(TransactionCase):
    """Settings > Logistics Health > Test connection works on the values typed in the form, saving nothing."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.servers = []
        for _ in range(2):
            server = HTTPServer(("127.0.0.1", 0), FakeBackend)
            threading.Thread(target=server.serve_forever, daemon=True).start()
            cls.addClassCleanup(server.shutdown)
            cls.servers.append(f"http://127.0.0.1:{server.server_port}")
        cls.saved_url, cls.typed_url = cls.servers
        cls.env["logistics.backend"]._set_credentials(cls.saved_url, TOKEN)
        cls.params = cls.env["ir.config_parameter"].sudo()
        cls.params.set_param(TENANT, False)
        cls.admin = cls.env.ref("base.user_admin")
        cls.Settings = cls.env["res.config.settings"].with_user(cls.admin)

    def setUp(self):
        super().setUp()
        FakeBackend.seen_authorization.clear()
        FakeBackend.whoami = dict(BOUND)
        self.addCleanup(setattr, FakeBackend, "whoami", dict(BOUND))

    def test_a_typed_url_and_token_are_tested_and_nothing_is_saved(self):
        result = self.Settings.logistics_test_connection(self.typed_url, "typed-token-1234567890", "")
        self.assertEqual(result["type"], "success", result["message"])
        self.assertIn("Connected: the backend samples 1 tenant(s): demo", result["message"])
        self.assertEqual(FakeBackend.seen_authorization, ["Bearer typed-token-1234567890"] * 2)
        backend = self.env["logistics.backend"]
        self.assertEqual(backend._url(), self.saved_url, "the URL typed is not saved by the test")
        self.assertEqual(self.env["logistics.backend.secret"]._token_for(self.saved_url), TOKEN, "nor the token")
        self.assertFalse(self.params.get_param(TENANT), "nor the tenant")

    def test_an_empty_token_field_uses_the_token_saved_for_that_very_url_only(self):
        self.Settings.logistics_test_connection(self.saved_url, "", "")
        self.assertEqual(FakeBackend.seen_authorization, [f"Bearer {TOKEN}"] * 2)
        FakeBackend.seen_authorization.clear()
        result = self.Settings.logistics_test_connection(self.typed_url, "", "")
        self.assertEqual(result["type"], "danger")
        self.assertIn(f"No token is set for {self.typed_url}", result["message"])
        self.assertEqual(FakeBackend.seen_authorization, [], "the saved token never goes to another URL")

    def test_the_operators_token_is_refused(self):
        FakeBackend.whoami = {"operator": True, "id": None, "tenant": None, "scopes": ["read", "write", "admin"]}
        result = self.Settings.logistics_test_connection(self.typed_url, "operator-token-1234567890", "")
        self.assertEqual(result["type"], "danger")
        self.assertIn("operator's token", result["message"])
        self.assertFalse(result["tenant"])

    def test_a_bound_token_names_the_tenant_for_the_empty_field(self):
        result = self.Settings.logistics_test_connection(self.typed_url, "typed-token-1234567890", "")
        self.assertEqual(result["tenant"], "demo")
        self.assertIn("Tenant in the backend: demo", result["message"])
        self.assertFalse(self.params.get_param(TENANT), "kept when the administrator saves the settings")
        # A settings record tested by its button gets it too, and saving it keeps it.
        settings = self.Settings.create({"logistics_backend_url": self.typed_url, "logistics_backend_token": "typed-token-1234567890"})
        settings.action_logistics_test_connection()
        self.assertEqual(settings.logistics_backend_tenant, "demo")
        settings.execute()
        self.assertEqual(self.params.get_param(TENANT), "demo")
        self.assertEqual(self.env["logistics.backend"]._settings(), (self.typed_url, "typed-token-1234567890"))

    def test_a_typed_tenant_is_kept_and_another_binding_is_a_warning(self):
        result = self.Settings.logistics_test_connection(self.typed_url, "typed-token-1234567890", "demo")
        self.assertEqual((result["type"], result["tenant"]), ("success", False))
        result = self.Settings.logistics_test_connection(self.typed_url, "typed-token-1234567890", "eu-warehouse")
        self.assertEqual(result["type"], "warning")
        self.assertIn("bound to the tenant demo, not eu-warehouse", result["message"])

    def test_an_unbound_token_is_a_warning(self):
        FakeBackend.whoami = {"operator": False, "id": 8, "tenant": None, "scopes": ["read"]}
        result = self.Settings.logistics_test_connection(self.typed_url, "typed-token-1234567890", "")
        self.assertEqual(result["type"], "warning")
        self.assertIn("reaches every tenant", result["message"])

    def test_an_unreachable_url_is_a_message_without_the_token(self):
        result = self.Settings.logistics_test_connection("http://127.0.0.1:9", "typed-token-1234567890", "")
        self.assertEqual(result["type"], "danger")
        self.assertIn("cannot be reached", result["message"])
        self.assertNotIn("typed-token", result["message"])

    def test_the_token_never_reaches_the_log(self):
        captured = _Captured()
        root = logging.getLogger()
        level = root.level
        root.addHandler(captured)
        root.setLevel(logging.DEBUG)
        try:
            self.Settings.logistics_test_connection(self.typed_url, "typed-token-1234567890", "")
            self.Settings.logistics_test_connection("http://127.0.0.1:9", "typed-token-1234567890", "")
        finally:
            root.removeHandler(captured)
            root.setLevel(level)
        self.assertTrue(captured.lines, "the exchange was logged at debug level")
        self.assertFalse([line for line in captured.lines if "typed-token" in line])

    def test_only_administrators_test_the_connection(self):
        manager = new_test_user(self.env, login="lo_settings_manager",
                                groups="base.group_user,logistics_observability.group_logistics_health_manager")
        with self.assertRaises(AccessError):
            self.env["res.config.settings"].with_user(manager).logistics_test_connection(self.typed_url, "x", "")
        with self.assertRaises(AccessError):
            self.env["res.config.settings"].with_user(manager).logistics_objectives_in_force()
