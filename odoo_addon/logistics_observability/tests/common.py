# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import json
from http.server import BaseHTTPRequestHandler
from unittest.mock import MagicMock

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


GROUP_USER = "base.group_user,logistics_observability.group_logistics_health_user"
GROUP_MANAGER = "base.group_user,logistics_observability.group_logistics_health_manager"


def alert_notification(key, transition="fired", **overrides):
    """A notification as the backend sends it to logistics.alert.record_transitions."""
    notification = {
        "key": key,
        "fingerprint": "demo/label_failure_ratio/carrier=dhl@1795860000000",
        "transition": transition,
        "tenant": "demo",
        "sli": "label_failure_ratio",
        "sli_title": "Carrier label failures",
        "labels": "carrier=dhl",
        "severity": "page",
        "value": 0.042,
        "objective": 0.01,
        "unit": "ratio",
        "since": "2026-11-29 10:00:00",
        "resolved_at": None,
        "budget_left": 0.42,
        "probable_cause": "integration",
        "mail": True,
    }
    notification.update(overrides)
    return notification


def backend_answer(status, body):
    """What requests returns for a backend reply: a status and a JSON body."""
    response = MagicMock(status_code=status)
    response.json.return_value = body
    return response



ALERT_FINGERPRINT = "demo/label_failure_ratio/carrier=dhl@1795860000000"


def incident_notification(key, transition="opened", **overrides):
    """A notification as the backend sends it to logistics.incident.record_transitions."""
    notification = {
        "key": key,
        "incident": "17",
        "tenant": "demo",
        "transition": transition,
        "title": "demo: Carrier label failures (dhl)",
        "subject": "[PAGE] demo: Carrier label failures (dhl) - probable cause: the DHL Express label service",
        "text": "demo: Carrier label failures (dhl) is open.\nProbable cause: the DHL Express label service",
        "severity": "page",
        "state": "open",
        "opened_at": "2026-11-29 10:04:00",
        "first_abnormal_at": "2026-11-29 10:00:00",
        "first_notified_at": "2026-11-29 10:04:00",
        "resolved_at": None,
        "mttd_seconds": 240,
        "mttr_seconds": None,
        "causes": [
            {"rank": 2, "layer": "database", "subject": "row locks in demo's database",
             "evidence": "lock waits 0 -> 3 from 10:01 UTC", "confidence": 0.2},
            {"rank": 1, "layer": "integration", "subject": "the DHL Express label service",
             "evidence": "DHL label errors 0% -> 38% from 09:59 UTC, 1 min before label failures", "confidence": 0.8},
        ],
        "timeline": [
            {"at": "2026-11-29 10:04:00", "kind": "opened", "text": "incident opened"},
            {"at": "2026-11-29 10:00:00", "kind": "abnormal", "text": "Carrier label failures (dhl) left its normal"},
        ],
        "alerts": [ALERT_FINGERPRINT],
        "mail": True,
    }
    notification.update(overrides)
    return notification


class JsonBackend(BaseHTTPRequestHandler):
    """A stand-in for the observability backend on loopback: GET answers what answer() returns, as JSON."""

    def answer(self):
        raise NotImplementedError

    def do_GET(self):  # noqa: N802 (http.server's naming)
        body = json.dumps(self.answer()).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass
