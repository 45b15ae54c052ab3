# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models
from odoo.exceptions import UserError

TRANSITIONS = [("fired", "Fired"), ("resolved", "Resolved"), ("repeat", "Repeat")]
SEVERITIES = ("page", "ticket")
UNITS = [("seconds", "Seconds"), ("ratio", "Ratio"), ("count", "Count"), ("bytes", "Bytes"),
         ("per_second", "Per second"), ("days", "Days")]


class LogisticsAlertNotification(models.Model):
    """The transitions already recorded, by the backend's idempotency key.

    The backend delivers each transition at least once (it retries when an answer is lost), so the key decides
    whether a call is new: a key found here creates nothing and mails nothing again.
    """

    _name = "logistics.alert.notification"
    _description = "Logistics alert transition received"
    _order = "id desc"
    _rec_name = "key"

    key = fields.Char(required=True, readonly=True, index=True)
    alert_id = fields.Many2one("logistics.alert", required=True, readonly=True, index=True, ondelete="cascade")
    transition = fields.Selection(TRANSITIONS, required=True, readonly=True)
    mailed = fields.Boolean(readonly=True, help="Whether Odoo queued an email for this transition.")
    mail_id = fields.Many2one("mail.mail", "Email", readonly=True, ondelete="set null")
    # Managers follow delivery here without the administrator's access to the email queue.
    mail_state = fields.Selection(related="mail_id.state", string="Email status")
    mail_failure_reason = fields.Text(related="mail_id.failure_reason", string="Email failure")

    _sql_constraints = [
        ("key_unique", "unique(key)", "A transition is recorded once: the key must be unique."),
    ]


def _fail(where, field, message):
    raise UserError(f"{where}: {field}: {message}")


def _text(raw, where, field, required=True):
    value = raw.get(field)
    if value is None or value == "":
        if required:
            _fail(where, field, "required")
        return ""
    if not isinstance(value, str):
        _fail(where, field, f"a string, got {value!r}")
    return value.strip()


def _number(raw, where, field, required=False):
    value = raw.get(field)
    if value is None:
        if required:
            _fail(where, field, "required")
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        _fail(where, field, f"a number or null, got {value!r}")
    return float(value)


def _utc(raw, where, field, required=False):
    value = raw.get(field)
    if value is None or value == "":
        if required:
            _fail(where, field, "required")
        return False
    try:
        return fields.Datetime.to_datetime(value)
    except (TypeError, ValueError):
        _fail(where, field, f"a naive UTC time 'YYYY-MM-DD HH:MM:SS', got {value!r}")


def _choice(raw, where, field, allowed):
    value = raw.get(field)
    if value not in allowed:
        _fail(where, field, f"one of {', '.join(allowed)}, got {value!r}")
    return value


def parse_notification(raw, index):
    """Checks one notification of record_transitions and returns it with typed values.

    Errors name the notification (its key, or its position when the key is missing) and the field, so that the
    backend's log says what to fix.
    """
    where = f"notification #{index}"
    if not isinstance(raw, dict):
        _fail(where, "notification", f"an object, got {type(raw).__name__}")
    key = _text(raw, where, "key")
    where = f"notification {key!r}"
    labels = _text(raw, where, "labels", required=False)
    for pair in filter(None, labels.split(",")):
        if "=" not in pair:
            _fail(where, "labels", f"comma-separated name=value pairs, got {labels!r}")
    mail = raw.get("mail", True)
    if not isinstance(mail, bool):
        _fail(where, "mail", f"true or false, got {mail!r}")
    return {
        "key": key,
        "fingerprint": _text(raw, where, "fingerprint"),
        "transition": _choice(raw, where, "transition", [t for t, _label in TRANSITIONS]),
        "tenant": _text(raw, where, "tenant"),
        "sli": _text(raw, where, "sli"),
        "sli_title": _text(raw, where, "sli_title", required=False) or _text(raw, where, "sli"),
        "labels": ",".join(pair.strip() for pair in labels.split(",") if pair.strip()),
        "severity": _choice(raw, where, "severity", SEVERITIES),
        "value": _number(raw, where, "value"),
        "objective": _number(raw, where, "objective", required=True),
        "unit": _choice(raw, where, "unit", [u for u, _label in UNITS]),
        "since": _utc(raw, where, "since", required=True),
        "resolved_at": _utc(raw, where, "resolved_at"),
        "budget_left": _number(raw, where, "budget_left"),
        "probable_cause": _text(raw, where, "probable_cause", required=False) or None,
        "mail": mail,
    }
