/**
 * postfinance's kubelet-csr-approver (pinned in versions.ts): approves the
 * kubelets' serving certificate requests so metrics-server can verify them.
 * It is installed with metrics-server wherever the distribution's kubelets do
 * not already hold signed certificates and nothing else approves them — on
 * Talos too, in place of the unpinned approver manifest the Talos guide
 * applies — and only approves nodes named after the cluster (every
 * distribution names its nodes `<cluster>-…`).
 *
 * @module
 */

import { capabilitiesOf } from "../cluster/providers.ts";
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
 * import assert from "node:assert/strict";
 * import { applyDefaults, kubeletCsrApproverValues } from "@bosun/sdk";
 * const v = kubeletCsrApproverValues(applyDefaults({ metadata: { name: "dev.1" } }));
 * assert.equal(v.providerRegex, "^dev\\.1-.+$");
 * assert.equal(v.bypassDnsResolution, true);
 * ```
 */
export function kubeletCsrApproverValues(config: ResolvedConfig): Record<string, unknown> {
  const name = config.metadata.name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return { providerRegex: `^${name}-.+$`, bypassDnsResolution: true };
}

/**
 * Whether Bosun installs kubelet-csr-approver: with metrics-server, where the
 * kubelets' serving certificates are not signed out of the box and the
 * distribution approves no requests itself.
 *
 * @param config The resolved config.
 * @returns Whether to install it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { applyDefaults, needsKubeletCsrApprover } from "@bosun/sdk";
 * assert.equal(needsKubeletCsrApprover(applyDefaults({ spec: { distribution: "Talos", metricsServer: "Enabled" } })), true);
 * ```
 */
export function needsKubeletCsrApprover(config: ResolvedConfig): boolean {
  const certs = capabilitiesOf(config.spec.distribution).kubeletServingCerts;
  return needsMetricsServer(config) && !certs.signed && !certs.approverBundled;
}

/** The kubelet-csr-approver component (enabled together with metrics-server where kubelets need it). */
export const kubeletCsrApprover: Component<"kubelet-csr-approver"> = defineHelmComponent({
  name: "kubelet-csr-approver",
  chart: PINNED_CHARTS["kubelet-csr-approver"].chart,
  version: PINNED_CHARTS["kubelet-csr-approver"].version,
  namespace: "kube-system",
  enabled: needsKubeletCsrApprover,
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
