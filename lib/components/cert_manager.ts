/**
 * cert-manager with its CRDs (installed and kept by the chart). Components
 * that need certificates declare `dependsOn: ["cert-manager"]`.
 *
 * @module
 */

import type { ResolvedConfig } from "../config/mod.ts";
import { defineHelmComponent } from "./define.ts";
import { installComponent, type InstallComponentOptions } from "./execute.ts";
import type { ClusterTarget, Component, ComponentResult } from "./types.ts";
import { PINNED_CHARTS } from "./versions.ts";

/** The cert-manager component (enabled by `spec.certManager: Enabled`). */
export const certManager: Component<"cert-manager"> = defineHelmComponent({
  name: "cert-manager",
  chart: PINNED_CHARTS["cert-manager"].chart,
  version: PINNED_CHARTS["cert-manager"].version,
  namespace: "cert-manager",
  enabled: (config) => config.spec.certManager === "Enabled",
  // crds.keep: uninstalling the release must not delete every Certificate in the cluster.
  values: () => ({ crds: { enabled: true, keep: true } }),
});

/**
 * Installs (or upgrades) cert-manager and its CRDs, and waits until its
 * webhook answers (the chart's startup check job).
 *
 * @param target A resolved config, or a cluster.
 * @param options Reporter, timeout, clients.
 * @returns What happened, with timings.
 * @throws {ComponentInstallError} Names the chart and the cause.
 *
 * @example
 * ```ts ignore
 * import { installCertManager } from "@bosun/sdk";
 * await installCertManager({ name: "dev", distribution: "Kind" });
 * ```
 */
export function installCertManager(
  target: ResolvedConfig | ClusterTarget,
  options: InstallComponentOptions = {},
): Promise<ComponentResult> {
  return installComponent(certManager, target, options);
}
