/**
 * A backend stand-in for the crash test: writes one notification to the outbox of the store at STORE_URL, says
 * so, then hangs before sending it, until it is killed with SIGKILL.
 */
import { openStore } from "../../server/store/open.ts";

const store = await openStore({ url: process.env.STORE_URL! });
await store.outbox.enqueue({ idempotencyKey: "demo/cron_failing_jobs/firing/1", channel: "smtp", recipient: "ops@example.com", subject: "[page] demo: cron_failing_jobs", body: "1 scheduled job failing" });
console.log("written");
setInterval(() => {}, 1000);
