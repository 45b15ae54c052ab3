# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class LogisticsLabelEvent(models.Model):
    """One call of stock.picking.send_to_shipper: which carrier, how long, and whether a label came back.

    Failures are written on a separate cursor while the validation rolls back, so the picking and carrier are
    kept as plain ids and names: a foreign key to a record created in the rolled-back transaction would refuse
    the row, and the failure is exactly what must not be lost.
    """

    _name = "logistics.label.event"
    _description = "Carrier label event"
    _order = "create_date desc, id desc"
    _rec_name = "picking_name"

    picking_ref = fields.Integer("Transfer ID", readonly=True, index=True)
    picking_name = fields.Char("Transfer", readonly=True)
    carrier_ref = fields.Integer("Carrier ID", readonly=True)
    carrier_name = fields.Char("Carrier", readonly=True, index=True)
    delivery_type = fields.Char("Provider", readonly=True)
    duration = fields.Float("Duration (s)", readonly=True, digits=(16, 3), aggregator="avg")
    success = fields.Boolean(readonly=True, index=True)
    error_class = fields.Char("Error", readonly=True)
    error_message = fields.Char("Message", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True, index=True, default=lambda self: self.env.company)
    picking_id = fields.Many2one("stock.picking", "Transfer record", compute="_compute_picking_id")

    @api.depends("picking_ref")
    def _compute_picking_id(self):
        existing = set(self.env["stock.picking"].browse(self.mapped("picking_ref")).exists().ids)
        for event in self:
            event.picking_id = event.picking_ref if event.picking_ref in existing else False

    def action_open_picking(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "stock.picking",
            "res_id": self.picking_ref,
            "view_mode": "form",
            "target": "current",
        }

    @api.model
    def _values_for(self, picking, duration, error=None):
        carrier = picking.carrier_id
        return {
            "picking_ref": picking.id,
            "picking_name": picking.name,
            "carrier_ref": carrier.id,
            "carrier_name": carrier.name or "",
            "delivery_type": carrier.delivery_type or "",
            "duration": duration,
            "success": error is None,
            "error_class": type(error).__name__ if error is not None else False,
            # The first line only: carrier errors can embed whole request dumps.
            "error_message": (str(error).splitlines() or [""])[0][:250] if error is not None else False,
            "company_id": picking.company_id.id,
        }
