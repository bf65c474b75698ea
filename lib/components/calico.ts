/**
 * Calico through the tigera-operator. Per distribution: on Talos the
 * operator's namespaces must allow privileged pods (Talos enforces the
 * `baseline` Pod Security level everywhere), the kubelet volume plugin path
 * does not exist, and the pool is set explicitly (VXLAN, Talos's pod CIDR);
 * on K3d the pool matches k3s's pod CIDR and containers need IP forwarding.
 * Kind and EKS Anywhere use the operator's auto-detection.
 *
 * @module
 */

import type { ResolvedConfig } from "../config/mod.ts";
import { applyManifests, waitForReady } from "../kube/mod.ts";
import { namespaceObject } from "./_api.ts";
import { defineHelmComponent } from "./define.ts";
import { installComponent, type InstallComponentOptions } from "./execute.ts";
import type { ClusterTarget, Component, ComponentResult } from "./types.ts";
import { PINNED_CHARTS } from "./versions.ts";

/** The namespaces the tigera-operator uses. */
export const CALICO_NAMESPACES = ["tigera-operator", "calico-system"] as const;

function ipPool(cidr: string): Record<string, unknown> {
  return {
    name: "default-ipv4-ippool",
    blockSize: 26,
    cidr,
    encapsulation: "VXLAN",
    natOutgoing: "Enabled",
    nodeSelector: "all()",
  };
}

/**
 * The tigera-operator chart's values for a config (before bosun.yaml overrides).
 *
 * @param config The resolved config.
 * @returns The values.
 *
 * @example
 * ```ts
 * import { applyDefaults, calicoValues } from "@bosun/sdk";
 * const values = calicoValues(applyDefaults({ spec: { distribution: "Talos", cni: "Calico" } }));
 * console.assert((values.installation as { kubeletVolumePluginPath: string }).kubeletVolumePluginPath === "None");
 * ```
 */
export function calicoValues(config: ResolvedConfig): Record<string, unknown> {
  switch (config.spec.distribution) {
    case "Talos":
      return {
        installation: {
          kubeletVolumePluginPath: "None",
          calicoNetwork: {
            linuxDataplane: "Nftables",
            bgp: "Disabled",
            ipPools: [ipPool("10.244.0.0/16")],
          },
        },
      };
    case "K3d":
      return {
        installation: {
          calicoNetwork: {
            containerIPForwarding: "Enabled",
            bgp: "Disabled",
            ipPools: [ipPool("10.42.0.0/16")],
          },
        },
      };
    default:
      return {};
  }
}

/** The objects the operator creates and Bosun waits for: the CNI is up when these are ready. */
export const CALICO_READY = [
  { apiVersion: "apps/v1", kind: "DaemonSet", name: "calico-node", namespace: "calico-system" },
  {
    apiVersion: "apps/v1",
    kind: "Deployment",
    name: "calico-kube-controllers",
    namespace: "calico-system",
  },
] as const;

/** The Calico component (phase `cni`, enabled by `spec.cni: Calico`). */
export const calico: Component = defineHelmComponent({
  name: "calico",
  phase: "cni",
  chart: PINNED_CHARTS.calico.chart,
  version: PINNED_CHARTS.calico.version,
  namespace: "tigera-operator",
  enabled: (config) => config.spec.cni === "Calico",
  values: calicoValues,
  async before(ctx) {
    if (ctx.config.spec.distribution !== "Talos") return false;
    ctx.step.update("labelling namespaces for privileged pods (Talos Pod Security)");
    const objects = CALICO_NAMESPACES.map((n) => namespaceObject(n, "privileged"));
    const results = await applyManifests(await ctx.kube(), objects);
    return results.some((r) => r.action !== "unchanged");
  },
  async after(ctx) {
    ctx.step.update("waiting for calico-node and calico-kube-controllers");
    await waitForReady(await ctx.kube(), CALICO_READY, {
      timeoutMs: ctx.timeoutMs,
      signal: ctx.signal,
    });
    return false;
  },
});

/**
 * Installs (or upgrades) Calico through the tigera-operator and waits until
 * calico-node runs on every node.
 *
 * @param target A resolved config, or a cluster.
 * @param options Reporter, timeout, clients.
 * @returns What happened, with timings.
 * @throws {ComponentInstallError} Names the chart and the cause.
 *
 * @example
 * ```ts ignore
 * import { installCalico } from "@bosun/sdk";
 * await installCalico({ name: "dev", distribution: "Talos" });
 * ```
 */
export function installCalico(
  target: ResolvedConfig | ClusterTarget,
  options: InstallComponentOptions = {},
): Promise<ComponentResult> {
  return installComponent(calico, target, options);
}
