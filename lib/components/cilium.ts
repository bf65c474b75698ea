/**
 * Cilium, the eBPF CNI, shaped by the distribution's capabilities: where its
 * provider turns kube-proxy off (Talos with `spec.cni: Cilium`) Cilium
 * replaces it and reaches the API server through the node-local endpoint
 * (KubePrism); where nodes carry their pod CIDRs it uses them (`ipam.mode:
 * kubernetes`); where the OS mounts cgroup v2 itself it does not mount its
 * own; where pods may not load kernel modules `SYS_MODULE` is dropped. On
 * Kind and K3d kube-proxy runs, so Cilium sits beside it. EKS Anywhere runs
 * its own Cilium, which Bosun never duplicates.
 *
 * @module
 */

import { capabilitiesOf } from "../cluster/providers.ts";
import type { ResolvedConfig } from "../config/mod.ts";
import { waitForStableApi } from "./_api.ts";
import { bosunInstallsCni, requireCni } from "./_cni.ts";
import { defineHelmComponent } from "./define.ts";
import { installComponent, type InstallComponentOptions } from "./execute.ts";
import type { ClusterTarget, Component, ComponentResult } from "./types.ts";
import { PINNED_CHARTS } from "./versions.ts";

/**
 * Whether Cilium replaces kube-proxy on this cluster: the distribution's
 * provider turns kube-proxy off when `spec.cni` is Cilium (Talos) and offers
 * a node-local API server endpoint for Cilium to use instead of the
 * `kubernetes` Service.
 *
 * @param config The resolved config.
 * @returns `true` on Talos with `spec.cni: Cilium`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { applyDefaults, ciliumReplacesKubeProxy } from "@bosun/sdk";
 * assert.equal(ciliumReplacesKubeProxy(applyDefaults({ spec: { distribution: "Talos", cni: "Cilium" } })), true);
 * assert.equal(ciliumReplacesKubeProxy(applyDefaults({ spec: { distribution: "Kind", cni: "Cilium" } })), false);
 * ```
 */
export function ciliumReplacesKubeProxy(config: ResolvedConfig): boolean {
  const caps = capabilitiesOf(config.spec.distribution);
  return config.spec.cni === "Cilium" && caps.network.kubeProxyReplacedByCilium &&
    caps.apiServer.nodeLocal !== undefined;
}

/** The agent's capabilities in Cilium's chart, without `SYS_MODULE` (for nodes that forbid kernel modules). */
const AGENT_CAPABILITIES_WITHOUT_MODULES = [
  "CHOWN",
  "KILL",
  "NET_ADMIN",
  "NET_RAW",
  "IPC_LOCK",
  "SYS_ADMIN",
  "SYS_RESOURCE",
  "DAC_OVERRIDE",
  "FOWNER",
  "SETGID",
  "SETUID",
] as const;

/**
 * Cilium's Helm values for a config (before bosun.yaml overrides), from the
 * distribution's capabilities.
 *
 * @param config The resolved config.
 * @returns The values.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { applyDefaults, ciliumValues } from "@bosun/sdk";
 * const values = ciliumValues(applyDefaults({ spec: { distribution: "Talos", cni: "Cilium" } }));
 * assert.equal(values.k8sServicePort, 7445);
 * assert.equal(values.kubeProxyReplacement, true);
 * ```
 */
export function ciliumValues(config: ResolvedConfig): Record<string, unknown> {
  const caps = capabilitiesOf(config.spec.distribution);
  // One operator replica: the chart's two replicas with anti-affinity never fit a one-node cluster.
  const values: Record<string, unknown> = { operator: { replicas: 1 } };
  const nodeLocal = caps.apiServer.nodeLocal;
  if (ciliumReplacesKubeProxy(config) && nodeLocal !== undefined) {
    values.kubeProxyReplacement = true;
    values.k8sServiceHost = nodeLocal.host;
    values.k8sServicePort = nodeLocal.port;
  }
  if (caps.network.podCidrsOnNodes) values.ipam = { mode: "kubernetes" };
  if (caps.nodes.cgroupRoot !== undefined) {
    values.cgroup = { autoMount: { enabled: false }, hostRoot: caps.nodes.cgroupRoot };
  }
  if (!caps.nodes.kernelModules) {
    values.securityContext = {
      capabilities: {
        ciliumAgent: [...AGENT_CAPABILITIES_WITHOUT_MODULES],
        cleanCiliumState: ["NET_ADMIN", "SYS_ADMIN", "SYS_RESOURCE"],
      },
    };
  }
  return values;
}

/**
 * The Cilium component (phase `cni`): enabled by `spec.cni: Cilium` where the
 * distribution's own CNI can be left out. Asked for by name on a cluster whose
 * config says it runs another CNI, it refuses ({@linkcode ComponentConfigError}
 * naming `spec.cni`).
 */
export const cilium: Component<"cilium"> = defineHelmComponent({
  name: "cilium",
  phase: "cni",
  chart: PINNED_CHARTS.cilium.chart,
  version: PINNED_CHARTS.cilium.version,
  namespace: "kube-system",
  enabled: (config) => bosunInstallsCni(config, "Cilium"),
  values: ciliumValues,
  validate: (_plan, config) => requireCni("cilium", config, "Cilium"),
  async before(ctx) {
    if (capabilitiesOf(ctx.config.spec.distribution).apiServer.settlesAfterCreate) {
      ctx.step.update("waiting for the API server to settle");
      await waitForStableApi(await ctx.kube(), ctx);
    }
    return false;
  },
});

/**
 * Installs (or upgrades) Cilium into a cluster and waits until its agent
 * DaemonSet and operator are ready.
 *
 * @param target A resolved config, or a cluster (the one `createCluster` returns, or `{ name, distribution, kubeconfig?, context?, config? }`).
 * @param options Reporter, timeout, Helm/Kube clients.
 * @returns What happened, with timings.
 * @throws {ComponentConfigError} The cluster's config says it runs another CNI (`spec.cni` is Default or Calico, or the distribution's CNI cannot be left out): a second CNI is never installed.
 * @throws {ComponentInstallError} Names the chart and Helm's message.
 *
 * @example
 * ```ts ignore
 * import { createCluster, installCilium } from "@bosun/sdk";
 * const cluster = await createCluster({ name: "dev", distribution: "Kind", cni: "Cilium" });
 * await installCilium(cluster);
 * ```
 */
export function installCilium(
  target: ResolvedConfig | ClusterTarget,
  options: InstallComponentOptions = {},
): Promise<ComponentResult> {
  return installComponent(cilium, target, options);
}
