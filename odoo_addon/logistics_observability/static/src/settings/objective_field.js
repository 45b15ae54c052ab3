/** @odoo-module **/
import { Component, onWillStart, useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { formatFloat } from "@web/core/utils/numbers";
import { useInputField } from "@web/views/fields/input_field_hook";
import { parseFloat, parseInteger } from "@web/views/fields/parsers";
import { standardFieldProps } from "@web/views/fields/standard_field_props";

const IN_FORCE_TTL_MS = 60_000;
let inForce = null;

/** What applies to each empty objective field, asked once for all the fields of the page. */
function objectivesInForce(orm) {
    if (!inForce || Date.now() - inForce.at > IN_FORCE_TTL_MS) {
        inForce = { at: Date.now(), answer: orm.call("res.config.settings", "logistics_objectives_in_force", []) };
        inForce.answer.catch(() => (inForce = null));
    }
    return inForce.answer;
}

/**
 * An objective of Settings > Logistics Health. Empty (stored as nothing, 0 in the record) means "the objective in
 * force", which the empty field shows greyed as its placeholder: the backend's own objective, or the addon's
 * default when the backend cannot be asked. Odoo's number fields would show 0, which reads as an objective of 0.
 * Clearing the field returns to the objective in force.
 */
export class LogisticsObjectiveField extends Component {
    static template = "logistics_observability.ObjectiveField";
    static props = { ...standardFieldProps, percentage: { type: Boolean, optional: true } };

    setup() {
        this.orm = useService("orm");
        this.state = useState({ placeholder: "", source: "" });
        useInputField({ getValue: () => this.formattedValue, refName: "input", parse: (text) => this.parse(text) });
        onWillStart(() => {
            // Not awaited: a slow backend must not hold the settings page; the placeholder arrives when it answers.
            objectivesInForce(this.orm).then((answer) => {
                const entry = answer?.[this.props.name];
                if (entry) {
                    this.state.placeholder = this.format(entry.value);
                    this.state.source = entry.source;
                }
            }, () => {});
        });
    }

    get hint() {
        if (this.state.source === "backend") {
            return _t("Empty: the backend's objective, shown greyed, applies.");
        }
        return this.state.source ? _t("Empty: the default objective, shown greyed, applies (the backend cannot be reached).") : "";
    }

    get isInteger() {
        return this.props.record.fields[this.props.name].type === "integer";
    }

    get formattedValue() {
        const value = this.props.record.data[this.props.name];
        return value ? this.format(value) : "";
    }

    format(value) {
        if (this.props.percentage) {
            return formatFloat(value * 100, { digits: [16, 2], trailingZeros: false });
        }
        return formatFloat(value, { digits: [16, this.isInteger ? 0 : 2], trailingZeros: false });
    }

    parse(text) {
        const trimmed = text.replace("%", "").trim();
        if (!trimmed) {
            return 0;
        }
        if (this.props.percentage) {
            return parseFloat(trimmed) / 100;
        }
        return this.isInteger ? parseInteger(trimmed) : parseFloat(trimmed);
    }
}

registry.category("fields").add("logistics_objective", {
    component: LogisticsObjectiveField,
    supportedTypes: ["integer", "float"],
    extractProps: ({ options }) => ({ percentage: Boolean(options.percentage) }),
});
