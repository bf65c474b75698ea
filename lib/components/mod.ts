/**
 * Cluster components — Cilium, Calico, local-path storage, metrics-server with
 * kubelet-csr-approver, cert-manager, Kyverno, Gatekeeper — each usable alone
 * (`installCilium(cluster)`) or together as a dependency graph
 * ({@linkcode installComponents}), with a plan that touches no cluster
 * ({@linkcode planComponents}).
 *
 * @example Plan a config
 * ```ts
 * import assert from "node:assert/strict";
 * import { applyDefaults, planComponents } from "@bosun/sdk";
 * const graph = planComponents(applyDefaults({ spec: { cni: "Calico", csi: "LocalPathStorage" } }));
 * assert.equal(graph.nodes[0]?.name, "calico");
 * ```
 *
 * @module
 */

export * from "./types.ts";
export * from "./errors.ts";
export * from "./versions.ts";
export * from "./define.ts";
export * from "./graph.ts";
export * from "./format.ts";
export * from "./execute.ts";
export * from "./install.ts";
export * from "./manifest.ts";
export * from "./registry.ts";
export * from "./cilium.ts";
export * from "./calico.ts";
export * from "./local_path_storage.ts";
export * from "./metrics_server.ts";
export * from "./kubelet_csr_approver.ts";
export * from "./cert_manager.ts";
export * from "./kyverno.ts";
export * from "./gatekeeper.ts";
