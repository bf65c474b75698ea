/**
 * OPA Gatekeeper. Like Kyverno it installs after cert-manager when both are
 * enabled, so its webhooks never race cert-manager's objects. One
 * controller replica: local clusters have one or two nodes.
 *
 * @module
 */

import type { ResolvedConfig } from "../config/mod.ts";
import { defineHelmComponent } from "./define.ts";
import { installComponent, type InstallComponentOptions } from "./execute.ts";
import type { ClusterTarget, Component, ComponentResult } from "./types.ts";
import { PINNED_CHARTS } from "./versions.ts";

/** The Gatekeeper component (enabled by `spec.policyEngine: Gatekeeper`). */
export const gatekeeper: Component<"gatekeeper"> = defineHelmComponent({
  name: "gatekeeper",
  dependsOn: ["cert-manager"],
  chart: PINNED_CHARTS.gatekeeper.chart,
  version: PINNED_CHARTS.gatekeeper.version,
  namespace: "gatekeeper-system",
  enabled: (config) => config.spec.policyEngine === "Gatekeeper",
  values: () => ({ replicas: 1 }),
});

/**
 * Installs (or upgrades) Gatekeeper and waits until its controller and audit
 * pods are ready.
 *
 * @param target A resolved config, or a cluster.
 * @param options Reporter, timeout, clients.
 * @returns What happened, with timings.
 * @throws {ComponentInstallError} Names the chart and the cause.
 *
 * @example
 * ```ts ignore
 * import { installGatekeeper } from "@bosun/sdk";
 * await installGatekeeper({ name: "dev", distribution: "Kind" });
 * ```
 */
export function installGatekeeper(
  target: ResolvedConfig | ClusterTarget,
  options: InstallComponentOptions = {},
): Promise<ComponentResult> {
  return installComponent(gatekeeper, target, options);
}
