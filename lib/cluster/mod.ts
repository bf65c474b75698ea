/**
 * Local Kubernetes clusters in Docker — Kind, K3d, Talos and EKS Anywhere —
 * behind one {@linkcode ClusterProvider} interface, with idempotent create,
 * cleanup on failure, label-scoped delete, start/stop for every distribution,
 * and kubeconfig contexts merged (never overwritten).
 *
 * @example Print what `createCluster` would do
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatPlan, planCluster } from "@bosun/sdk";
 * const plan = await planCluster({ name: "dev", distribution: "K3d", nodes: { workers: 1 } }, { stateDir: "/tmp/bosun-dev" });
 * assert.ok(formatPlan(plan).includes("k3d cluster create dev"));
 * ```
 *
 * @module
 */

export * from "./types.ts";
export * from "./errors.ts";
export type { ClusterInput, ClusterShorthand, InputOptions } from "./_input.ts";
export { resolveClusterInput } from "./_input.ts";
export * from "./providers.ts";
export * from "./plan.ts";
export * from "./lifecycle.ts";
export * from "./inspect.ts";
export { KindProvider, renderKindConfig } from "./kind.ts";
export { K3dProvider, k3sImage, renderK3dConfig } from "./k3d.ts";
export {
  renderTalosPatches,
  talosNetwork,
  TalosProvider,
  talosRegistryAddresses,
} from "./talos.ts";
export { EKSA_DEFAULT_KUBERNETES, EksaProvider, renderEksaSpec } from "./eksa.ts";
export { BaseProvider, type CreatePlanOptions } from "./base.ts";
export * from "./target.ts";
export * from "./images.ts";
