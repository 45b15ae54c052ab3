# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class LogisticsIncidentCause(models.Model):
    """One probable cause of an incident as the backend ranked it; each transition replaces the ranking."""

    _name = "logistics.incident.cause"
    _description = "Probable cause of a logistics incident"
    _order = "incident_id, rank, id"
    _rec_name = "subject"

    incident_id = fields.Many2one("logistics.incident", required=True, readonly=True, index=True, ondelete="cascade")
    rank = fields.Integer(required=True, readonly=True)
    layer = fields.Char(readonly=True, help="application, database, integration, infrastructure, tenant, change, monitoring…")
    subject = fields.Char(required=True, readonly=True, help="What is to blame, in a few words.")
    evidence = fields.Char(readonly=True, help="Why, in words a person can check.")
    confidence = fields.Float("Confidence (0-1)", readonly=True, digits=(16, 4),
                              help="Share of the weight of evidence this cause carries among the candidates (0 to 1).")
    confidence_display = fields.Char("Confidence", compute="_compute_confidence_display")
    company_id = fields.Many2one(related="incident_id.company_id", store=True, index=True)

    @api.depends("confidence")
    def _compute_confidence_display(self):
        for cause in self:
            cause.confidence_display = f"{cause.confidence * 100:.0f}%"
