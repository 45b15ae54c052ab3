/** Stable text key of a label set, so that {b,a} and {a,b} are the same series. */
export function labelsKey(labels: Record<string, string>): string {
  return Object.keys(labels)
    .sort()
    .map((k) => `${k}=${labels[k]}`)
    .join(",");
}
