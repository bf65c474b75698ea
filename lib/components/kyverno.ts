/**
 * Kyverno, the Kubernetes-native policy engine. It installs after
 * cert-manager when both are enabled: its admission webhooks fail closed, and
 * cert-manager's objects must not race them.
 *
 * @module
 */

import type { ResolvedConfig } from "../config/mod.ts";
import { defineHelmComponent } from "./define.ts";
import { installComponent, type InstallComponentOptions } from "./execute.ts";
import type { ClusterTarget, Component, ComponentResult } from "./types.ts";
import { PINNED_CHARTS } from "./versions.ts";

/** The Kyverno component (enabled by `spec.policyEngine: Kyverno`). */
export const kyverno: Component<"kyverno"> = defineHelmComponent({
  name: "kyverno",
  dependsOn: ["cert-manager"],
  chart: PINNED_CHARTS.kyverno.chart,
  version: PINNED_CHARTS.kyverno.version,
  namespace: "kyverno",
  enabled: (config) => config.spec.policyEngine === "Kyverno",
});

/**
 * Installs (or upgrades) Kyverno and waits until its controllers are ready.
 *
 * @param target A resolved config, or a cluster.
 * @param options Reporter, timeout, clients.
 * @returns What happened, with timings.
 * @throws {ComponentInstallError} Names the chart and the cause.
 *
 * @example
 * ```ts ignore
 * import { installKyverno } from "@bosun/sdk";
 * await installKyverno({ name: "dev", distribution: "Kind" });
 * ```
 */
export function installKyverno(
  target: ResolvedConfig | ClusterTarget,
  options: InstallComponentOptions = {},
): Promise<ComponentResult> {
  return installComponent(kyverno, target, options);
}
