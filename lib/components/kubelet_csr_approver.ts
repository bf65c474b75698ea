/**
 * postfinance's kubelet-csr-approver: approves the kubelets' serving
 * certificate requests so metrics-server can verify them. It is installed
 * whenever Bosun installs metrics-server, and only approves nodes named after
 * the cluster (every distribution names its nodes `<cluster>-…`).
 *
 * @module
 */

import type { ResolvedConfig } from "../config/mod.ts";
import { defineHelmComponent } from "./define.ts";
import { installComponent, type InstallComponentOptions } from "./execute.ts";
import { needsMetricsServer } from "./metrics_server.ts";
import type { ClusterTarget, Component, ComponentResult } from "./types.ts";
import { PINNED_CHARTS } from "./versions.ts";

/**
 * The approver's values: node names must start with the cluster name, and
 * DNS checks are off (node names of local clusters do not resolve).
 *
 * @param config The resolved config.
 * @returns The values.
 *
 * @example
 * ```ts
 * import { applyDefaults, kubeletCsrApproverValues } from "@bosun/sdk";
 * const v = kubeletCsrApproverValues(applyDefaults({ metadata: { name: "dev.1" } }));
 * console.assert(v.providerRegex === "^dev\\.1-.+$" && v.bypassDnsResolution === true);
 * ```
 */
export function kubeletCsrApproverValues(config: ResolvedConfig): Record<string, unknown> {
  const name = config.metadata.name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return { providerRegex: `^${name}-.+$`, bypassDnsResolution: true };
}

/** The kubelet-csr-approver component (enabled together with metrics-server). */
export const kubeletCsrApprover: Component = defineHelmComponent({
  name: "kubelet-csr-approver",
  chart: PINNED_CHARTS["kubelet-csr-approver"].chart,
  version: PINNED_CHARTS["kubelet-csr-approver"].version,
  namespace: "kube-system",
  enabled: needsMetricsServer,
  values: kubeletCsrApproverValues,
});

/**
 * Installs (or upgrades) kubelet-csr-approver.
 *
 * @param target A resolved config, or a cluster.
 * @param options Reporter, timeout, clients.
 * @returns What happened, with timings.
 * @throws {ComponentInstallError} Names the chart and the cause.
 *
 * @example
 * ```ts ignore
 * import { installKubeletCsrApprover } from "@bosun/sdk";
 * await installKubeletCsrApprover({ name: "dev", distribution: "Kind" });
 * ```
 */
export function installKubeletCsrApprover(
  target: ResolvedConfig | ClusterTarget,
  options: InstallComponentOptions = {},
): Promise<ComponentResult> {
  return installComponent(kubeletCsrApprover, target, options);
}
