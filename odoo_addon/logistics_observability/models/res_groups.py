# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models

#: The groups whose members can change what everyone else may do, or run the warehouse and sales as administrators.
PRIVILEGED_GROUPS = (
    "base.group_system",
    "base.group_erp_manager",
    "stock.group_stock_manager",
    "sales_team.group_sale_manager",
)


class ResGroups(models.Model):
    _inherit = "res.groups"

    def write(self, vals):
        if not ("users" in vals or "implied_ids" in vals) or not self.env["logistics.audit.event"]._recording():
            return super().write(vals)
        before = self._audit_privileged_memberships()
        result = super().write(vals)
        self._audit_privilege_changes(before)
        return result

    @api.model
    def _audit_privileged_groups(self):
        groups = self.browse()
        for xmlid in PRIVILEGED_GROUPS:
            groups |= self.env.ref(xmlid, raise_if_not_found=False) or self.browse()
        return groups

    @api.model
    def _audit_privileged_memberships(self):
        """(user id, group id) of every effective member of a privileged group, implied memberships included.

        Read from the relation itself: Odoo stores implied groups there too (and adds them with SQL), so the
        rows are what has_group() answers, however the membership came (groups_id, the reified in_group_* and
        sel_groups_* fields of the user form, a group's users, or a group that now implies another).
        """
        groups = self._audit_privileged_groups()
        if not groups:
            return set()
        self.env["res.users"].flush_model(["groups_id"])
        self.flush_model(["users"])
        self.env.cr.execute("SELECT uid, gid FROM res_groups_users_rel WHERE gid IN %s", [tuple(groups.ids)])
        return set(self.env.cr.fetchall())

    @api.model
    def _audit_privilege_changes(self, before):
        """Records one privilege event per membership gained or lost since the snapshot `before`."""
        after = self._audit_privileged_memberships()
        changes = [("granted", pair) for pair in sorted(after - before)] + [("revoked", pair) for pair in sorted(before - after)]
        if not changes:
            return
        en = self.env(context=dict(self.env.context, lang="en_US", active_test=False), su=True)
        events = self.env["logistics.audit.event"]
        for action, (user_id, group_id) in changes:
            user = en["res.users"].browse(user_id)
            group = en["res.groups"].browse(group_id)
            verb = "added to" if action == "granted" else "removed from"
            events._record(
                "privilege", action,
                target_model="res.users", target_id=user_id, target_name=group.full_name,
                detail=f"{user.login} {verb} {group.full_name}",
            )
