# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging

import requests

from odoo import _, api, models

_logger = logging.getLogger(__name__)

PARAM_URL = "logistics_observability.backend_url"
#: Where earlier versions kept the token (readable by Settings administrators); moved on upgrade.
PARAM_TOKEN = "logistics_observability.backend_token"
#: The name this database has in the backend. Set, it is the only tenant this Odoo reads or silences there.
PARAM_TENANT = "logistics_observability.backend_tenant"
TIMEOUT = 5  # seconds: the browser waits on this request, keep it short

#: The backend paths the browser may reach through Odoo (read-only).
ALLOWED_PATHS = ("slis/current", "slis", "tenants", "collectors", "catalog", "events", "slos", "anomalies", "alerts", "incidents", "token", "digest", "scorecard")
#: The only backend resources Odoo may change: a manager silences alerts from the alert form.
POST_PATHS = ("silences",)


class BackendUnavailable(Exception):
    """The backend could not answer; the message is fit for a user and never carries the token."""


class LogisticsBackend(models.AbstractModel):
    """Server-to-server access to the observability backend, with this tenant's token (logistics.backend.secret)."""

    _name = "logistics.backend"
    _description = "Logistics observability backend"

    @api.model
    def _url(self):
        return (self.env["ir.config_parameter"].sudo().get_param(PARAM_URL) or "").rstrip("/")

    @api.model
    def _settings(self):
        url = self._url()
        return url, self.env["logistics.backend.secret"]._token_for(url)

    @api.model
    def _set_credentials(self, url, token):
        """Saves the URL and the token entered for it (tests, scripts and the settings form)."""
        url = (url or "").rstrip("/")
        self.env["ir.config_parameter"].sudo().set_param(PARAM_URL, url)
        self.env["logistics.backend.secret"]._store(url, token)

    @api.model
    def _tenant(self):
        return (self.env["ir.config_parameter"].sudo().get_param(PARAM_TENANT) or "").strip()

    @api.model
    def _get(self, path, params=None):
        if path not in ALLOWED_PATHS:
            raise BackendUnavailable(_("Unknown backend resource: %s", path))
        tenant = self._tenant()
        if not tenant:
            return self._call("GET", path, params=params or {})
        # One backend may serve several companies' databases: this one sees its own tenant, whatever was asked.
        answer = self._call("GET", path, params=dict(params or {}, tenant=tenant))
        mine = {tenant, "global"}
        if path == "tenants":
            answer["tenants"] = [t for t in answer.get("tenants", []) if t.get("name") == tenant]
        elif path == "collectors":
            answer["collectors"] = [c for c in answer.get("collectors", []) if c.get("tenant") in mine]
        elif path == "slis/current":
            answer["slis"] = [s for s in answer.get("slis", []) if s.get("tenant") in mine]
        return answer

    @api.model
    def _post(self, path, payload):
        if path not in POST_PATHS:
            raise BackendUnavailable(_("Unknown backend resource: %s", path))
        return self._call("POST", path, json=payload)

    @api.model
    def _call(self, method, path, credentials=None, **kwargs):
        """One place decides what a failed exchange means, whatever the verb.

        credentials: (url, token) to use instead of the saved ones (Test connection on the values typed).
        """
        url, token = credentials or self._settings()
        if not url:
            raise BackendUnavailable(_("The backend is not configured (Settings > Logistics Health)."))
        if not token:
            raise BackendUnavailable(_("No token is set for %s: enter this tenant's token in Settings > Logistics Health.", url))
        send = requests.post if method == "POST" else requests.get
        try:
            response = send(
                f"{url}/api/v1/{path}",
                headers={"Authorization": f"Bearer {token}"},
                timeout=TIMEOUT,
                allow_redirects=False,
                **kwargs,
            )
        except requests.Timeout as error:
            raise BackendUnavailable(_("The backend did not answer in time.")) from error
        except requests.RequestException as error:
            raise BackendUnavailable(_("The backend cannot be reached (%s).", type(error).__name__)) from error
        if response.status_code == 401:
            raise BackendUnavailable(_("The backend refused the token: check it in Settings > Logistics Health."))
        if response.status_code >= 400:
            try:
                body = response.json()
            except ValueError:
                body = {}
            detail = body.get("error", "") if isinstance(body, dict) else ""
            raise BackendUnavailable(_("The backend answered %(status)s %(detail)s", status=response.status_code, detail=detail))
        try:
            return response.json()
        except ValueError as error:
            raise BackendUnavailable(_("The backend's answer is not JSON: is the URL right?")) from error
