# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models

#: What the Gmail and Outlook OAuth modules write by themselves each time they refresh an access token: not a
#: change anyone made.
OAUTH_REFRESH_FIELDS = {
    "google_gmail_access_token", "google_gmail_access_token_expiration",
    "microsoft_outlook_access_token", "microsoft_outlook_access_token_expiration",
}


class IrMailServer(models.Model):
    """Outgoing mail servers hold SMTP passwords and certificates: the trail names the fields changed, never
    their values."""

    _inherit = "ir.mail_server"

    @api.model_create_multi
    def create(self, vals_list):
        servers = super().create(vals_list)
        for server, vals in zip(servers, vals_list):
            server._audit("created", f"outgoing mail server created; fields set: {', '.join(sorted(vals))}")
        return servers

    def write(self, vals):
        result = super().write(vals)
        changed = sorted(set(vals) - OAUTH_REFRESH_FIELDS)
        if changed:
            self._audit("changed", f"fields changed: {', '.join(changed)}")
        return result

    def unlink(self):
        self._audit("deleted", "outgoing mail server deleted")
        return super().unlink()

    def _audit(self, action, detail):
        events = self.env["logistics.audit.event"]
        if not events._recording():
            return
        for server in self.sudo():
            events._record("config", action, target_model=self._name, target_id=server.id, target_name=server.name, detail=detail)
