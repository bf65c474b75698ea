/**
 * Private: Kubernetes helpers shared by components.
 *
 * @module
 */

import type { Kube, KubeObject } from "../kube/mod.ts";

/** A Pod Security Admission level. */
export type PodSecurityLevel = "privileged" | "baseline" | "restricted";

/** The enforce/audit/warn labels for a Pod Security level. */
export function podSecurityLabels(level: PodSecurityLevel): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const mode of ["enforce", "audit", "warn"]) {
    labels[`pod-security.kubernetes.io/${mode}`] = level;
  }
  return labels;
}

/** A Namespace object, with Pod Security Admission labels when a level is given. */
export function namespaceObject(name: string, podSecurity?: PodSecurityLevel): KubeObject {
  const labels = podSecurity === undefined ? {} : podSecurityLabels(podSecurity);
  return {
    apiVersion: "v1",
    kind: "Namespace",
    metadata: { name, ...(podSecurity === undefined ? {} : { labels }) },
  };
}

/**
 * Waits until the API server answers `/version` three times in a row (a fresh
 * Talos control plane restarts it while it settles).
 */
export async function waitForStableApi(
  kube: Kube,
  options: { readonly timeoutMs: number; readonly signal?: AbortSignal | undefined },
): Promise<void> {
  const deadline = performance.now() + Math.min(options.timeoutMs, 60_000);
  let streak = 0;
  let last: unknown;
  while (streak < 3) {
    if (options.signal?.aborted) throw options.signal.reason;
    try {
      await kube.request("GET", "/version", { signal: options.signal });
      streak++;
    } catch (error) {
      streak = 0;
      last = error;
    }
    if (streak >= 3) break;
    if (performance.now() > deadline) {
      throw last instanceof Error ? last : new TypeError("the API server is not stable");
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
}
