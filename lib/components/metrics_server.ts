/**
 * metrics-server with secure kubelet TLS: it verifies the kubelets' serving
 * certificates (never `--kubelet-insecure-tls`). Where the distribution's
 * kubelets serve self-signed certificates, its provider tells them to request
 * signed ones (Kind: `serverTLSBootstrap`; Talos: `rotate-server-certificates`;
 * EKS Anywhere: `kubeletConfiguration.serverTLSBootstrap`) and the
 * kubelet-csr-approver component approves the requests, so it installs first.
 * Where the distribution ships a metrics-server (K3d), Bosun never installs a
 * second one.
 *
 * @module
 */

import { capabilitiesOf } from "../cluster/providers.ts";
import type { ResolvedConfig } from "../config/mod.ts";
import { defineHelmComponent } from "./define.ts";
import { ComponentConfigError } from "./errors.ts";
import { installComponent, type InstallComponentOptions } from "./execute.ts";
import type { ClusterTarget, Component, ComponentPlan, ComponentResult } from "./types.ts";
import { PINNED_CHARTS } from "./versions.ts";

/**
 * Whether Bosun installs metrics-server: `spec.metricsServer: Enabled` and a
 * distribution that does not ship one (K3d does).
 *
 * @param config The resolved config.
 * @returns Whether to install it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { applyDefaults, needsMetricsServer } from "@bosun/sdk";
 * assert.equal(needsMetricsServer(applyDefaults({ spec: { distribution: "K3d", metricsServer: "Enabled" } })), false);
 * assert.equal(needsMetricsServer(applyDefaults({ spec: { distribution: "EKSAnywhere", metricsServer: "Enabled" } })), true);
 * ```
 */
export function needsMetricsServer(config: ResolvedConfig): boolean {
  return config.spec.metricsServer === "Enabled" &&
    !capabilitiesOf(config.spec.distribution).bundled.metricsServer;
}

function refuseInsecureTls(plan: ComponentPlan): void {
  const all = [plan.values.args, plan.values.defaultArgs].flatMap((a) => Array.isArray(a) ? a : []);
  if (all.some((a) => typeof a === "string" && a.startsWith("--kubelet-insecure-tls"))) {
    throw new ComponentConfigError(
      "metrics-server",
      "--kubelet-insecure-tls turns off kubelet certificate checks; Bosun installs " +
        "kubelet-csr-approver so metrics-server can verify kubelets instead. Remove the flag " +
        "from spec.components.metrics-server.values",
    );
  }
}

/** The metrics-server component (enabled by `spec.metricsServer: Enabled` where the distribution ships none). */
export const metricsServer: Component<"metrics-server"> = defineHelmComponent({
  name: "metrics-server",
  dependsOn: ["kubelet-csr-approver"],
  chart: PINNED_CHARTS["metrics-server"].chart,
  version: PINNED_CHARTS["metrics-server"].version,
  namespace: "kube-system",
  enabled: needsMetricsServer,
  // Node names of local clusters do not resolve; the kubelets' certificates carry their IPs.
  values: () => ({ args: ["--kubelet-preferred-address-types=InternalIP"] }),
  validate: refuseInsecureTls,
});

/**
 * Installs (or upgrades) metrics-server and waits until it serves metrics
 * (its readiness probe needs verified kubelet connections).
 *
 * @param target A resolved config, or a cluster.
 * @param options Reporter, timeout, clients.
 * @returns What happened, with timings.
 * @throws {ComponentInstallError} Names the chart and the cause.
 *
 * @example
 * ```ts ignore
 * import { installKubeletCsrApprover, installMetricsServer } from "@bosun/sdk";
 * const cluster = { name: "dev", distribution: "Kind" } as const;
 * await installKubeletCsrApprover(cluster);
 * await installMetricsServer(cluster);
 * ```
 */
export function installMetricsServer(
  target: ResolvedConfig | ClusterTarget,
  options: InstallComponentOptions = {},
): Promise<ComponentResult> {
  return installComponent(metricsServer, target, options);
}
