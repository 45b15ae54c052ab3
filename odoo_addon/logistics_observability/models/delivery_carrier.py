# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models

#: Parts of a carrier field's name that say it holds a credential, or switches between test and production.
CREDENTIAL_NAME_PARTS = ("password", "passwd", "key", "secret", "token", "account", "username", "login", "prod_environment")


class DeliveryCarrier(models.Model):
    """Carrier connectors (stock_delivery and the delivery_* modules) keep their accounts and keys on the carrier:
    a change of them is a configuration change; the trail names the fields, never their values."""

    _inherit = "delivery.carrier"

    def write(self, vals):
        result = super().write(vals)
        credentials = sorted(name for name in vals if any(part in name for part in CREDENTIAL_NAME_PARTS))
        events = self.env["logistics.audit.event"]
        if credentials and events._recording():
            for carrier in self.sudo():
                events._record(
                    "config", "changed", target_model=self._name, target_id=carrier.id, target_name=carrier.name,
                    detail=f"fields changed: {', '.join(credentials)}",
                )
        return result
