# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models
from odoo.exceptions import AccessError, UserError

#: Only aggregates and reads: the sampler must never be able to change anything through this method.
READ_METHODS = ("search_count", "search_read", "read_group")
MAX_CALLS = 50


class LogisticsSnapshot(models.AbstractModel):
    """One RPC for a whole sampling cycle.

    Every RPC costs tens of milliseconds of framework overhead whatever it does (authentication, environment,
    transaction), so the backend sends the read calls of a cycle together and this method runs them in one
    transaction, under the caller's own access rights (read_group aggregates in SQL through _read_group). Each
    call answers on its own: an access error on one model is that call's error, not the cycle's.
    """

    _name = "logistics.snapshot"
    _description = "Logistics observability snapshot"

    @api.model
    @api.readonly
    def batch(self, calls):
        if not isinstance(calls, list) or len(calls) > MAX_CALLS:
            raise UserError(f"calls: a list of at most {MAX_CALLS} read calls")
        return [self._run_call(call) for call in calls]

    def _run_call(self, call):
        model, method, kwargs = call.get("model"), call.get("method"), call.get("kwargs") or {}
        if method not in READ_METHODS:
            return self._fault(UserError(f"method {method!r} is not a read method ({', '.join(READ_METHODS)})"))
        if model not in self.env:
            return self._fault(UserError(f"Object {model} doesn't exist"))
        try:
            with self.env.cr.savepoint():
                return {"result": getattr(self.env[model], method)(**kwargs)}
        except (AccessError, UserError, ValueError, TypeError) as error:
            return self._fault(error)

    @staticmethod
    def _fault(error):
        name = type(error).__module__ + "." + type(error).__name__
        if name.startswith("builtins."):
            name = "builtins." + type(error).__name__
        message = error.args[0] if error.args else str(error)
        return {"error": {"name": name, "message": str(message)}}
