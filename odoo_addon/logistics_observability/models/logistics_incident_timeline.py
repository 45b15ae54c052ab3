# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class LogisticsIncidentTimeline(models.Model):
    """One event of an incident's timeline (signal left its normal, alert fired, cause found, notified…), as the
    backend wrote it; each transition replaces the timeline."""

    _name = "logistics.incident.timeline"
    _description = "Logistics incident timeline entry"
    _order = "incident_id, at, id"
    _rec_name = "text"

    incident_id = fields.Many2one("logistics.incident", required=True, readonly=True, index=True, ondelete="cascade")
    at = fields.Datetime("When", required=True, readonly=True)
    kind = fields.Char(required=True, readonly=True,
                       help="abnormal, opened, alert_fired, alert_escalated, alert_worse, alert_resolved, cause, deploy, "
                            "backup, silence, notified, resolved…")
    text = fields.Char(required=True, readonly=True)
    company_id = fields.Many2one(related="incident_id.company_id", store=True, index=True)
