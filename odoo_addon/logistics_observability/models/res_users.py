# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging

from odoo import SUPERUSER_ID, api, models
from odoo.exceptions import AccessDenied

from .logistics_audit_event import request_address

_logger = logging.getLogger(__name__)

#: What Odoo says in an AccessDenied that gives no reason of its own (a wrong password, an unknown login).
PLAIN_DENIAL = "Access Denied"


class ResUsers(models.Model):
    _inherit = "res.users"

    @classmethod
    def _login(cls, db, credential, user_agent_env):
        """Every login goes through here in Odoo 18: the /web/login form and /web/session/authenticate (through
        the session's authenticate), and /jsonrpc and /xmlrpc common.login and authenticate."""
        try:
            return super()._login(db, credential, user_agent_env)
        except AccessDenied as error:
            interactive = (user_agent_env or {}).get("interactive", True)
            cls._audit_failed_login(
                error, login=credential.get("login"), remote_addr=(user_agent_env or {}).get("REMOTE_ADDR"),
                how="login" if interactive else "RPC login",
            )
            raise

    @classmethod
    def check(cls, db, uid, passwd):
        """A /jsonrpc or /xmlrpc object call (execute_kw) checks its password or API key here, not in _login."""
        try:
            return super().check(db, uid, passwd)
        except AccessDenied as error:
            cls._audit_failed_login(error, uid=uid, how="RPC call")
            raise

    @classmethod
    def _audit_failed_login(cls, error, login=None, uid=None, remote_addr=None, how="login"):
        """Records a failed login on a cursor of its own: the login's transaction is rolled back. Never the
        password; never an error of its own in place of the AccessDenied."""
        try:
            remote_addr = request_address() or remote_addr
            with cls.pool.cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {"active_test": False})
                users = env["res.users"]
                if uid:
                    user = users.browse(uid).exists()
                    login = user.login
                else:
                    user = users.search(users._get_login_domain(login), order=users._get_login_order(), limit=1) if login else users
                reason = str(error) if str(error) != PLAIN_DENIAL else ("wrong password or API key" if user else "unknown login")
                env["logistics.audit.event"].create({
                    "category": "login_failed",
                    "action": "failed",
                    "actor_id": user.id,
                    "actor_login": user.login,
                    # Whatever was typed, but not a megabyte of it.
                    "login": login[:250] if isinstance(login, str) else False,
                    "remote_addr": remote_addr,
                    "target_model": "res.users" if user else False,
                    "target_id": user.id,
                    "target_name": user.login,
                    "detail": f"{how} refused: {reason}"[:250],
                })
        except Exception:
            _logger.exception("could not record a failed login for %r", login)

    @api.model_create_multi
    def create(self, vals_list):
        events = self.env["logistics.audit.event"]
        if not events._recording():
            return super().create(vals_list)
        before = self.env["res.groups"]._audit_privileged_memberships()
        users = super().create(vals_list)
        for user in users.filtered(lambda u: not u.share):
            events._record(
                "user_created", "created", target_model="res.users", target_id=user.id, target_name=user.login,
                detail=f"internal user {user.login} created",
            )
        self.env["res.groups"]._audit_privilege_changes(before)
        return users

    def write(self, vals):
        touches_groups = any(key == "groups_id" or key.startswith(("in_group_", "sel_groups_")) for key in vals)
        if not touches_groups or not self.env["logistics.audit.event"]._recording():
            return super().write(vals)
        before = self.env["res.groups"]._audit_privileged_memberships()
        result = super().write(vals)
        self.env["res.groups"]._audit_privilege_changes(before)
        return result
