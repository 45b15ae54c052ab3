# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import threading
from contextlib import contextmanager
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.http import request

#: Days an event is kept when the system parameter below is not set: a year and a season, for "who made this user
#: administrator last spring".
RETENTION_DAYS_DEFAULT = 400
RETENTION_PARAM = "logistics_observability.audit_retention_days"
#: Events deleted per cron run at most: a first run after years of failed logins stays a short transaction.
GC_BATCH = 50000

#: The most events read_since answers in one call, whatever the caller asks for.
READ_SINCE_MAX = 5000
READ_SINCE_FIELDS = [
    "occurred_at", "category", "action", "actor_id", "actor_login", "login", "remote_addr",
    "target_model", "target_id", "target_name", "detail", "rows",
]


class LogisticsAuditEvent(models.Model):
    """Who changed what, when: failed logins, privileged access, new users, API keys, configuration, modules and
    exports, as the security and governance signals of the tenant.

    Append-only: no access right lets anyone create, change or delete an event; the hooks that record them write
    through sudo(), and writing is refused even then. Events hold names (fields, keys, groups, modules), never the
    values of secrets, and their sentences are stored in English as recorded, like a log.
    """

    _name = "logistics.audit.event"
    _description = "Audit event"
    _order = "occurred_at desc, id desc"
    _rec_name = "detail"

    occurred_at = fields.Datetime("When", required=True, readonly=True, index=True, default=fields.Datetime.now)
    category = fields.Selection(
        [
            ("login_failed", "Failed login"),
            ("privilege", "Privileged access"),
            ("user_created", "New internal user"),
            ("api_key", "API key"),
            ("config", "Configuration"),
            ("module", "Module"),
            ("export", "Export"),
        ],
        required=True, readonly=True, index=True,
    )
    action = fields.Char(required=True, readonly=True)
    actor_id = fields.Many2one("res.users", "Actor", readonly=True, index=True, ondelete="set null")
    # Kept beside actor_id: the trail must still say who it was once the user is deleted.
    actor_login = fields.Char("Actor login", readonly=True)
    login = fields.Char("Login tried", readonly=True)
    remote_addr = fields.Char("Source address", readonly=True)
    target_model = fields.Char("Target model", readonly=True)
    target_id = fields.Integer("Target ID", readonly=True)
    target_name = fields.Char("Target", readonly=True)
    detail = fields.Char(readonly=True)
    rows = fields.Integer("Rows exported", readonly=True)

    def write(self, vals):
        raise UserError(_("Audit events cannot be changed."))

    @api.model
    def _recording(self):
        """Whether hooks record now. Not while a registry loads modules: what their data files change is the
        module install or upgrade itself, which is recorded when it is requested."""
        return self.env.registry.ready

    @api.model
    def _record(self, category, action, **values):
        """Appends one event as an act of the current user (the real one behind a sudo())."""
        actor = self.env.user
        return self.sudo().create({
            "category": category,
            "action": action,
            "actor_id": actor.id,
            "actor_login": actor.login,
            "remote_addr": request_address(),
            **values,
        })

    @api.model
    def _gc_expired(self):
        """Deletes events older than the retention (system parameter, days; 0 keeps everything), oldest first."""
        days = int(self.env["ir.config_parameter"].sudo().get_param(RETENTION_PARAM, RETENTION_DAYS_DEFAULT) or 0)
        if days <= 0:
            return 0
        cutoff = fields.Datetime.now() - timedelta(days=days)
        expired = self.sudo().search([("occurred_at", "<", cutoff)], order="occurred_at", limit=GC_BATCH)
        expired.unlink()
        return len(expired)

    @api.model
    def read_since(self, last_id, limit=500):
        """The events after last_id, oldest first, for the backend to follow the trail with a keyset cursor.

        Read with the caller's rights: only who may read the trail gets it.
        """
        if isinstance(last_id, bool) or not isinstance(last_id, int):
            raise UserError(_("last_id: the id of the last event already read, 0 for the first call"))
        limit = max(1, min(int(limit or 500), READ_SINCE_MAX))
        rows = self.search_read([("id", ">", last_id)], READ_SINCE_FIELDS, order="id", limit=limit)
        for row in rows:
            row["occurred_at"] = fields.Datetime.to_string(row["occurred_at"])
            row["actor_id"] = row["actor_id"][0] if row["actor_id"] else False
        return rows


#: Where controllers/rpc.py keeps the caller's address while an RPC call runs without its request.
RPC_CALLER_ADDR = "logistics_audit_rpc_caller"


@contextmanager
def rpc_caller(remote_addr):
    thread = threading.current_thread()
    setattr(thread, RPC_CALLER_ADDR, remote_addr)
    try:
        yield
    finally:
        # Threads serve one request after another: never lend an address to the next one.
        setattr(thread, RPC_CALLER_ADDR, None)


def request_address():
    """The source address of the HTTP request being served, if any (behind a proxy: with --proxy-mode)."""
    if request:
        return request.httprequest.remote_addr
    return getattr(threading.current_thread(), RPC_CALLER_ADDR, None) or False
