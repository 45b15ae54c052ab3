# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The alert and incident emails give their times on each reader's clock instead of in UTC. Their templates are
noupdate (an administrator may reword them), so an upgrade does not touch them: a template still as shipped gets the
new body here, a reworded one is left as it is and the log says so."""
import logging

from lxml import etree

from odoo import SUPERUSER_ID, api
from odoo.tools.misc import file_path

_logger = logging.getLogger(__name__)
TEMPLATES = ("mail_template_logistics_alert", "mail_template_incident_transition")
SHIPPED_MARK = "tz='UTC'"


def _shipped_bodies():
    tree = etree.parse(file_path("logistics_observability/data/mail_template_data.xml"))
    bodies = {}
    for record in tree.iterfind(".//record"):
        field = record.find("field[@name='body_html']")
        if record.get("id") in TEMPLATES and field is not None:
            bodies[record.get("id")] = (field.text or "") + "".join(etree.tostring(child, encoding="unicode") for child in field)
    return bodies


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {"lang": "en_US"})
    bodies = _shipped_bodies()
    for name, body in bodies.items():
        template = env.ref(f"logistics_observability.{name}", raise_if_not_found=False)
        if not template:
            continue
        if SHIPPED_MARK in (template.body_html or ""):
            template.body_html = body
        else:
            _logger.info("mail template %s was reworded: its times stay as written there", name)
