# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


class ResUsersApikeys(models.Model):
    _inherit = "res.users.apikeys"

    def _audited(self):
        # auth_totp's trusted devices inherit this model under another name: they are not API keys.
        return self._name == "res.users.apikeys" and self.env["logistics.audit.event"]._recording()

    def _generate(self, scope, name, expiration_date):
        key = super()._generate(scope, name, expiration_date)
        if self._audited():
            # _generate inserts with SQL for the current user and returns only the key itself, never recorded.
            self.env.cr.execute(f"SELECT max(id) FROM {self._table} WHERE user_id = %s", [self.env.user.id])
            [key_id] = self.env.cr.fetchone()
            expires = f", expires {expiration_date:%Y-%m-%d}" if expiration_date else ", persistent"
            self.env["logistics.audit.event"]._record(
                "api_key", "created", target_model=self._name, target_id=key_id, target_name=name,
                detail=f"API key of {self.env.user.login} (scope {scope or 'rpc'}{expires})",
            )
        return key

    def unlink(self):
        """Revocation (remove() by the owner or an administrator, which unlinks through sudo())."""
        if self._audited():
            events = self.env["logistics.audit.event"]
            for key in self.sudo():
                events._record(
                    "api_key", "deleted", target_model=self._name, target_id=key.id, target_name=key.name,
                    detail=f"API key of {key.user_id.login} (scope {key.scope or 'rpc'})",
                )
        return super().unlink()
