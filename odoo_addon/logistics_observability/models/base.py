# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models

#: Field names a detail lists before it says how many more there were.
FIELDS_NAMED = 20


class Base(models.AbstractModel):
    _inherit = "base"

    def export_data(self, fields_to_export):
        """Every export of the web client (and of RPC callers) goes through here; a grouped export calls it once
        per group, and so records one event per group. Exporting the audit trail is an export too."""
        result = super().export_data(fields_to_export)
        events = self.env["logistics.audit.event"]
        if events._recording():
            named = ", ".join(fields_to_export[:FIELDS_NAMED])
            more = f" and {len(fields_to_export) - FIELDS_NAMED} more" if len(fields_to_export) > FIELDS_NAMED else ""
            events._record(
                "export", "exported", target_model=self._name, target_name=self._description, rows=len(self),
                detail=f"{len(self)} records, fields: {named}{more}",
            )
        return result
