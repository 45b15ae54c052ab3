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
                # The last picking done is when the batch became done; for batches already done when the module is
                # installed it is also the best estimate there is (rather than the installation time).
                batch.date_done = max(batch.picking_ids.filtered("date_done").mapped("date_done"), default=now)
