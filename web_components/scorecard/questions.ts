import { _t } from "../dashboard/t.ts";

/** One of the five answers as the backend's /scorecard gives it. */
export interface ScorecardAnswer {
  key: "detection" | "isolation" | "backups" | "tenants" | "changes";
  question: string;
  answer: "yes" | "partly" | "no" | "unknown";
  verdict: string;
  figures: Record<string, unknown>;
}

/** The five questions the business asks, in the user's language (the backend's English when it asks another). */
export function questionText(a: Pick<ScorecardAnswer, "key" | "question">): string {
  const text: Record<ScorecardAnswer["key"], () => string> = {
    detection: () => _t("Do we detect problems before customers do?"),
    isolation: () => _t("Can we tell which layer is at fault?"),
    backups: () => _t("Are backups and restores tested?"),
    tenants: () => _t("Are tenants isolated, and is their cost visible?"),
    changes: () => _t("Are changes governed?"),
  };
  return text[a.key]?.() ?? a.question;
}

export function answerText(answer: ScorecardAnswer["answer"]): string {
  return { yes: _t("Yes"), partly: _t("Partly"), no: _t("No"), unknown: _t("Unknown") }[answer];
}

export const ANSWER_CLASS: Record<ScorecardAnswer["answer"], string> = { yes: "text-bg-success", partly: "text-bg-warning", no: "text-bg-danger", unknown: "text-bg-secondary" };

/** The answers in the order the questions are asked, whatever order the backend gives them in. Pure. */
export function ordered(answers: readonly ScorecardAnswer[]): ScorecardAnswer[] {
  const order = ["detection", "isolation", "backups", "tenants", "changes"];
  return [...answers].sort((a, b) => order.indexOf(a.key) - order.indexOf(b.key));
}
