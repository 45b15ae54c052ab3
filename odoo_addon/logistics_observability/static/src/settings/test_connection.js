/** @odoo-module **/
import { Component, useState } from "@odoo/owl";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { standardWidgetProps } from "@web/views/widgets/standard_widget_props";

/**
 * Settings > Logistics Health > Test connection, on the URL, token and tenant as typed. A button of the form would
 * first ask to save the settings (and the save reloads the page without running the test): this one reads the
 * record's current values and asks the server to test them, saving nothing. A tenant learned from a bound token
 * fills the empty "Tenant in the backend" field, saved with the other settings.
 */
export class LogisticsTestConnection extends Component {
    static template = "logistics_observability.TestConnection";
    static props = { ...standardWidgetProps };

    setup() {
        this.orm = useService("orm");
        this.notification = useService("notification");
        this.state = useState({ testing: false });
    }

    async onClick() {
        const record = this.props.record;
        this.state.testing = true;
        try {
            // Commits what is still being typed in a field, so that the test sees it.
            await record.isDirty();
            const { logistics_backend_url: url, logistics_backend_token: token, logistics_backend_tenant: tenant } = record.data;
            const result = await this.orm.call("res.config.settings", "logistics_test_connection", [], {
                url: url || "",
                token: token || "",
                tenant: tenant || "",
            });
            if (result.tenant && !record.data.logistics_backend_tenant) {
                await record.update({ logistics_backend_tenant: result.tenant });
            }
            this.notification.add(result.message, { title: result.title, type: result.type });
        } finally {
            this.state.testing = false;
        }
    }
}

registry.category("view_widgets").add("logistics_test_connection", { component: LogisticsTestConnection });
