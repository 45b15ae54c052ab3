import { StepFailure, type Step } from "./journey.ts";
import { isBundle } from "./page.ts";

/** Loads every bundle the last page named (`state.assets`), as the browser does, and fails on any that is not one. */
export function assetsStep<S extends { assets: string[] }>(): Step<S> {
  return {
    name: "assets",
    async run(session, state) {
      const answers = await Promise.all(state.assets.map(async (path) => ({ path, answer: await session.get(path) })));
      const bad = answers.filter(({ path, answer }) => answer.status !== 200 || !isBundle(path, answer.contentType, answer.body));
      if (bad.length) throw new StepFailure(`asset bundle failed: ${bad.map(({ path, answer }) => `${path.split("/").at(-1)} (HTTP ${answer.status}, ${answer.contentType || "no type"})`).join(", ")}`);
    },
  };
}
