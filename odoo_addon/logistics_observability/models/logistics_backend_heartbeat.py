# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools.misc import format_datetime

#: The backend counts as silent after this many of its sampling cycles without a heartbeat...
SILENT_AFTER_CYCLES = 3
#: ...and never sooner than this: a cycle that runs a little late is not an outage.
SILENT_AFTER_AT_LEAST = timedelta(minutes=3)


class LogisticsBackendHeartbeat(models.Model):
    """When the observability backend last judged a tenant's service levels.

    The backend writes here once per sampling cycle of the tenant, after the cycle's alerts are evaluated, with the
    same Odoo user that records the alerts. Alert and incident records read it to say that their states may be out
    of date: a firing alert stays "firing" in Odoo when the backend that would resolve it has stopped.
    The time is Odoo's own clock, so that a backend with a wrong clock is neither always nor never silent.
    """

    _name = "logistics.backend.heartbeat"
    _description = "Logistics observability backend heartbeat"
    # One row per tenant, one UPDATE per cycle: no create/write bookkeeping columns to maintain.
    _log_access = False

    tenant = fields.Char(required=True, readonly=True)
    reported_at = fields.Datetime("Last report", required=True, readonly=True)
    interval_seconds = fields.Integer("Sampling interval (s)", required=True, readonly=True)

    _sql_constraints = [("tenant_unique", "unique(tenant)", "One heartbeat per tenant.")]

    @api.model
    def record_heartbeat(self, tenant, interval_seconds):
        """The backend has just judged this tenant's service levels; it samples every interval_seconds."""
        self.env["logistics.alert"]._check_alert_writer()
        if not isinstance(tenant, str) or not tenant.strip():
            raise UserError("tenant: the tenant's name in the backend")
        if isinstance(interval_seconds, bool) or not isinstance(interval_seconds, int) or not 1 <= interval_seconds <= 86400:
            raise UserError("interval_seconds: the backend's sampling interval, 1 to 86400 seconds")
        now = fields.Datetime.now()
        beat = self.sudo().search([("tenant", "=", tenant)], limit=1)
        values = {"reported_at": now, "interval_seconds": interval_seconds}
        if beat:
            beat.write(values)
        else:
            beat = self.sudo().create(dict(values, tenant=tenant))
        return {"tenant": beat.tenant, "reported_at": fields.Datetime.to_string(now)}

    @api.model
    def _silent_since(self, tenants):
        """For those of these tenants whose backend has stopped reporting: tenant -> its last report.

        A tenant without any heartbeat is not in the answer: its records come from a backend that does not leave
        one (an older version), which says nothing of whether it still runs.
        """
        now = fields.Datetime.now()
        silent = {}
        for beat in self.sudo().search([("tenant", "in", list(tenants))]):
            allowed = max(timedelta(seconds=beat.interval_seconds * SILENT_AFTER_CYCLES), SILENT_AFTER_AT_LEAST)
            if now - beat.reported_at > allowed:
                silent[beat.tenant] = beat.reported_at
        return silent

    @api.model
    def _silence_message(self, since):
        """The sentence the records show, with the time in the reader's time zone and language."""
        pattern = "d MMM HH:mm" if since.year == fields.Datetime.now().year else "d MMM y HH:mm"
        when = format_datetime(self.env, since, dt_format=pattern)
        return _("The backend has not reported since %s: these states may be out of date.", when)


class LogisticsBackendReporting(models.AbstractModel):
    """Records written by the backend (alerts, incidents) say when their tenant's backend stopped reporting."""

    _name = "logistics.backend.reporting"
    _description = "Logistics records kept up to date by the backend"

    backend_silent = fields.Boolean(
        "Backend silent", compute="_compute_backend_silent",
        help="The backend has not reported for this tenant for several cycles: the state shown is the last it wrote.",
    )
    backend_silent_message = fields.Char("Backend", compute="_compute_backend_silent")

    def _compute_backend_silent(self):
        heartbeats = self.env["logistics.backend.heartbeat"]
        since = heartbeats._silent_since({record.tenant for record in self if record.tenant})
        for record in self:
            at = since.get(record.tenant)
            record.backend_silent = bool(at)
            record.backend_silent_message = heartbeats._silence_message(at) if at else False

    @api.model
    def _silent_backend_message(self):
        """The sentence for a whole list when the backend of any tenant with alerts or incidents here is silent (an
        empty list of incidents says nothing either then), else ""."""
        tenants = set()
        for model in ("logistics.alert", "logistics.incident"):
            groups = self.env[model].sudo().read_group([], ["tenant"], ["tenant"])
            tenants.update(group["tenant"] for group in groups if group["tenant"])
        since = self.env["logistics.backend.heartbeat"]._silent_since(tenants)
        return self.env["logistics.backend.heartbeat"]._silence_message(min(since.values())) if since else ""


class LogisticsAlert(models.Model):
    _name = "logistics.alert"
    _inherit = ["logistics.alert", "logistics.backend.reporting"]

    @api.model
    def get_empty_list_help(self, help_message):
        # "No alert is firing" under a smiling face is not true of a backend that stopped reporting.
        return _silent_list_help(self) or super().get_empty_list_help(help_message)


class LogisticsIncident(models.Model):
    _name = "logistics.incident"
    _inherit = ["logistics.incident", "logistics.backend.reporting"]

    @api.model
    def get_empty_list_help(self, help_message):
        return _silent_list_help(self) or super().get_empty_list_help(help_message)


def _silent_list_help(records):
    """The empty list's help when the backend is silent, else None."""
    message = records._silent_backend_message()
    if not message:
        return None
    return Markup('<p class="o_view_nocontent_empty_folder">%s</p><p>%s</p>') % (
        message, _("The list shows what it last wrote: an empty list does not mean that nothing is wrong."))
