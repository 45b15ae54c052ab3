import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { KubernetesCollector } from "../../server/collectors/kubernetes.ts";
import { kubernetesReadings } from "../../server/collectors/kubernetes-readings.ts";

/**
 * The Kubernetes collector against an HTTPS API answering PodList and NodeList documents shaped as the
 * Kubernetes v1 API answers them (test/fixtures/kubernetes), with a service account token and the cluster's CA,
 * as in a pod.
 */
const pods = JSON.parse(readFileSync("test/fixtures/kubernetes/pods.json", "utf8"));
const nodes = JSON.parse(readFileSync("test/fixtures/kubernetes/nodes.json", "utf8"));
const NOW = new Date("2026-12-06T10:00:00Z");
let hasOpenssl = true;
try {
  execFileSync("openssl", ["version"], { stdio: "ignore" });
} catch {
  hasOpenssl = false;
}
if (!hasOpenssl) console.log("# kubernetes suite: NOT RUN (openssl not installed)");

describe("Kubernetes collector", { skip: hasOpenssl ? false : "openssl missing" }, () => {
  const dir = mkdtempSync(join(tmpdir(), "lo-k8s-"));
  const asked: Array<{ path: string; auth: string | undefined }> = [];
  let server: Server;
  let port = 0;
  let nodesForbidden = false;
  let restarts = 3;

  before(async () => {
    execFileSync("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", "key.pem", "-out", "ca.crt", "-days", "2", "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"], { cwd: dir, stdio: "ignore" });
    writeFileSync(join(dir, "token"), "sa-token-abc\n");
    server = createServer({ key: readFileSync(join(dir, "key.pem")), cert: readFileSync(join(dir, "ca.crt")) }, (req, res) => {
      asked.push({ path: req.url!, auth: req.headers.authorization });
      if (req.headers.authorization !== "Bearer sa-token-abc") return void res.writeHead(401).end();
      if (req.url === "/api/v1/nodes") return void (nodesForbidden ? res.writeHead(403).end("{}") : res.writeHead(200).end(JSON.stringify(nodes)));
      if (req.url === "/api/v1/namespaces/odoo/pods" || req.url === "/api/v1/pods") {
        const list = structuredClone(pods);
        list.items[0].status.containerStatuses[0].restartCount = restarts;
        if (req.url !== "/api/v1/pods") list.items = list.items.filter((p: { metadata: { namespace: string } }) => p.metadata.namespace === "odoo");
        return void res.writeHead(200).end(JSON.stringify(list));
      }
      res.writeHead(404).end();
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    port = (server.address() as { port: number }).port;
  });
  after(() => server?.close());

  const collector = (namespaces: string[] = []) =>
    new KubernetesCollector({ apiUrl: `https://127.0.0.1:${port}`, tokenFile: join(dir, "token"), caFile: join(dir, "ca.crt"), namespaces, pendingSeconds: 120, timeoutMs: 5000 });
  const value = (readings: Awaited<ReturnType<KubernetesCollector["collect"]>>, sli: string, namespace?: string) => readings.find((r) => r.sli === sli && r.labels?.namespace === namespace)?.value;

  test("restarts since the last reading, OOM kills, pods pending too long and nodes under pressure, per namespace", async () => {
    const c = collector();
    const first = await c.collect({ now: NOW, signal: AbortSignal.timeout(5000) } as never);
    assert.equal(first.find((r) => r.sli === "k8s_container_restarts" && r.labels?.namespace === "odoo")?.missing, "first reading: restarts are counted from the next one");
    assert.equal(value(first, "k8s_oom_kills", "odoo"), 1, "odoo-web was OOM-killed 110 s ago");
    assert.equal(value(first, "k8s_pending_pods", "odoo"), 1, "odoo-cron unschedulable for 10 min");
    assert.equal(value(first, "k8s_pending_pods", "ingress"), 0, "traefik pending for 30 s only");
    assert.equal(value(first, "k8s_nodes_under_pressure"), 1, "node-b under memory pressure");
    restarts = 5;
    const second = await c.collect({ now: new Date(NOW.getTime() + 60_000), signal: AbortSignal.timeout(5000) } as never);
    assert.equal(value(second, "k8s_container_restarts", "odoo"), 2);
    assert.equal(value(second, "k8s_oom_kills", "odoo"), 0, "the OOM kill was before the last reading");
    assert.ok(asked.every((a) => a.auth === "Bearer sa-token-abc"));
  });

  test("bound to its namespaces: only their pods, and nodes it may not list are missing, not an error", async () => {
    nodesForbidden = true;
    asked.length = 0;
    const readings = await collector(["odoo"]).collect({ now: NOW, signal: AbortSignal.timeout(5000) } as never);
    assert.deepEqual(asked.map((a) => a.path), ["/api/v1/namespaces/odoo/pods", "/api/v1/nodes"]);
    assert.deepEqual([...new Set(readings.flatMap((r) => (r.labels?.namespace ? [r.labels.namespace] : [])))], ["odoo"]);
    assert.match(readings.find((r) => r.sli === "k8s_nodes_under_pressure")!.missing!, /cannot be listed/);
    nodesForbidden = false;
  });

  test("a wrong CA is refused: the token never goes to an API the cluster's CA does not vouch for", async () => {
    const other = mkdtempSync(join(tmpdir(), "lo-k8s-other-"));
    execFileSync("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", "k.pem", "-out", "ca.crt", "-days", "2", "-subj", "/CN=other"], { cwd: other, stdio: "ignore" });
    asked.length = 0;
    const c = new KubernetesCollector({ apiUrl: `https://127.0.0.1:${port}`, tokenFile: join(dir, "token"), caFile: join(other, "ca.crt"), namespaces: [], pendingSeconds: 120, timeoutMs: 5000 });
    await assert.rejects(c.collect({ now: NOW, signal: AbortSignal.timeout(5000) } as never), /certificate|self.signed|verify/i);
    assert.equal(asked.length, 0);
  });

  test("a container first seen with restarts is not an increase; pure readings", () => {
    const { readings } = kubernetesReadings(pods, nodes, new Map(), NOW, 60_000, 120);
    assert.equal(readings.find((r) => r.sli === "k8s_container_restarts" && r.labels?.namespace === "odoo")?.value, 0);
  });
});
