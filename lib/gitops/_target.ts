/**
 * Private: a cluster target or config → a resolved config and its kube connection.
 *
 * @module
 */

import type { ResolvedConfig } from "../config/mod.ts";
import { contextOf, kubeconfigOf } from "../cluster/target.ts";
import { connectKube, type Kube } from "../kube/mod.ts";

export { type ClusterLike, contextOf, toConfig } from "../cluster/target.ts";

/** Kubeconfig path and context of a config. */
export function kubeTarget(config: ResolvedConfig): { kubeconfig: string; context: string } {
  return { kubeconfig: kubeconfigOf(config), context: contextOf(config) };
}

/** The given connection, or a new one to the config's context. */
export async function kubeFor(config: ResolvedConfig, kube: Kube | undefined): Promise<Kube> {
  return kube ?? await connectKube(kubeTarget(config));
}
