/**
 * Private: a cluster target or config → a resolved config and its kube connection.
 *
 * @module
 */

import { applyDefaults, type ResolvedConfig } from "../config/mod.ts";
import { expandHome } from "../fs/mod.ts";
import type { ClusterTarget } from "../components/types.ts";
import { connectKube, type Kube } from "../kube/mod.ts";

/** A config, or a cluster as `createCluster` returns it. */
export type ClusterLike = ResolvedConfig | ClusterTarget;

/** The resolved config of a target. */
export function toConfig(target: ClusterLike): ResolvedConfig {
  if ("apiVersion" in target) return target;
  return applyDefaults({
    metadata: { name: target.name },
    spec: {
      distribution: target.distribution,
      ...(target.kubeconfig === undefined ? {} : { kubeconfig: target.kubeconfig }),
      ...(target.context === undefined ? {} : { context: target.context }),
    },
  });
}

/** The kubeconfig context of a config (its own, or the distribution tool's naming). */
export function contextOf(config: ResolvedConfig): string {
  if (config.spec.context !== undefined) return config.spec.context;
  const name = config.metadata.name;
  switch (config.spec.distribution) {
    case "Kind":
      return `kind-${name}`;
    case "K3d":
      return `k3d-${name}`;
    case "Talos":
      return `admin@${name}`;
    case "EKSAnywhere":
      return `${name}-admin@${name}`;
  }
}

/** Kubeconfig path and context of a config. */
export function kubeTarget(config: ResolvedConfig): { kubeconfig: string; context: string } {
  return { kubeconfig: expandHome(config.spec.kubeconfig), context: contextOf(config) };
}

/** The given connection, or a new one to the config's context. */
export async function kubeFor(config: ResolvedConfig, kube: Kube | undefined): Promise<Kube> {
  return kube ?? await connectKube(kubeTarget(config));
}
