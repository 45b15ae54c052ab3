import type { Reading } from "../sli/sample.ts";

/**
 * What a Kubernetes cluster says about the workload, pure: from the API's PodList and NodeList, per namespace the
 * container restarts since the last reading, the containers OOM-killed since then, the pods pending longer than
 * they should, and the nodes under pressure or not ready.
 */
export const KUBERNETES_SLIS = ["k8s_container_restarts", "k8s_oom_kills", "k8s_pending_pods", "k8s_nodes_under_pressure"] as const;

interface ContainerStatus {
  name: string;
  restartCount?: number;
  lastState?: { terminated?: { reason?: string; finishedAt?: string } };
  state?: { terminated?: { reason?: string; finishedAt?: string } };
}
export interface PodList {
  items: Array<{
    metadata: { namespace: string; name: string; uid: string; creationTimestamp?: string };
    status: { phase?: string; containerStatuses?: ContainerStatus[]; initContainerStatuses?: ContainerStatus[]; conditions?: Array<{ type: string; status: string; lastTransitionTime?: string }> };
  }>;
}
export interface NodeList {
  items: Array<{ metadata: { name: string }; status: { conditions?: Array<{ type: string; status: string }> } }>;
}

/** Restart counts per container (pod uid/container): what the next reading's increase is measured from. */
export type RestartCounts = ReadonlyMap<string, number>;

const PRESSURE = new Set(["MemoryPressure", "DiskPressure", "PIDPressure", "NetworkUnavailable"]);

export function kubernetesReadings(pods: PodList, nodes: NodeList | null, previous: RestartCounts | undefined, now: Date, sinceMs: number, pendingSeconds: number): { readings: Reading[]; restarts: Map<string, number> } {
  const restarts = new Map<string, number>();
  const perNamespace = new Map<string, { restarts: number; oom: number; pending: number }>();
  const ns = (name: string) => perNamespace.get(name) ?? perNamespace.set(name, { restarts: 0, oom: 0, pending: 0 }).get(name)!;
  for (const pod of pods.items) {
    const counts = ns(pod.metadata.namespace);
    for (const c of [...(pod.status.initContainerStatuses ?? []), ...(pod.status.containerStatuses ?? [])]) {
      const key = `${pod.metadata.uid}/${c.name}`;
      const count = c.restartCount ?? 0;
      restarts.set(key, count);
      // A container first seen with restarts restarted before this monitor looked: not an increase it saw.
      const before = previous?.get(key);
      if (before !== undefined && count > before) counts.restarts += count - before;
      for (const t of [c.lastState?.terminated, c.state?.terminated]) {
        if (t?.reason === "OOMKilled" && t.finishedAt && now.getTime() - Date.parse(t.finishedAt) <= sinceMs) counts.oom++;
      }
    }
    const scheduled = pod.status.conditions?.find((c) => c.type === "PodScheduled");
    const pendingSince = Date.parse(scheduled?.status === "False" ? (scheduled.lastTransitionTime ?? "") : (pod.metadata.creationTimestamp ?? ""));
    if (pod.status.phase === "Pending" && Number.isFinite(pendingSince) && now.getTime() - pendingSince > pendingSeconds * 1000) counts.pending++;
  }
  const readings: Reading[] = [];
  for (const [namespace, c] of [...perNamespace].sort(([a], [b]) => a.localeCompare(b))) {
    readings.push(
      previous ? { sli: "k8s_container_restarts", value: c.restarts, labels: { namespace } } : { sli: "k8s_container_restarts", missing: "first reading: restarts are counted from the next one", labels: { namespace } },
      { sli: "k8s_oom_kills", value: c.oom, labels: { namespace } },
      { sli: "k8s_pending_pods", value: c.pending, labels: { namespace } },
    );
  }
  if (nodes) {
    const under = nodes.items.filter((n) => (n.status.conditions ?? []).some((c) => (PRESSURE.has(c.type) && c.status === "True") || (c.type === "Ready" && c.status !== "True")));
    readings.push({ sli: "k8s_nodes_under_pressure", value: under.length });
  } else {
    readings.push({ sli: "k8s_nodes_under_pressure", missing: "nodes cannot be listed (the service account may read only its namespaces)" });
  }
  return { readings, restarts };
}
