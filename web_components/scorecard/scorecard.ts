import { Component, onWillStart, useState } from "@odoo/owl";
import { formatDateTime } from "@web/core/l10n/dates";
import { _t as odooTranslate } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { standardActionServiceProps } from "@web/webclient/actions/action_service";
import { fetchJson } from "../dashboard/backend.ts";
import { useTranslation } from "../dashboard/t.ts";
import { ANSWER_CLASS, answerText, ordered, questionText, type ScorecardAnswer } from "./questions.ts";

const PERIODS = [30, 90] as const;

/**
 * The scorecard: five questions the business asks of its Odoo hosting (detect before customers, isolate the layer,
 * restores tested, tenants isolated and cost visible, changes governed), each answered from the backend's store
 * with a verdict and its figures over the last 30 or 90 days.
 */
class LogisticsScorecard extends Component {
  static override template = "logistics_observability.Scorecard";
  static override props = { ...standardActionServiceProps } as Record<string, { optional?: boolean }>;
  periods = PERIODS;
  declare state: { days: number; answers: ScorecardAnswer[]; from: string; to: string; error: string | null; loaded: boolean };

  override setup(): void {
    useTranslation(odooTranslate);
    this.state = useState({ days: 30, answers: [], from: "", to: "", error: null, loaded: false });
    onWillStart(() => this.load());
  }

  async load(): Promise<void> {
    try {
      const body = (await fetchJson("scorecard", { days: String(this.state.days) })) as { answers: ScorecardAnswer[]; from: string; to: string };
      Object.assign(this.state, { answers: ordered(body.answers), from: body.from, to: body.to, error: null, loaded: true });
    } catch (err) {
      Object.assign(this.state, { answers: [], error: err instanceof Error ? err.message : String(err), loaded: true });
    }
  }

  async setDays(days: number): Promise<void> {
    this.state.days = days;
    await this.load();
  }

  question = questionText;
  answer = answerText;
  answerClass = (a: ScorecardAnswer) => ANSWER_CLASS[a.answer];
  time = (iso: string) => (iso ? formatDateTime(luxon.DateTime.fromISO(iso)) : "");
}

registry.category("actions").add("logistics_observability.scorecard", LogisticsScorecard);
