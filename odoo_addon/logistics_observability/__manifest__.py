# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Logistics Observability",
    "summary": "Business service levels of logistics (orders, deliveries, waves, carrier labels, jobs) "
    "inside Odoo, fed by the observability backend",
    "version": "18.0.1.5.0",
    "category": "Inventory/Inventory",
    "website": "https://github.com/odoo-logistics-observability/odoo-logistics-observability",
    "author": "Odoo Logistics Observability contributors",
    "license": "LGPL-3",
    "depends": ["stock", "sale_stock", "stock_delivery", "stock_picking_batch", "mail"],
    "data": [
        "security/logistics_observability_security.xml",
        "security/ir.model.access.csv",
        "data/mail_template_data.xml",
        "data/mail_template_digest_data.xml",
        "data/ir_cron_digest_data.xml",
        "data/ir_cron_audit_data.xml",
        "views/logistics_alert_views.xml",
        "views/logistics_incident_views.xml",
        "wizards/logistics_alert_silence_wizard_views.xml",
        "views/logistics_label_event_views.xml",
        "views/logistics_audit_event_views.xml",
        "views/stock_picking_batch_views.xml",
        "views/res_config_settings_views.xml",
        "views/logistics_dashboard_action.xml",
        "views/menus.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "logistics_observability/static/src/dashboard/**/*",
            "logistics_observability/static/src/settings/**/*",
        ],
    },
    "installable": True,
    "application": True,
}
