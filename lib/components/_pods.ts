/**
 * Private: why a release's pods are not ready, read from the pods themselves (container
 * waiting/terminated reasons such as ErrImagePull or CrashLoopBackOff), for the error of a
 * Helm wait that failed.
 *
 * @module
 */

import type { Kube, KubeObject } from "../kube/mod.ts";

interface ContainerStatus {
  name?: string;
  ready?: boolean;
  restartCount?: number;
  state?: {
    waiting?: { reason?: string; message?: string };
    terminated?: { reason?: string; exitCode?: number; message?: string };
  };
  lastState?: { terminated?: { reason?: string; exitCode?: number } };
}

interface PodStatus {
  phase?: string;
  conditions?: { type?: string; status?: string; reason?: string; message?: string }[];
  containerStatuses?: ContainerStatus[];
  initContainerStatuses?: ContainerStatus[];
}

/**
 * One line per pod that is not ready: `<ns>/<pod>: container <c> <Reason> (<message>)`, or
 * the pod's own unschedulable/pending condition. Pods that are ready are left out.
 */
export function podProblems(pods: readonly KubeObject[]): string[] {
  const out: string[] = [];
  for (const pod of pods) {
    const status = (pod as { status?: PodStatus }).status ?? {};
    if (status.phase === "Succeeded") continue;
    const id = `${pod.metadata.namespace ?? "default"}/${pod.metadata.name ?? "?"}`;
    const containers = [...status.initContainerStatuses ?? [], ...status.containerStatuses ?? []];
    const reasons: string[] = [];
    for (const c of containers) {
      if (c.ready) continue;
      const waiting = c.state?.waiting;
      const terminated = c.state?.terminated;
      if (waiting?.reason && waiting.reason !== "PodInitializing") {
        const last = c.lastState?.terminated;
        const exit = last ? `, last exit code ${last.exitCode ?? "?"}` : "";
        const msg = waiting.message ? `: ${oneLine(waiting.message)}` : "";
        reasons.push(
          `container ${c.name ?? "?"} ${waiting.reason} (restarts ${
            c.restartCount ?? 0
          }${exit})${msg}`,
        );
      } else if (terminated?.reason && terminated.reason !== "Completed") {
        reasons.push(
          `container ${c.name ?? "?"} ${terminated.reason} (exit code ${
            terminated.exitCode ?? "?"
          })`,
        );
      }
    }
    if (!reasons.length) {
      const ready = status.conditions?.find((c) => c.type === "Ready");
      if (ready?.status === "True") continue;
      const blocking = status.conditions?.find((c) => c.status === "False" && c.reason);
      reasons.push(
        blocking
          ? `${blocking.reason}${blocking.message ? `: ${oneLine(blocking.message)}` : ""}`
          : `not ready (phase ${status.phase ?? "unknown"})`,
      );
    }
    out.push(`${id}: ${reasons.join("; ")}`);
  }
  return out;
}

/**
 * The not-ready pods of a Helm release: those labelled `app.kubernetes.io/instance=<release>`
 * in its namespace (Helm's chart convention), else every pod of the namespace. Never throws:
 * a diagnosis that cannot be made returns nothing, and the original error stands alone.
 */
export async function releasePodProblems(
  kube: Kube,
  namespace: string,
  release: string,
): Promise<string[]> {
  try {
    let pods = await kube.list("v1", "Pod", {
      namespace,
      labelSelector: `app.kubernetes.io/instance=${release}`,
    });
    if (!pods.length) pods = await kube.list("v1", "Pod", { namespace });
    return podProblems(pods);
  } catch {
    return [];
  }
}

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > 240 ? `${flat.slice(0, 239)}…` : flat;
}
