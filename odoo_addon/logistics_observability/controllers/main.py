# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import http
from odoo.http import request

from ..models.logistics_backend import ALLOWED_PATHS, BackendUnavailable

GROUP_USER = "logistics_observability.group_logistics_health_user"
FORWARDED_PARAMS = ("tenant", "sli", "from", "to", "kind", "state", "hours", "week_end", "days")


class LogisticsHealthController(http.Controller):
    """The browser's only way to the backend: Odoo checks the user's group, then calls the backend itself with
    the token it keeps. type="http" with a JSON answer works the same on Odoo 18 and 19 (json became jsonrpc)."""

    @http.route("/logistics_observability/api/<path:resource>", type="http", auth="user", methods=["GET"], readonly=True)
    def backend(self, resource, **params):
        if not request.env.user.has_group(GROUP_USER):
            return request.make_json_response({"error": "Logistics Health access is required."}, status=403)
        if resource not in ALLOWED_PATHS:
            return request.make_json_response({"error": f"Unknown resource: {resource}"}, status=404)
        query = {k: v for k, v in params.items() if k in FORWARDED_PARAMS}
        try:
            return request.make_json_response(request.env["logistics.backend"]._get(resource, query))
        except BackendUnavailable as error:
            return request.make_json_response({"error": str(error), "unavailable": True}, status=502)
