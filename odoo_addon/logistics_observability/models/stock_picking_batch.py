# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class StockPickingBatch(models.Model):
    _inherit = "stock.picking.batch"

    # Odoo has no done date on batches and waves; wave delay needs one, so it is kept when the state turns done.
    date_done = fields.Datetime("Done on", compute="_compute_date_done", store=True, readonly=True, copy=False)

    @api.depends("state")
    def _compute_date_done(self):
        now = fields.Datetime.now()
        for batch in self:
            if batch.state != "done":
                batch.date_done = False
            elif not batch.date_done:
                batch.date_done = now
