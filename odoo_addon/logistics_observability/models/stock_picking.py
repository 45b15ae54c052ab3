# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging
import time

from odoo import SUPERUSER_ID, api, models

_logger = logging.getLogger(__name__)


class StockPicking(models.Model):
    _inherit = "stock.picking"

    def send_to_shipper(self):
        """Times the label request of each picking (automatic on validation, or the manual "Send to Shipper").

        A failure propagates and rolls the validation back, so it is written at once on a separate cursor. A
        success is written only after the commit: a later error in the same request may still undo it.
        """
        self.ensure_one()
        started = time.monotonic()
        try:
            result = super().send_to_shipper()
        except Exception as error:
            self._record_label_event(self.env["logistics.label.event"]._values_for(self, time.monotonic() - started, error))
            raise
        values = self.env["logistics.label.event"]._values_for(self, time.monotonic() - started)
        self.env.cr.postcommit.add(lambda: self._record_label_event(values))
        return result

    def _record_label_event(self, values):
        # Never let the bookkeeping hide the carrier's own error or break a validation that succeeded.
        try:
            with self.env.registry.cursor() as cr:
                api.Environment(cr, SUPERUSER_ID, {})["logistics.label.event"].create(values)
        except Exception:
            _logger.exception("could not record a label event for %s", values.get("picking_name"))
