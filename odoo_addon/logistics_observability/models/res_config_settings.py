# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from markupsafe import Markup, escape

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, ValidationError

from .logistics_alert import PARAM_RECIPIENTS
from .logistics_backend import PARAM_TENANT, PARAM_URL, BackendUnavailable
from .logistics_settings import OBJECTIVES, PARAM_SLO_TARGET, PARAM_SLO_WINDOW_DAYS

SLO_WINDOW_MAX_DAYS = 90
# No defaults on the objectives: a value saved here overrides the backend's configuration for this database, so
# only what the administrator types is stored (Odoo stores nothing for 0 or empty).
KEEPS_BACKEND = "Empty: the objective in force, shown greyed in the field, applies (the backend's own configuration)."

#: The objective fields and what applies when they are empty, in the field's unit: the backend's catalogue says,
#: these are its defaults for when it cannot be asked.
IN_FORCE_DEFAULTS = {
    "logistics_target_on_time": 0.95,
    "logistics_target_late_open": 10,
    "logistics_target_label_failures": 0.01,
    "logistics_target_full_ship_p95": 48.0,
    "logistics_slo_target": 0.99,
    "logistics_slo_window_days": 28,
}
#: The backend's unit to the field's, where they differ.
FROM_BACKEND_UNIT = {"order_confirm_to_full_ship_p95_seconds": lambda seconds: seconds / 3600.0}
#: The SLO fields and their key in the catalogue's "slo".
SLO_FIELDS = {"logistics_slo_target": "target", "logistics_slo_window_days": "windowDays"}


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    logistics_backend_url = fields.Char("Backend URL", config_parameter=PARAM_URL)
    logistics_backend_tenant = fields.Char(
        "Tenant in the backend", config_parameter=PARAM_TENANT,
        help="The name this database has in the backend's configuration. Set, the dashboard, the alerts and the "
             "silences of this Odoo reach that tenant only, even on a backend shared with other companies.",
    )
    # Write-only, and not a system parameter: saved into logistics.backend.secret, which no user can read. The form
    # only learns whether a token is set for the URL; an empty field on save keeps it, a new URL drops it.
    logistics_backend_token = fields.Char("API token", groups="base.group_system",
                                          help="This tenant's token, created in the backend (POST /api/v1/tokens). It "
                                               "is sent only to the URL it was entered with.")
    logistics_backend_token_set = fields.Boolean("A token is set", readonly=True)
    logistics_target_on_time = fields.Float(
        "On-time deliveries objective", config_parameter="logistics_observability.target.on_time_delivery_ratio", help=KEEPS_BACKEND
    )
    logistics_target_late_open = fields.Integer(
        "Late open deliveries at most", config_parameter="logistics_observability.target.late_open_deliveries", help=KEEPS_BACKEND
    )
    logistics_target_label_failures = fields.Float(
        "Label failure ratio at most", config_parameter="logistics_observability.target.label_failure_ratio", help=KEEPS_BACKEND
    )
    logistics_target_full_ship_p95 = fields.Float(
        "Confirmation to full shipment, p95 (hours)",
        config_parameter="logistics_observability.target.order_confirm_to_full_ship_p95_hours",
        help=KEEPS_BACKEND,
    )
    logistics_slo_target = fields.Float(
        "Service level target", config_parameter=PARAM_SLO_TARGET,
        help="Share of the time (or of the events) each service level must be within its objective over the window; "
             "the error budget is what is left. " + KEEPS_BACKEND,
    )
    logistics_slo_window_days = fields.Integer("SLO window (days)", config_parameter=PARAM_SLO_WINDOW_DAYS, help=KEEPS_BACKEND)
    logistics_alert_user_ids = fields.Many2many("res.users", string="Alert recipients", compute="_compute_logistics_alert_users",
                                                inverse="_inverse_logistics_alert_users")
    logistics_collector_health = fields.Html("Collector health", compute="_compute_logistics_collector_health", sanitize=True)

    @api.model
    def get_values(self):
        values = super().get_values()
        backend = self.env["logistics.backend"]
        values["logistics_backend_token_set"] = bool(self.env["logistics.backend.secret"]._token_for(backend._url()))
        values["logistics_backend_token"] = False
        return values

    def set_values(self):
        backend = self.env["logistics.backend"]
        previous_url = backend._url()
        super().set_values()
        url = backend._url()
        secret = self.env["logistics.backend.secret"]
        if self.logistics_backend_token:
            secret._store(url, self.logistics_backend_token.strip())
        elif url != previous_url:
            # A token is never sent to a URL it was not entered for: Test connection on a typed URL sends none.
            secret._forget()

    @api.constrains("logistics_slo_target", "logistics_slo_window_days")
    def _check_logistics_slo(self):
        for settings in self:
            # 0 is "not set" (Odoo stores no parameter for it): the backend's own target applies.
            if settings.logistics_slo_target and not 0 < settings.logistics_slo_target < 1:
                raise ValidationError(_(
                    "Service level target: enter a share strictly between 0%% and 100%% (e.g. 99%%), not %s%%.",
                    round(settings.logistics_slo_target * 100, 4),
                ))
            if settings.logistics_slo_window_days and not 1 <= settings.logistics_slo_window_days <= SLO_WINDOW_MAX_DAYS:
                raise ValidationError(_(
                    "SLO window (days): enter a number of days from 1 to %(max)s, not %(days)s.",
                    max=SLO_WINDOW_MAX_DAYS, days=settings.logistics_slo_window_days,
                ))

    @api.depends("company_id")
    def _compute_logistics_alert_users(self):
        raw = self.env["ir.config_parameter"].sudo().get_param(PARAM_RECIPIENTS, "")
        ids = [int(x) for x in raw.split(",") if x.strip().isdigit()]
        for settings in self:
            settings.logistics_alert_user_ids = self.env["res.users"].browse(ids).exists()

    def _inverse_logistics_alert_users(self):
        for settings in self:
            value = ",".join(str(i) for i in settings.logistics_alert_user_ids.ids)
            self.env["ir.config_parameter"].sudo().set_param(PARAM_RECIPIENTS, value)

    def _compute_logistics_collector_health(self):
        try:
            collectors = self.env["logistics.backend"]._get("collectors").get("collectors", [])
            rows = Markup("").join(
                Markup("<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>")
                % (c.get("tenant"), c.get("source"), _("OK") if c.get("ok") else _("Failing"),
                   c.get("lastSuccessAt") or _("never"), c.get("error") or "")
                for c in collectors
            )
            html = Markup(
                "<table class='table table-sm o_logistics_collectors'><thead><tr><th>%s</th><th>%s</th><th>%s</th>"
                "<th>%s</th><th>%s</th></tr></thead><tbody>%s</tbody></table>"
            ) % (_("Tenant"), _("Source"), _("Status"), _("Last success"), _("Error"), rows)
        except BackendUnavailable as error:
            html = Markup("<p class='text-warning'>%s</p>") % escape(str(error))
        for settings in self:
            settings.logistics_collector_health = html

    @api.model
    def logistics_objectives_in_force(self):
        """What applies to each objective field left empty: {field: {"value": in the field's unit, "source":
        "backend" or "addon"}}. The settings form shows it as the empty field's placeholder."""
        self._check_logistics_admin()
        try:
            catalog = self.env["logistics.backend"]._get("catalog")
        except BackendUnavailable:
            catalog = None
        if not isinstance(catalog, dict):
            return {name: {"value": value, "source": "addon"} for name, value in IN_FORCE_DEFAULTS.items()}
        by_sli = {sli.get("id"): sli.get("objective") for sli in catalog.get("slis", []) if isinstance(sli, dict)}
        slo = catalog.get("slo") if isinstance(catalog.get("slo"), dict) else {}
        answer = {}
        for name, default in IN_FORCE_DEFAULTS.items():
            if name in SLO_FIELDS:
                value = slo.get(SLO_FIELDS[name])
            else:
                sli = OBJECTIVES[self._fields[name].config_parameter][0]
                value = by_sli.get(sli)
                if isinstance(value, (int, float)) and sli in FROM_BACKEND_UNIT:
                    value = FROM_BACKEND_UNIT[sli](value)
            known = isinstance(value, (int, float)) and not isinstance(value, bool)
            answer[name] = {"value": value if known else default, "source": "backend" if known else "addon"}
        return answer

    @api.model
    def logistics_test_connection(self, url, token=None, tenant=None):
        """Tests the backend URL and token as typed in the settings form, saving nothing.

        A token left empty is the one saved for that very URL, if any: a token is never sent to a URL it was not
        entered for. The operator's token is refused. A token bound to a tenant names it: the answer's "tenant" is
        what the form's empty *Tenant in the backend* field should get, saved with the other settings.
        Returns {"title", "message", "type" (success, warning, danger), "tenant"}.
        """
        self._check_logistics_admin()
        url = (url or "").strip().rstrip("/")
        token = (token or "").strip() or self.env["logistics.backend.secret"]._token_for(url)
        tenant = (tenant or "").strip()
        learned = False
        backend = self.env["logistics.backend"]
        try:
            whoami = backend._call("GET", "token", credentials=(url, token))
            if whoami.get("operator"):
                # The operator's token reaches every company on the backend: an Odoo must not hold it.
                message = _("This is the backend operator's token, which reaches every tenant. Ask the operator for a "
                            "token bound to this database's tenant (POST /api/v1/tokens) and enter that one.")
                kind = "danger"
            else:
                bound = whoami.get("tenant")
                learned = bound if bound and not tenant else False
                mine = tenant or bound
                tenants = backend._call("GET", "tenants", credentials=(url, token)).get("tenants", [])
                if mine:
                    tenants = [t for t in tenants if t.get("name") == mine]
                message = _("Connected: the backend samples %(count)s tenant(s): %(names)s",
                            count=len(tenants), names=", ".join(t.get("name", "?") for t in tenants))
                kind = "success" if bound or "tenant" not in whoami else "warning"
                if kind == "warning":
                    message += " " + _("This token reaches every tenant: prefer one bound to this database's tenant.")
                elif bound and tenant and tenant != bound:
                    kind = "warning"
                    message += " " + _("This token is bound to the tenant %(bound)s, not %(typed)s: correct "
                                       "\"Tenant in the backend\".", bound=bound, typed=tenant)
                if learned:
                    message += " " + _("Tenant in the backend: %s, the tenant of this token (saved with the settings).",
                                       learned)
        except BackendUnavailable as error:
            message, kind = str(error), "danger"
        return {"title": _("Logistics Health backend"), "message": message, "type": kind, "tenant": learned}

    def action_logistics_test_connection(self):
        """The test on this settings record's values, as a notification; saves nothing (see the form's widget)."""
        self.ensure_one()
        result = self.logistics_test_connection(self.logistics_backend_url, self.logistics_backend_token,
                                                self.logistics_backend_tenant)
        if result["tenant"]:
            self.logistics_backend_tenant = result["tenant"]
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {"title": result["title"], "message": result["message"], "type": result["type"], "sticky": False},
        }

    @api.model
    def _check_logistics_admin(self):
        if not (self.env.su or self.env.user.has_group("base.group_system")):
            raise AccessError(_("Only administrators may test the Logistics Health backend (user %s).",
                                self.env.user.login))
