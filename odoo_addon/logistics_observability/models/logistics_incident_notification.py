# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models

from .logistics_alert_notification import SEVERITIES, _choice, _fail, _number, _text, _utc

INCIDENT_TRANSITIONS = [("opened", "Opened"), ("worse", "Worse"), ("cause", "Cause found or changed"),
                        ("resolved", "Resolved"), ("repeat", "Repeat")]
INCIDENT_STATES = [("open", "Open"), ("resolved", "Resolved")]


class LogisticsIncidentNotification(models.Model):
    """The incident transitions already recorded, by the backend's idempotency key (as for alerts: a key found
    here creates nothing and mails nothing again)."""

    _name = "logistics.incident.notification"
    _description = "Logistics incident transition received"
    _order = "id desc"
    _rec_name = "key"

    key = fields.Char(required=True, readonly=True, index=True)
    incident_id = fields.Many2one("logistics.incident", required=True, readonly=True, index=True, ondelete="cascade")
    transition = fields.Selection(INCIDENT_TRANSITIONS, required=True, readonly=True)
    subject = fields.Char(readonly=True)
    text = fields.Text("Backend's message", readonly=True, help="The plain-text message the backend wrote for this transition.")
    mailed = fields.Boolean(readonly=True, help="Whether Odoo queued an email for this transition.")
    mail_id = fields.Many2one("mail.mail", "Email", readonly=True, ondelete="set null")
    mail_state = fields.Selection(related="mail_id.state", string="Email status")
    mail_failure_reason = fields.Text(related="mail_id.failure_reason", string="Email failure")

    _sql_constraints = [
        ("key_unique", "unique(key)", "A transition is recorded once: the key must be unique."),
    ]


def _list(raw, where, field):
    value = raw.get(field)
    if value is None:
        return []
    if not isinstance(value, list):
        _fail(where, field, f"a list, got {value!r}")
    return value


def _items(raw, where, field, parse):
    """Each object of a list field, checked by parse; errors name it as e.g. "causes[1]: confidence"."""
    parsed = []
    for index, item in enumerate(_list(raw, where, field)):
        if not isinstance(item, dict):
            _fail(where, f"{field}[{index}]", f"an object, got {type(item).__name__}")
        parsed.append(parse(item, f"{where}: {field}[{index}]"))
    return parsed


def _cause(raw, where):
    rank = raw.get("rank")
    if isinstance(rank, bool) or not isinstance(rank, int) or rank < 1:
        _fail(where, "rank", f"an integer from 1, got {rank!r}")
    confidence = _number(raw, where, "confidence", required=True)
    if not 0 <= confidence <= 1:
        _fail(where, "confidence", f"a share from 0 to 1, got {confidence!r}")
    return {
        "rank": rank,
        "layer": _text(raw, where, "layer"),
        "subject": _text(raw, where, "subject"),
        "evidence": _text(raw, where, "evidence", required=False),
        "confidence": confidence,
    }


def _timeline_entry(raw, where):
    return {"at": _utc(raw, where, "at", required=True), "kind": _text(raw, where, "kind"),
            "text": _text(raw, where, "text")}


def _alert_refs(raw, where):
    refs = _list(raw, where, "alerts")
    for index, ref in enumerate(refs):
        if not isinstance(ref, str) or not ref.strip():
            _fail(where, f"alerts[{index}]", f"an alert fingerprint, got {ref!r}")
    return [ref.strip() for ref in refs]


def parse_incident_notification(raw, index):
    """Checks one notification of logistics.incident.record_transitions and returns it with typed values.

    Errors name the notification (its key, or its position when the key is missing) and the field, as for
    alerts.
    """
    where = f"notification #{index}"
    if not isinstance(raw, dict):
        _fail(where, "notification", f"an object, got {type(raw).__name__}")
    key = _text(raw, where, "key")
    where = f"notification {key!r}"
    mail = raw.get("mail", True)
    if not isinstance(mail, bool):
        _fail(where, "mail", f"true or false, got {mail!r}")
    causes = sorted(_items(raw, where, "causes", _cause), key=lambda cause: cause["rank"])
    return {
        "key": key,
        "incident": _text(raw, where, "incident"),
        "tenant": _text(raw, where, "tenant"),
        "transition": _choice(raw, where, "transition", [t for t, _label in INCIDENT_TRANSITIONS]),
        "title": _text(raw, where, "title"),
        "subject": _text(raw, where, "subject"),
        "text": _text(raw, where, "text", required=False),
        "severity": _choice(raw, where, "severity", SEVERITIES),
        "state": _choice(raw, where, "state", [s for s, _label in INCIDENT_STATES]),
        "opened_at": _utc(raw, where, "opened_at", required=True),
        "first_abnormal_at": _utc(raw, where, "first_abnormal_at", required=True),
        "first_notified_at": _utc(raw, where, "first_notified_at"),
        "resolved_at": _utc(raw, where, "resolved_at"),
        "mttd_seconds": _seconds(raw, where, "mttd_seconds"),
        "mttr_seconds": _seconds(raw, where, "mttr_seconds"),
        "causes": causes,
        "timeline": sorted(_items(raw, where, "timeline", _timeline_entry), key=lambda entry: entry["at"]),
        "alerts": _alert_refs(raw, where),
        "mail": mail,
    }


def _seconds(raw, where, field):
    value = _number(raw, where, field)
    if value is not None and value < 0:
        _fail(where, field, f"a duration in seconds, got {value!r}")
    return value
