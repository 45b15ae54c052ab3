# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta, timezone

from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_datetime

from ..models.logistics_backend import BackendUnavailable

MAX_HOURS = 720  # 30 days: a longer mute hides a problem rather than a known incident
COMMENT_MAX = 500  # the backend's limit


class LogisticsAlertSilenceWizard(models.TransientModel):
    """Mutes the backend's notifications for an alert, or for a whole tenant, from the alert form.

    Silences live in the backend, which decides what to notify; Odoo only asks for one and notes it on the alert.
    """

    _name = "logistics.alert.silence.wizard"
    _description = "Silence logistics alerts"

    alert_id = fields.Many2one("logistics.alert", required=True, ondelete="cascade")
    scope = fields.Selection(
        [("alert", "This alert"), ("tenant", "All alerts of this tenant")], required=True, default="alert",
        help="This alert: its tenant, service level and labels. All alerts of this tenant: every service level.",
    )
    duration_hours = fields.Float("Duration (hours)", required=True, default=4.0)
    comment = fields.Text(required=True, help="Why: the others see it in the backend and on the alert.")

    @api.constrains("duration_hours", "comment")
    def _check_silence(self):
        for wizard in self:
            if not 0 < wizard.duration_hours <= MAX_HOURS:
                raise ValidationError(_("Duration (hours): more than 0 and at most %(max)s hours, not %(hours)s.",
                                        max=MAX_HOURS, hours=wizard.duration_hours))
            if len(wizard.comment or "") > COMMENT_MAX:
                raise ValidationError(_("Comment: at most %s characters.", COMMENT_MAX))

    def _matchers(self):
        alert = self.alert_id
        if self.scope == "tenant":
            return {"tenant": alert.tenant}
        matchers = {"tenant": alert.tenant, "sli": alert.sli}
        matchers.update((name, value) for name, value in alert._label_matchers().items() if name not in matchers)
        return matchers

    def action_confirm(self):
        self.ensure_one()
        pinned = self.env["logistics.backend"]._tenant()
        if pinned and self.alert_id.tenant != pinned:
            raise UserError(_("This Odoo silences the alerts of tenant %(mine)s only, not of %(other)s.",
                              mine=pinned, other=self.alert_id.tenant))
        ends_at = fields.Datetime.now().replace(microsecond=0) + timedelta(hours=self.duration_hours)
        creator = f"{self.env.user.login} (Odoo)"
        payload = {
            "matchers": self._matchers(),
            "creator": creator,
            "comment": self.comment.strip(),
            "endsAt": ends_at.replace(tzinfo=timezone.utc).isoformat(),
        }
        try:
            self.env["logistics.backend"]._post("silences", payload)
        except BackendUnavailable as error:
            raise UserError(_("The silence was not created: %s", error)) from error
        until = format_datetime(self.env, ends_at, dt_format="short")
        what = ", ".join(f"{name}={value}" for name, value in payload["matchers"].items())
        self.alert_id.message_post(
            body=Markup("%s<br/>%s") % (
                _("Silenced until %(until)s by %(user)s: %(comment)s", until=until, user=creator, comment=payload["comment"]),
                _("Matching %s", what),
            ),
            subtype_xmlid="mail.mt_note",
        )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": _("Alerts silenced"),
                "message": _("No notification for %(what)s until %(until)s.", what=what, until=until),
                "type": "success",
                "sticky": False,
                "next": {"type": "ir.actions.act_window_close"},
            },
        }
