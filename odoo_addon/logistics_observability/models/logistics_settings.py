# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging

from odoo import _, api, models
from odoo.exceptions import AccessError

_logger = logging.getLogger(__name__)

GROUP_USER = "logistics_observability.group_logistics_health_user"
PARAM_SLO_TARGET = "logistics_observability.slo.target"
PARAM_SLO_WINDOW_DAYS = "logistics_observability.slo.window_days"

#: ir.config_parameter key -> (the backend's SLI id, conversion from the settings' unit to the SLI's unit).
OBJECTIVES = {
    "logistics_observability.target.on_time_delivery_ratio": ("on_time_delivery_ratio", float),
    "logistics_observability.target.late_open_deliveries": ("late_open_deliveries", lambda raw: int(float(raw))),
    "logistics_observability.target.label_failure_ratio": ("label_failure_ratio", float),
    "logistics_observability.target.order_confirm_to_full_ship_p95_hours": (
        "order_confirm_to_full_ship_p95_seconds", lambda raw: float(raw) * 3600.0),
}
SLO = {
    PARAM_SLO_TARGET: ("target", float),
    PARAM_SLO_WINDOW_DAYS: ("windowDays", lambda raw: int(float(raw))),
}


class LogisticsSettings(models.AbstractModel):
    """What the administrator set on the settings page, in the backend's terms, read by the backend each cycle.

    Only the parameters actually stored appear: on a fresh install the answer is empty and the backend keeps the
    objectives of its own configuration.
    """

    _name = "logistics.settings"
    _description = "Logistics Health settings for the backend"

    @api.model
    @api.readonly
    def objectives(self):
        user = self.env.user
        if not (self.env.su or user.has_group(GROUP_USER) or user.has_group("base.group_system")):
            raise AccessError(_("Only Logistics Health users may read its settings (user %s).", user.login))
        params = self.env["ir.config_parameter"].sudo()
        return {"objectives": self._read(params, OBJECTIVES), "slo": self._read(params, SLO)}

    @staticmethod
    def _read(params, mapping):
        values = {}
        for key, (name, convert) in mapping.items():
            raw = params.get_param(key)
            if raw in (False, None, ""):
                continue
            try:
                values[name] = convert(raw)
            except ValueError:
                # A value typed by hand in System Parameters: the backend keeps its own rather than fail each cycle.
                _logger.warning("Ignoring the system parameter %s=%r: not a number", key, raw)
        return values
