# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models

#: Set while an immediate operation runs, so that the button it calls underneath records nothing twice.
RECORDED = "logistics_audit_module_recorded"


class IrModuleModule(models.Model):
    """Module operations from the Apps menu or RPC, recorded when requested (the immediate ones commit before
    loading the new registry, so the request is kept even when loading then fails). Installs and upgrades from
    the command line (-i, -u) happen before this code is loaded and are not recorded here."""

    _inherit = "ir.module.module"

    def button_immediate_install(self):
        self._audit("install")
        return super(IrModuleModule, self.with_context(**{RECORDED: True})).button_immediate_install()

    def button_immediate_upgrade(self):
        self._audit("upgrade")
        return super(IrModuleModule, self.with_context(**{RECORDED: True})).button_immediate_upgrade()

    def button_immediate_uninstall(self):
        self._audit("uninstall")
        return super(IrModuleModule, self.with_context(**{RECORDED: True})).button_immediate_uninstall()

    def button_install(self):
        self._audit("install", scheduled=True)
        return super().button_install()

    def button_upgrade(self):
        self._audit("upgrade", scheduled=True)
        return super().button_upgrade()

    def button_uninstall(self):
        self._audit("uninstall", scheduled=True)
        return super().button_uninstall()

    def _audit(self, action, scheduled=False):
        events = self.env["logistics.audit.event"]
        if not self or self.env.context.get(RECORDED) or not events._recording():
            return
        names = ", ".join(sorted(self.mapped("name")))
        events._record(
            "module", action, target_model=self._name, target_id=self.id if len(self) == 1 else False,
            target_name=names[:250],
            detail=f"{action} {'scheduled' if scheduled else 'requested'}: {names}"[:250],
        )
