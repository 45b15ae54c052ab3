# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models


class IrConfigParameter(models.Model):
    """System parameters hold credentials (keys of mail and map providers, OAuth secrets): the trail names the
    parameter and what happened to it, never its value, before or after."""

    _inherit = "ir.config_parameter"

    @api.model_create_multi
    def create(self, vals_list):
        params = super().create(vals_list)
        params._audit("created", "system parameter created")
        return params

    def write(self, vals):
        # Compared in memory only, to record nothing when nothing changed; no value leaves this method.
        before = {param.id: (param.key, param.value) for param in self.sudo()}
        result = super().write(vals)
        for param in self.sudo():
            key, value = before[param.id]
            changes = (["value changed"] if value != param.value else []) + ([f"renamed from {key}"] if key != param.key else [])
            if changes:
                param._audit("changed", ", ".join(changes))
        return result

    def unlink(self):
        self._audit("deleted", "system parameter deleted")
        return super().unlink()

    def _audit(self, action, detail):
        events = self.env["logistics.audit.event"]
        if not events._recording():
            return
        for param in self.sudo():
            events._record("config", action, target_model=self._name, target_id=param.id, target_name=param.key, detail=detail)
