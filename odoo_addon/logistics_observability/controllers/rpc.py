# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import http
from odoo.addons.base.controllers.rpc import RPC
from odoo.http import request

from ..models.logistics_audit_event import rpc_caller


class AuditedRPC(RPC):
    """Odoo hides the request while it runs an XML-RPC or JSON-RPC call (borrow_request), so a failed RPC login or
    a change made over RPC would have no source address: keep the caller's for the length of the call.

    Controllers of a database serve only requests routed to it (a session's database, or the only one that
    --db-filter or --database leaves); calls a server serves without a database keep no address."""

    @http.route()
    def jsonrpc(self, service, method, args):
        with rpc_caller(request.httprequest.remote_addr):
            return super().jsonrpc(service, method, args)

    def _xmlrpc(self, service):
        with rpc_caller(request.httprequest.remote_addr):
            return super()._xmlrpc(service)
