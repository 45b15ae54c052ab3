# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command, _, api, fields, models
from odoo.exceptions import UserError

from .format import format_duration
from .logistics_alert import DASHBOARD_ACTION, GROUP_MANAGER, queue_transition_mail
from .logistics_incident_notification import INCIDENT_STATES, INCIDENT_TRANSITIONS, parse_incident_notification

MAIL_TEMPLATE = "logistics_observability.mail_template_incident_transition"
INCIDENTS_ACTION = "logistics_observability.logistics_incident_action"


class LogisticsIncident(models.Model):
    """Alerts of one tenant that overlap in time, grouped by the observability backend into one incident, with
    its ranked probable causes, its timeline, and how long it took to tell people (MTTD) and to recover (MTTR).

    The backend creates and updates these records over JSON-RPC (record_transitions) and tells people about
    incidents rather than alerts: opened, worse, cause found or changed, resolved.
    """

    _name = "logistics.incident"
    _description = "Logistics health incident"
    _inherit = ["mail.thread"]
    _mail_post_access = "read"
    _order = "state, opened_at desc, id desc"
    _rec_name = "title"

    title = fields.Char(required=True, tracking=True)
    incident_ref = fields.Char("Backend incident", required=True, readonly=True, index=True,
                               help="The backend's stable id of this incident.")
    tenant = fields.Char(required=True, index=True)
    state = fields.Selection(INCIDENT_STATES, required=True, default="open", index=True, tracking=True)
    severity = fields.Selection([("page", "Page"), ("ticket", "Ticket")], required=True, default="ticket", tracking=True)
    last_transition = fields.Selection(INCIDENT_TRANSITIONS, help="What the backend last told people about.")
    last_subject = fields.Char("Last subject", help="The subject of the backend's last message; the email's subject.")
    opened_at = fields.Datetime("Opened", required=True)
    first_abnormal_at = fields.Datetime("First abnormal signal", required=True,
                                        help="When the first signal of the incident left its normal.")
    first_notified_at = fields.Datetime("First notified")
    resolved_at = fields.Datetime("Resolved on")
    # A float column reads 0.0 for "not yet": these flags keep "not notified / not resolved" apart from zero.
    mttd_seconds = fields.Float("MTTD (s)", help="First abnormal signal to first notification, in seconds.")
    mttd_known = fields.Boolean("MTTD known")
    mttr_seconds = fields.Float("MTTR (s)", help="First abnormal signal to resolution, in seconds.")
    mttr_known = fields.Boolean("MTTR known")
    mttd_display = fields.Char("MTTD", compute="_compute_displays")
    mttr_display = fields.Char("MTTR", compute="_compute_displays")
    probable_cause = fields.Char("Probable cause", compute="_compute_probable_cause", store=True, tracking=True,
                                 help="The subject of the first-ranked cause, or unknown.")
    cause_ids = fields.One2many("logistics.incident.cause", "incident_id", "Probable causes", readonly=True)
    timeline_ids = fields.One2many("logistics.incident.timeline", "incident_id", "Timeline", readonly=True)
    alert_ids = fields.One2many("logistics.alert", "incident_id", "Alerts", readonly=True)
    # The fingerprints the backend named, kept so that an alert recorded after its incident is linked on arrival.
    alert_refs = fields.Text("Alert fingerprints", readonly=True)
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    notification_ids = fields.One2many("logistics.incident.notification", "incident_id", "Transitions received",
                                       groups=GROUP_MANAGER)
    dashboard_url = fields.Char(compute="_compute_urls")
    incident_url = fields.Char(compute="_compute_urls")

    _sql_constraints = [
        ("incident_ref_company_unique", "unique(incident_ref, company_id)",
         "An incident of the backend is recorded once per company."),
    ]

    @api.depends("mttd_seconds", "mttd_known", "mttr_seconds", "mttr_known")
    @api.depends_context("lang")
    def _compute_displays(self):
        lang = self.env.lang
        for incident in self:
            incident.mttd_display = format_duration(incident.mttd_seconds, lang) if incident.mttd_known else False
            incident.mttr_display = format_duration(incident.mttr_seconds, lang) if incident.mttr_known else False

    @api.depends("cause_ids.rank", "cause_ids.subject")
    def _compute_probable_cause(self):
        for incident in self:
            first = incident.cause_ids.sorted("rank")[:1]
            incident.probable_cause = first.subject or _("unknown")

    def _compute_urls(self):
        for incident in self:
            base = incident.get_base_url()
            incident.dashboard_url = f"{base}/odoo/action-{DASHBOARD_ACTION}"
            incident.incident_url = f"{base}/odoo/action-{INCIDENTS_ACTION}/{incident.id}" if incident.id else False

    @api.model
    def record_transitions(self, notifications):
        """Records the backend's incident transitions and mails the alert recipients; see readme/USAGE.md.

        As for alerts: each transition is applied once per key whatever the number of calls, and the whole call
        is checked before anything is written.
        """
        self.env["logistics.alert"]._check_alert_writer()
        if not isinstance(notifications, list):
            raise UserError("notifications: a list of incident transitions")
        parsed = [parse_incident_notification(raw, index) for index, raw in enumerate(notifications)]
        log = self.env["logistics.incident.notification"].sudo()
        results = []
        for notification in parsed:
            done = log.search([("key", "=", notification["key"])], limit=1)
            if done:
                results.append({"key": done.key, "id": done.incident_id.id, "mailed": done.mailed, "duplicate": True})
                continue
            incident = self.sudo()._apply_transition(notification)
            mail = queue_transition_mail(incident, MAIL_TEMPLATE) if incident._should_mail(notification) else self.env["mail.mail"]
            log.create({"key": notification["key"], "incident_id": incident.id, "transition": notification["transition"],
                        "subject": notification["subject"], "text": notification["text"],
                        "mailed": bool(mail), "mail_id": mail[:1].id})
            results.append({"key": notification["key"], "id": incident.id, "mailed": bool(mail), "duplicate": False})
        return results

    @api.model
    def _apply_transition(self, n):
        company = self.env.company
        incident = self.search([("incident_ref", "=", n["incident"]), ("company_id", "=", company.id)], limit=1)
        if incident._is_late(n):
            # A backend id names one incident: news of it still open after it resolved is recorded, not applied.
            return incident
        resolved = _state_of(n) == "resolved"
        vals = {
            "title": n["title"], "tenant": n["tenant"], "severity": n["severity"], "state": _state_of(n),
            "last_transition": n["transition"], "last_subject": n["subject"],
            "opened_at": n["opened_at"], "first_abnormal_at": n["first_abnormal_at"],
            "first_notified_at": n["first_notified_at"],
            "resolved_at": (n["resolved_at"] or fields.Datetime.now()) if resolved else False,
            "mttd_seconds": n["mttd_seconds"] or 0.0, "mttd_known": n["mttd_seconds"] is not None,
            "mttr_seconds": n["mttr_seconds"] or 0.0, "mttr_known": n["mttr_seconds"] is not None,
            "cause_ids": [Command.clear()] + [Command.create(cause) for cause in n["causes"]],
            "timeline_ids": [Command.clear()] + [Command.create(entry) for entry in n["timeline"]],
            "alert_refs": "\n".join(n["alerts"]),
        }
        if incident:
            incident.write(vals)
        else:
            incident = self.create(dict(vals, incident_ref=n["incident"], company_id=company.id))
        alerts = self.env["logistics.alert"].search([("fingerprint", "in", n["alerts"]), ("company_id", "=", company.id)])
        alerts.incident_id = incident
        incident.message_subscribe(partner_ids=self.env["logistics.alert"]._recipient_users().partner_id.ids)
        return incident

    def _is_late(self, n):
        return self.state == "resolved" and _state_of(n) == "open"

    def _should_mail(self, n):
        # Late news would contradict the resolution mail already sent: recorded, not sent.
        return n["mail"] and not self._is_late(n)

    @api.model
    def _incident_awaiting(self, alert):
        """The incident of alert's company whose last transition named it, if any."""
        named = self.search([("company_id", "=", alert.company_id.id), ("alert_refs", "like", alert.fingerprint)])
        return named.filtered(lambda incident: alert.fingerprint in incident.alert_refs.splitlines())[:1]


def _state_of(n):
    return "resolved" if n["transition"] == "resolved" else n["state"]
