# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class LogisticsBackendSecret(models.Model):
    """The backend token, out of reach of every Odoo user.

    System parameters are readable by any Settings administrator (and through any read method). This model has an
    access row that grants nothing, so neither the UI, RPC, exports nor the snapshot method can read it; only the
    addon's own code does, with sudo. The token is bound to the URL it was entered for: it is never sent anywhere
    else, whatever URL is typed later.
    """

    _name = "logistics.backend.secret"
    _description = "Logistics observability backend credential"
    _log_access = False

    url = fields.Char(required=True)
    token = fields.Char(required=True)

    @api.model
    def _current(self):
        return self.sudo().search([], limit=1)

    @api.model
    def _token_for(self, url):
        """The token entered for this URL, or "" (none, or entered for another URL)."""
        secret = self._current()
        return secret.token if secret and secret.url == url else ""

    @api.model
    def _store(self, url, token):
        self.sudo().search([]).unlink()
        if url and token:
            self.sudo().create({"url": url, "token": token})

    @api.model
    def _forget(self):
        self.sudo().search([]).unlink()
