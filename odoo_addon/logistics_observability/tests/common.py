# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import SUPERUSER_ID, api


def committed_label_events(registry, picking_id):
    """Label events as another transaction sees them: only what was committed."""
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        return env["logistics.label.event"].search([("picking_ref", "=", picking_id)]).read(
            ["success", "carrier_name", "duration", "error_class", "error_message"]
        )


def delete_committed_label_events(registry, picking_id):
    """The recording commits on its own cursor: clean up behind the test."""
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        env["logistics.label.event"].search([("picking_ref", "=", picking_id)]).unlink()
