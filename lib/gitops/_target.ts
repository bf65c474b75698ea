/**
 * Private: a cluster target or config → a resolved config and its kube connection.
 * Kubeconfig path and context come from lib/cluster/target.ts, the one place they are derived.
 *
 * @module
 */

import type { ResolvedConfig } from "../config/mod.ts";
import { kubeTargetOf } from "../cluster/target.ts";
import { connectKube, type Kube } from "../kube/mod.ts";

export {
  type ClusterLike,
  contextOf,
  kubeTargetOf as kubeTarget,
  toConfig,
} from "../cluster/target.ts";

/** The given connection, or a new one to the config's context. */
export async function kubeFor(config: ResolvedConfig, kube: Kube | undefined): Promise<Kube> {
  return kube ?? await connectKube(kubeTargetOf(config));
}
