/**
 * Calico through the tigera-operator, shaped by the distribution's
 * capabilities: where a Pod Security level is enforced everywhere (Talos) the
 * operator's namespaces allow privileged pods; where the kubelet's volume
 * plugin directory does not exist (Talos) the operator is told so; where the
 * OS uses nftables (Talos) so does Calico; where the pod CIDR cannot be read
 * from a kubeadm config (K3d, Talos) the pool is set explicitly (VXLAN, no
 * BGP); where containers need IP forwarding (k3s in Docker) it is switched on.
 * Elsewhere (Kind) the operator's auto-detection is used. EKS Anywhere runs
 * its own Cilium, so Calico is refused there.
 *
 * @module
 */

import { capabilitiesOf } from "../cluster/providers.ts";
import type { ResolvedConfig } from "../config/mod.ts";
import { applyManifests, waitForReady } from "../kube/mod.ts";
import { namespaceObject } from "./_api.ts";
import { requireCni } from "./_cni.ts";
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
 * The tigera-operator chart's values for a config (before bosun.yaml
 * overrides), from the distribution's capabilities.
 *
 * @param config The resolved config.
 * @returns The values (`{}` where the operator detects everything itself).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { applyDefaults, calicoValues } from "@bosun/sdk";
 * const values = calicoValues(applyDefaults({ spec: { distribution: "Talos", cni: "Calico" } }));
 * assert.equal((values.installation as { kubeletVolumePluginPath: string }).kubeletVolumePluginPath, "None");
 * assert.deepEqual(calicoValues(applyDefaults({ spec: { distribution: "Kind", cni: "Calico" } })), {});
 * ```
 */
export function calicoValues(config: ResolvedConfig): Record<string, unknown> {
  const caps = capabilitiesOf(config.spec.distribution);
  const network: Record<string, unknown> = {};
  if (caps.nodes.packetFilter === "nftables") network.linuxDataplane = "Nftables";
  if (caps.nodes.containerIpForwarding) network.containerIPForwarding = "Enabled";
  if (caps.network.podCidr !== undefined) {
    network.bgp = "Disabled";
    network.ipPools = [ipPool(caps.network.podCidr)];
  }
  const installation: Record<string, unknown> = {};
  if (!caps.nodes.kubeletVolumePluginDir) installation.kubeletVolumePluginPath = "None";
  if (Object.keys(network).length > 0) installation.calicoNetwork = network;
  return Object.keys(installation).length > 0 ? { installation } : {};
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

/**
 * The Calico component (phase `cni`, enabled by `spec.cni: Calico`). On a
 * cluster whose config says it runs another CNI it refuses
 * ({@linkcode ComponentConfigError} naming `spec.cni`).
 */
export const calico: Component<"calico"> = defineHelmComponent({
  name: "calico",
  phase: "cni",
  chart: PINNED_CHARTS.calico.chart,
  version: PINNED_CHARTS.calico.version,
  namespace: "tigera-operator",
  enabled: (config) => config.spec.cni === "Calico",
  values: calicoValues,
  validate: (_plan, config) => requireCni("calico", config, "Calico"),
  async before(ctx) {
    const enforced = capabilitiesOf(ctx.config.spec.distribution).nodes.podSecurity;
    if (enforced === undefined) return false;
    ctx.step.update(
      `labelling namespaces for privileged pods (Pod Security ${enforced} is enforced)`,
    );
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
 * @throws {ComponentConfigError} The cluster's config says it runs another CNI (`spec.cni`).
 * @throws {ComponentInstallError} Names the chart and the cause.
 *
 * @example
 * ```ts ignore
 * import { createCluster, installCalico } from "@bosun/sdk";
 * const cluster = await createCluster({ name: "dev", distribution: "Talos", cni: "Calico" });
 * await installCalico(cluster);
 * ```
 */
export function installCalico(
  target: ResolvedConfig | ClusterTarget,
  options: InstallComponentOptions = {},
): Promise<ComponentResult> {
  return installComponent(calico, target, options);
}
