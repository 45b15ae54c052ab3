# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging
from datetime import datetime

from odoo import api, fields, models

from .format import format_duration, format_value
from .logistics_backend import BackendUnavailable

_logger = logging.getLogger(__name__)

GROUP_MANAGER = "logistics_observability.group_logistics_health_manager"
TEMPLATE = "logistics_observability.mail_template_weekly_digest"


def _utc(iso):
    """The backend's ISO 8601 instants as the naive UTC datetimes Odoo's formatters take."""
    return datetime.fromisoformat(iso.replace("Z", "+00:00")).replace(tzinfo=None) if iso else False


class LogisticsDigest(models.AbstractModel):
    """The weekly digest for the Logistics Health managers: the backend's /digest, one mail per manager in their
    language and time zone. When the backend cannot be reached the mail says so: silence would read as a quiet
    week."""

    _name = "logistics.digest"
    _description = "Logistics Health weekly digest"

    @api.model
    def _recipients(self):
        """Active internal users of the manager group with an address; OdooBot is in the group for the backend's
        own calls, not to read mail."""
        users = self.env.ref(GROUP_MANAGER).sudo().users
        root = self.env.ref("base.user_root")
        return users.filtered(lambda u: u.active and not u.share and u.email and u != root)

    @api.model
    def _cron_send_weekly_digest(self):
        try:
            digest, error = self.env["logistics.backend"]._get("digest"), False
        except BackendUnavailable as exc:
            digest, error = {}, str(exc)
            _logger.warning("weekly digest: the backend is unavailable (%s); the managers are told so", error)
        template = self.env.ref(TEMPLATE).sudo()
        mails = self.env["mail.mail"]
        for user in self._recipients():
            values = self.with_context(lang=user.lang or "en_US")._mail_values(digest, error)
            mail_id = template.with_context(logistics_digest=values).send_mail(user.id, email_values={"recipient_ids": [(6, 0, user.partner_id.ids)]})
            mails |= mails.browse(mail_id)
        return mails

    @api.model
    def _mail_values(self, digest, error):
        """What the template shows, in this environment's language: labels translated, figures formatted."""
        lang = self.env.lang
        _ = self.env._
        trend = {"better": _("better"), "worse": _("worse"), "same": _("same")}
        labels = {
            "service_levels_met": _("Service levels met"),
            "incidents": _("Incidents"),
            "pages": _("Incidents that paged"),
            "mttd": _("Mean time to detect (MTTD)"),
            "mttr": _("Mean time to resolve (MTTR)"),
            "incidents_with_cause": _("Incidents with a probable cause"),
        }

        def figure(kpi, week):
            value, whole = kpi.get(week), (kpi.get("outOf") or {}).get(week)
            if value is None or whole == 0:
                return "-"
            text = format_duration(value, lang) if kpi.get("unit") == "seconds" else format_value(value, "count", lang)
            return _("%(value)s of %(whole)s", value=text, whole=format_value(whole, "count", lang)) if whole is not None else text

        tenant = digest.get("tenant") or self.env["logistics.backend"]._tenant() or ""
        if error:
            return {"unavailable": error, "tenant": tenant, "subject": _("Logistics Health weekly digest: the backend could not be reached")}
        levels = digest.get("serviceLevels", {})
        measured = levels.get("measured", 0)
        count = digest.get("incidents", {}).get("count", 0)
        return {
            "unavailable": False,
            "tenant": tenant,
            "subject": _(
                "Logistics Health weekly digest: %(tenant)s, %(start)s to %(end)s: %(met)s, %(incidents)s",
                tenant=tenant, start=digest.get("weekStart"), end=digest.get("weekEnd"),
                met=_("%(met)s of %(measured)s service levels met", met=levels.get("met", 0), measured=measured) if measured else _("no service level sampled"),
                incidents=_("%s incident(s)", count),
            ),
            "week_start": fields.Date.from_string(digest.get("weekStart")),
            "week_end": fields.Date.from_string(digest.get("weekEnd")),
            "complete": digest.get("complete", True),
            "kpis": [
                {"label": labels.get(k["key"], k.get("label")), "this_week": figure(k, "thisWeek"), "last_week": figure(k, "lastWeek"),
                 "trend": trend.get(k.get("trend"), ""), "trend_key": k.get("trend") or ""}
                for k in digest.get("kpis", [])
            ],
            "service_levels": [
                {"title": s["title"], "this_week": format_value(s.get("share"), "ratio", lang), "last_week": format_value(s.get("lastWeekShare"), "ratio", lang),
                 "target": format_value(s.get("target"), "ratio", lang), "missed": s.get("met") is False}
                for s in levels.get("slis", [])
            ],
            "incidents": [
                {"title": i["title"], "severity": i["severity"], "opened_at": _utc(i["openedAt"]),
                 "mttd": format_duration(i["mttdSeconds"], lang) if i.get("mttdSeconds") is not None else "-",
                 "mttr": format_duration(i["mttrSeconds"], lang) if i.get("resolvedAt") and i.get("mttrSeconds") is not None else False,
                 "cause": i.get("cause") and f"{i.get('causeLayer')}: {i['cause']}"}
                for i in digest.get("incidents", {}).get("list", [])
            ],
            "top_causes": [{"layer": c["layer"], "count": c["count"], "last_week": c["lastWeek"]} for c in digest.get("topCauses", [])],
        }
