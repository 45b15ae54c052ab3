import { readFileSync } from "node:fs";
import { request } from "node:https";
import type { Sources } from "../config/load.ts";
import type { Reading } from "../sli/sample.ts";
import type { CollectContext, Collector } from "./collector.ts";
import { KUBERNETES_SLIS, kubernetesReadings, type NodeList, type PodList, type RestartCounts } from "./kubernetes-readings.ts";

export type KubernetesSource = NonNullable<Sources["kubernetes"]>;

const MAX_BYTES = 32 * 1024 * 1024;

/**
 * The cluster the tenants' Odoo runs in, read from the Kubernetes API with a read-only service account (get and
 * list on pods and nodes: deploy/helm): restarts, OOM kills, pods pending, nodes under pressure. In a pod it finds
 * the API, its token and CA where Kubernetes mounts them; the token file is read at every run (it is rotated).
 */
export class KubernetesCollector implements Collector {
  readonly tenant = "global";
  readonly source = "kubernetes";
  readonly slis = KUBERNETES_SLIS;
  #restarts: RestartCounts | undefined;
  #lastAt: number | undefined;

  constructor(private readonly config: KubernetesSource) {}

  async collect({ now, signal }: CollectContext): Promise<Reading[]> {
    const namespaces = this.config.namespaces;
    const podLists = namespaces.length
      ? await Promise.all(namespaces.map((ns) => this.get<PodList>(`/api/v1/namespaces/${encodeURIComponent(ns)}/pods`, signal)))
      : [await this.get<PodList>("/api/v1/pods", signal)];
    // Nodes are cluster-wide: a service account bound to its namespaces only may not list them; the rest still counts.
    const nodes = await this.get<NodeList>("/api/v1/nodes", signal).catch((err: Error) => (/ 403$/.test(err.message) ? null : Promise.reject(err)));
    const since = this.#lastAt === undefined ? this.config.pendingSeconds * 1000 : now.getTime() - this.#lastAt;
    const { readings, restarts } = kubernetesReadings({ items: podLists.flatMap((l) => l.items) }, nodes, this.#restarts, now, since, this.config.pendingSeconds);
    this.#restarts = restarts;
    this.#lastAt = now.getTime();
    return readings;
  }

  private get<T>(path: string, signal: AbortSignal): Promise<T> {
    const url = new URL(path, this.config.apiUrl);
    const token = readFileSync(this.config.tokenFile, "utf8").trim();
    const ca = this.config.caFile ? readFileSync(this.config.caFile) : undefined;
    return new Promise<T>((resolve, reject) => {
      const req = request(url, { headers: { authorization: `Bearer ${token}`, accept: "application/json" }, ca, signal, timeout: this.config.timeoutMs }, (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on("data", (c: Buffer) => {
          size += c.length;
          if (size > MAX_BYTES) req.destroy(new Error(`Kubernetes API ${url.pathname}: answer larger than ${MAX_BYTES / 1024 / 1024} MB`));
          else chunks.push(c);
        });
        res.on("end", () => {
          if (res.statusCode !== 200) return reject(new Error(`Kubernetes API ${url.pathname}: HTTP ${res.statusCode}`));
          try {
            resolve(JSON.parse(Buffer.concat(chunks).toString("utf8")) as T);
          } catch {
            reject(new Error(`Kubernetes API ${url.pathname}: not JSON`));
          }
        });
        res.on("error", reject);
      });
      req.on("timeout", () => req.destroy(new Error(`Kubernetes API ${url.pathname}: no answer within ${this.config.timeoutMs} ms`)));
      req.on("error", reject);
      req.end();
    });
  }
}
