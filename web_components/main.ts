// The addon's one bundle: each module registers its client action with Odoo's registry by side effect.
import "./dashboard/dashboard.ts";
import "./scorecard/scorecard.ts";
