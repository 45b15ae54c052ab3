// parse-prometheus-text-format 1.1.1 ships no TypeScript types: this declares only what its dist/ code returns.
declare module "parse-prometheus-text-format" {
  /** One sample; every number stays the string the exposition had ("12", "1.5e+06", "+Inf"). */
  export interface PrometheusSample {
    value?: string;
    labels?: Record<string, string>;
    timestamp_ms?: string;
    /** Histograms and summaries without labels only: the library folds a labelled one's series together. */
    buckets?: Record<string, string>;
    quantiles?: Record<string, string>;
    count?: string;
    sum?: string;
  }

  export interface PrometheusFamily {
    name: string;
    help: string;
    /** The TYPE line's word upper-cased ("COUNTER", "HISTOGRAM"...), "UNTYPED" without one. */
    type: string;
    metrics: PrometheusSample[];
  }

  /** Throws an Error ("Encountered invalid line: ...") on a line that is not in the text format. */
  export default function parsePrometheusTextFormat(text: string): PrometheusFamily[];
}
