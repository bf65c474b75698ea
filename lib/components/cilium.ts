/**
 * Cilium, the eBPF CNI. Per distribution: on Talos it talks to the API server
 * through KubePrism (`localhost:7445`), replaces kube-proxy (Bosun's Talos
 * clusters run without it when Cilium is the CNI), leaves cgroup v2 mounting
 * to Talos and drops `SYS_MODULE` (Talos forbids loading kernel modules). On
 * Kind, K3d and EKS Anywhere kube-proxy runs, so Cilium sits beside it.
 *
 * @module
 */

import type { ResolvedConfig } from "../config/mod.ts";
import { waitForStableApi } from "./_api.ts";
import { defineHelmComponent } from "./define.ts";
import { installComponent, type InstallComponentOptions } from "./execute.ts";
import type { ClusterTarget, Component, ComponentResult } from "./types.ts";
import { PINNED_CHARTS } from "./versions.ts";

/** KubePrism: Talos's node-local API server load balancer. */
export const TALOS_KUBEPRISM = { host: "localhost", port: 7445 } as const;

/**
 * Whether the cluster runs without kube-proxy, so Cilium must replace it.
 * Only Bosun's Talos clusters do (their machine config disables kube-proxy
 * when the CNI is Cilium).
 *
 * @param config The resolved config.
 * @returns `true` on Talos.
 */
export function kubeProxyAbsent(config: ResolvedConfig): boolean {
  return config.spec.distribution === "Talos";
}

/**
 * Cilium's Helm values for a config (before bosun.yaml overrides).
 *
 * @param config The resolved config.
 * @returns The values.
 *
 * @example
 * ```ts
 * import { applyDefaults, ciliumValues } from "@bosun/sdk";
 * const values = ciliumValues(applyDefaults({ spec: { distribution: "Talos", cni: "Cilium" } }));
 * console.assert(values.k8sServicePort === 7445 && values.kubeProxyReplacement === true);
 * ```
 */
export function ciliumValues(config: ResolvedConfig): Record<string, unknown> {
  // One operator replica: the chart's two replicas with anti-affinity never fit a one-node cluster.
  const values: Record<string, unknown> = { operator: { replicas: 1 } };
  if (kubeProxyAbsent(config)) {
    values.kubeProxyReplacement = true;
    values.k8sServiceHost = TALOS_KUBEPRISM.host;
    values.k8sServicePort = TALOS_KUBEPRISM.port;
  }
  if (config.spec.distribution === "Talos") {
    values.ipam = { mode: "kubernetes" };
    values.cgroup = { autoMount: { enabled: false }, hostRoot: "/sys/fs/cgroup" };
    values.securityContext = {
      capabilities: {
        ciliumAgent: [
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
        ],
        cleanCiliumState: ["NET_ADMIN", "SYS_ADMIN", "SYS_RESOURCE"],
      },
    };
  }
  return values;
}

/** The Cilium component (phase `cni`, enabled by `spec.cni: Cilium`). */
export const cilium: Component = defineHelmComponent({
  name: "cilium",
  phase: "cni",
  chart: PINNED_CHARTS.cilium.chart,
  version: PINNED_CHARTS.cilium.version,
  namespace: "kube-system",
  enabled: (config) => config.spec.cni === "Cilium",
  values: ciliumValues,
  async before(ctx) {
    if (ctx.config.spec.distribution === "Talos") {
      ctx.step.update("waiting for the Talos API server to settle");
      await waitForStableApi(await ctx.kube(), ctx);
    }
    return false;
  },
});

/**
 * Installs (or upgrades) Cilium into a cluster and waits until its agent
 * DaemonSet and operator are ready.
 *
 * @param target A resolved config, or a cluster (`{ name, distribution, kubeconfig?, context? }`).
 * @param options Reporter, timeout, Helm/Kube clients.
 * @returns What happened, with timings.
 * @throws {ComponentInstallError} Names the chart and Helm's message.
 *
 * @example
 * ```ts ignore
 * import { createCluster, installCilium } from "@bosun/sdk";
 * const cluster = await createCluster({ name: "dev", distribution: "Kind" });
 * await installCilium(cluster);
 * ```
 */
export function installCilium(
  target: ResolvedConfig | ClusterTarget,
  options: InstallComponentOptions = {},
): Promise<ComponentResult> {
  return installComponent(cilium, target, options);
}
