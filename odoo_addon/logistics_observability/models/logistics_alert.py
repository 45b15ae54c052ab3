# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class LogisticsAlert(models.Model):
    """A business-KPI alert raised by the observability backend (it creates and updates these records over
    JSON-RPC), kept in Odoo so that managers find it where they work, with its probable cause."""

    _name = "logistics.alert"
    _description = "Logistics health alert"
    _inherit = ["mail.thread"]
    _order = "state, started_at desc, id desc"
    _rec_name = "summary"

    summary = fields.Char(required=True, tracking=True)
    tenant = fields.Char(required=True, index=True)
    sli = fields.Char("Service level", required=True, index=True)
    severity = fields.Selection([("page", "Page"), ("ticket", "Ticket")], required=True, default="ticket", tracking=True)
    state = fields.Selection(
        [("firing", "Firing"), ("resolved", "Resolved")], required=True, default="firing", index=True, tracking=True
    )
    value = fields.Float(digits=(16, 4))
    objective = fields.Float(digits=(16, 4))
    budget_left = fields.Float("Error budget left", digits=(16, 4), help="Share of the error budget left in the SLO window.")
    probable_cause = fields.Char(help="The layer the backend blames: application, database, integration, infrastructure, tenant.")
    started_at = fields.Datetime("Since", required=True, default=fields.Datetime.now)
    resolved_at = fields.Datetime("Resolved on")
    fingerprint = fields.Char(required=True, index=True, help="Idempotency key: one record per alert episode.")
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)

    _sql_constraints = [
        ("fingerprint_unique", "unique(fingerprint)", "An alert episode is recorded once: the fingerprint must be unique."),
    ]
