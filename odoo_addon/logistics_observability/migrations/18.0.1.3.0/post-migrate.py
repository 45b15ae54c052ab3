# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The token moves out of the system parameters (readable by Settings administrators) into logistics.backend.secret."""
from odoo import SUPERUSER_ID, api

PARAM_URL = "logistics_observability.backend_url"
PARAM_TOKEN = "logistics_observability.backend_token"


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    params = env["ir.config_parameter"].sudo()
    token = params.get_param(PARAM_TOKEN)
    if token:
        env["logistics.backend.secret"]._store((params.get_param(PARAM_URL) or "").rstrip("/"), token)
    params.search([("key", "=", PARAM_TOKEN)]).unlink()
