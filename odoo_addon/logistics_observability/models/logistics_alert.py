# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

from .format import format_value
from .logistics_alert_notification import UNITS, parse_notification

_logger = logging.getLogger(__name__)

PARAM_RECIPIENTS = "logistics_observability.alert_user_ids"
GROUP_MANAGER = "logistics_observability.group_logistics_health_manager"
MAIL_TEMPLATE = "logistics_observability.mail_template_logistics_alert"
DASHBOARD_ACTION = "logistics_observability.logistics_dashboard_action"
ALERTS_ACTION = "logistics_observability.logistics_alert_action"


def queue_transition_mail(record, template_xmlid):
    """Queues the email of a transition of record (an alert or an incident) to the alert recipients' partners, one
    per language and time zone among them, so that each reads it in their words and on their clock; Odoo's mail
    queue sends and retries them. Returns the mail.mail records, empty when nobody is to be mailed."""
    record.ensure_one()
    users = record.env["logistics.alert"]._recipient_users()
    template = record.env.ref(template_xmlid, raise_if_not_found=False)
    mails = record.env["mail.mail"].sudo()
    if not users or not template:
        if not template:
            # Answering mailed=False lets the backend see that Odoo did not mail, rather than failing every retry.
            _logger.warning("%s not mailed: the template %s was deleted", record.display_name, template_xmlid)
        return mails
    readers = {}
    for user in users:
        readers.setdefault((user.lang or "en_US", user.tz or "UTC"), record.env["res.users"])
        readers[(user.lang or "en_US", user.tz or "UTC")] |= user
    for (lang, tz), group in sorted(readers.items()):
        mail_id = template.sudo().with_context(lang=lang, tz=tz).send_mail(
            record.id,
            email_layout_xmlid="mail.mail_notification_light",
            email_values={"recipient_ids": [(6, 0, group.partner_id.ids)]},
        )
        mails |= mails.browse(mail_id)
    return mails


class LogisticsAlert(models.Model):
    """A business-KPI alert raised by the observability backend (it creates and updates these records over
    JSON-RPC), kept in Odoo so that managers find it where they work, with its probable cause."""

    _name = "logistics.alert"
    _description = "Logistics health alert"
    _inherit = ["mail.thread"]
    # Records are written by the backend only (record_transitions); the people who read them discuss them.
    _mail_post_access = "read"
    _order = "state, started_at desc, id desc"
    _rec_name = "summary"

    summary = fields.Char(required=True, tracking=True)
    tenant = fields.Char(required=True, index=True)
    sli = fields.Char("Service level", required=True, index=True)
    sli_title = fields.Char("Service level title")
    labels = fields.Char(help="What the alert is about within the service level, as name=value pairs separated by "
                              "commas, e.g. carrier=dhl. Silences match on them.")
    severity = fields.Selection([("page", "Page"), ("ticket", "Ticket")], required=True, default="ticket", tracking=True)
    state = fields.Selection(
        [("firing", "Firing"), ("resolved", "Resolved")], required=True, default="firing", index=True, tracking=True
    )
    value = fields.Float("Raw value", digits=(16, 4), help="In the service level's unit: seconds, ratio, count...")
    # A float column reads 0.0 for "no reading": these flags keep "unknown" apart from a real zero.
    value_missing = fields.Boolean("No reading", help="The backend had no value for this service level.")
    objective = fields.Float("Raw objective", digits=(16, 4))
    unit = fields.Selection(UNITS, default="count")
    budget_left = fields.Float("Error budget left", digits=(16, 4), help="Share of the error budget left in the SLO window.")
    budget_known = fields.Boolean("Error budget known")
    probable_cause = fields.Char(help="The layer the backend blames: application, database, integration, infrastructure, tenant.")
    started_at = fields.Datetime("Since", required=True, default=fields.Datetime.now)
    resolved_at = fields.Datetime("Resolved on")
    fingerprint = fields.Char(required=True, index=True, help="Idempotency key: one record per alert episode.")
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    incident_id = fields.Many2one("logistics.incident", "Incident", readonly=True, index=True, ondelete="set null",
                                  help="The incident the backend grouped this alert into.")
    notification_ids = fields.One2many("logistics.alert.notification", "alert_id", "Transitions received",
                                       groups=GROUP_MANAGER)
    value_display = fields.Char("Value", compute="_compute_displays")
    objective_display = fields.Char("Objective", compute="_compute_displays")
    budget_left_display = fields.Char("Budget left", compute="_compute_displays")
    dashboard_url = fields.Char(compute="_compute_urls")
    alert_url = fields.Char(compute="_compute_urls")

    _sql_constraints = [
        ("fingerprint_unique", "unique(fingerprint)", "An alert episode is recorded once: the fingerprint must be unique."),
    ]

    @api.depends("value", "value_missing", "objective", "unit", "budget_left", "budget_known")
    @api.depends_context("lang")
    def _compute_displays(self):
        lang = self.env.lang
        for alert in self:
            alert.value_display = _("missing") if alert.value_missing else format_value(alert.value, alert.unit, lang)
            alert.objective_display = format_value(alert.objective, alert.unit, lang)
            alert.budget_left_display = format_value(alert.budget_left, "ratio", lang) if alert.budget_known else False

    def _compute_urls(self):
        for alert in self:
            # get_base_url() is per record (a website may give each its own domain) and wants a singleton.
            base = alert.get_base_url()
            alert.dashboard_url = f"{base}/odoo/action-{DASHBOARD_ACTION}"
            alert.alert_url = f"{base}/odoo/action-{ALERTS_ACTION}/{alert.id}" if alert.id else False

    def _label_matchers(self):
        self.ensure_one()
        pairs = (pair.split("=", 1) for pair in (self.labels or "").split(",") if "=" in pair)
        return {name.strip(): value.strip() for name, value in pairs}

    @api.model
    def _check_alert_writer(self):
        user = self.env.user
        if not (self.env.su or user.has_group(GROUP_MANAGER) or user.has_group("base.group_system")):
            raise AccessError(_("Only Logistics Health managers may record alerts (user %s).", user.login))

    @api.model
    def _recipient_users(self):
        """The users chosen in Settings > Logistics Health > Alert recipients, still active."""
        raw = self.env["ir.config_parameter"].sudo().get_param(PARAM_RECIPIENTS, "")
        ids = [int(x) for x in raw.split(",") if x.strip().isdigit()]
        return self.env["res.users"].sudo().browse(ids).exists().filtered("active")

    @api.model
    def record_transitions(self, notifications):
        """Records the backend's alert transitions and mails the alert recipients; see readme/USAGE.md.

        Each transition is applied once per key whatever the number of calls, so that the backend may retry a
        call whose answer it lost. The whole call is checked before anything is written.
        """
        self._check_alert_writer()
        if not isinstance(notifications, list):
            raise UserError("notifications: a list of alert transitions")
        parsed = [parse_notification(raw, index) for index, raw in enumerate(notifications)]
        log = self.env["logistics.alert.notification"].sudo()
        results = []
        for notification in parsed:
            done = log.search([("key", "=", notification["key"])], limit=1)
            if done:
                results.append({"key": done.key, "id": done.alert_id.id, "mailed": done.mailed, "duplicate": True})
                continue
            alert = self.sudo()._apply_transition(notification)
            mail = alert._mail_transition() if alert._should_mail(notification) else self.env["mail.mail"]
            log.create({"key": notification["key"], "alert_id": alert.id, "transition": notification["transition"],
                        "mailed": bool(mail), "mail_id": mail[:1].id})
            results.append({"key": notification["key"], "id": alert.id, "mailed": bool(mail), "duplicate": False})
        return results

    @api.model
    def _apply_transition(self, n):
        labels = f" ({n['labels']})" if n["labels"] else ""
        vals = {
            "summary": f"{n['tenant']}: {n['sli_title']}{labels}",
            "tenant": n["tenant"], "sli": n["sli"], "sli_title": n["sli_title"], "labels": n["labels"],
            "severity": n["severity"], "unit": n["unit"], "objective": n["objective"],
            "value": n["value"] or 0.0, "value_missing": n["value"] is None,
            "started_at": n["since"],
        }
        # A later transition that no longer knows the budget or the cause keeps what an earlier one said.
        if n["budget_left"] is not None:
            vals.update(budget_left=n["budget_left"], budget_known=True)
        if n["probable_cause"]:
            vals["probable_cause"] = n["probable_cause"]
        alert = self.search([("fingerprint", "=", n["fingerprint"])], limit=1)
        if n["transition"] == "fired" and alert.state != "resolved":
            vals.update(state="firing", resolved_at=False)
        elif n["transition"] == "resolved":
            vals.update(state="resolved", resolved_at=n["resolved_at"] or fields.Datetime.now())
        # The fingerprint names one episode: a firing that arrives after its resolution is late news, and a
        # resolved episode stays resolved.
        if alert:
            alert.write(vals)
        else:
            alert = self.create(dict(vals, fingerprint=n["fingerprint"], state=vals.get("state", "firing")))
        if not alert.incident_id:
            # The incident's transition may have named this alert before the alert's own transition arrived.
            alert.incident_id = self.env["logistics.incident"]._incident_awaiting(alert)
        alert.message_subscribe(partner_ids=self._recipient_users().partner_id.ids)
        return alert

    def _should_mail(self, n):
        # A firing or reminder that arrives after the episode resolved would contradict the "[RESOLVED]" mail:
        # it is recorded, not sent.
        return n["mail"] and not (n["transition"] in ("fired", "repeat") and self.state == "resolved")

    def _mail_transition(self):
        return queue_transition_mail(self, MAIL_TEMPLATE)

    def action_open_silence_wizard(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Silence alerts"),
            "res_model": "logistics.alert.silence.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_alert_id": self.id},
        }
