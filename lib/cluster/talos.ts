/**
 * Talos in Docker: `talosctl cluster create docker` (the Docker provisioner's
 * own subcommand since talosctl 1.12) with machine config patches generated
 * from bosun.yaml. The user's patch file (`spec.distributionConfig`) is passed
 * first; Bosun's patch last.
 *
 * What the talosctl docs and source settle:
 *
 * - `cluster create docker` has no `--wait` and no `--skip-kubeconfig` flag: it
 *   always waits for the cluster's health checks, and before talosctl 1.13.0
 *   those never pass with CNI `none` (siderolabs/talos#12885, fixed in 1.13.0
 *   by skipping the node-ready and CoreDNS checks). Bosun therefore requires
 *   talosctl 1.13.0 and gives the command a time limit of its own.
 * - After its checks talosctl merges the admin kubeconfig into the single file
 *   `$KUBECONFIG` names (else `~/.kube/config`). Bosun points `KUBECONFIG` at a
 *   file in the cluster's state directory for that command, so the user's
 *   kubeconfig is only written by Bosun's own merge (under its lock).
 * - Talos nodes run their own resolvers, which do not know Docker container
 *   names, so mirrors are addressed by IP: Bosun creates the cluster network
 *   itself (with talosctl's labels and subnet, which talosctl then reuses),
 *   starts every registry on it at a fixed address at the top of the subnet
 *   ({@linkcode talosRegistryAddresses}), and the `RegistryMirrorConfig`
 *   endpoints name those addresses. The registries are reachable while the
 *   nodes boot and pull their first images.
 * - The Kubernetes and Talos API ports are published on 127.0.0.1 only
 *   (talosctl's default host IP is 0.0.0.0).
 *
 * @module
 */

import { stringify } from "yaml";
import { REGISTRY_PORT, type RegistryContainer, talosRegistryMirrors } from "../registry/mod.ts";
import { Docker } from "../registry/_docker.ts";
import { bareVersion, BaseProvider, type Obj, parseNative, QUERY_TIMEOUT_MS } from "./base.ts";
import { ClusterInputError } from "./errors.ts";
import type {
  DistributionCapabilities,
  PlannedFile,
  ProviderCommand,
  ProviderContext,
  ProviderInput,
  ProviderPlan,
  ToolRequirement,
} from "./types.ts";

/** The first registry address's last octet; further registries count down from it. */
const FIRST_REGISTRY_OCTET = 250;
/** The MTU talosctl gives the network it creates (`--mtu` default). */
const NETWORK_MTU = 1500;
/** How long `talosctl cluster create docker` may take (its own health-check budget is 20 minutes). */
const CREATE_TIMEOUT_MS = 25 * 60_000;

/** What a Talos cluster (in Docker) bundles and how its nodes behave. */
const TALOS_CAPABILITIES: DistributionCapabilities = {
  bundled: {
    cni: { name: "flannel", removable: true },
    metricsServer: false,
    storage: undefined,
    kubeProxy: true,
    loadBalancer: undefined,
  },
  registryAccess: "network-address",
  kubeletServingCerts: { signed: false, approverBundled: false },
  network: { podCidr: "10.244.0.0/16", podCidrsOnNodes: true, kubeProxyReplacedByCilium: true },
  nodes: {
    podSecurity: "baseline",
    dataDir: "/var",
    kernelModules: false,
    cgroupRoot: "/sys/fs/cgroup",
    kubeletVolumePluginDir: false,
    packetFilter: "nftables",
    containerIpForwarding: false,
  },
  apiServer: { nodeLocal: { host: "localhost", port: 7445 }, settlesAfterCreate: true },
};

/**
 * The Docker subnet of a Talos cluster: `10.5.<n>.0/24`, with `<n>` derived
 * from the name so two clusters never collide on `10.5.0.0/24`.
 *
 * @param cluster The cluster name.
 * @returns The CIDR and the first control plane's address.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { talosNetwork } from "@bosun/sdk";
 * const net = talosNetwork("dev");
 * assert.match(net.cidr, /^10\.5\.\d+\.0\/24$/);
 * assert.ok(net.controlPlane.endsWith(".2"));
 * ```
 */
export function talosNetwork(cluster: string): { cidr: string; controlPlane: string } {
  const prefix = subnetPrefix(cluster);
  return { cidr: `${prefix}.0/24`, controlPlane: `${prefix}.2` };
}

/** `10.5.<n>`: the first three octets of a cluster's subnet. */
function subnetPrefix(cluster: string): string {
  let hash = 0;
  for (const ch of cluster) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  return `10.5.${hash % 250}`;
}

/**
 * The fixed address of each registry container on a Talos cluster's network:
 * the top of the subnet counting down (`.250`, `.249`, …), far from the node
 * addresses talosctl hands out from `.2` up.
 *
 * @param cluster The cluster name.
 * @param registries The registry containers, in {@linkcode planRegistries} order.
 * @returns Container name → IPv4 address.
 * @throws {ClusterInputError} More registries than the top of the subnet holds (over 100 mirrors).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { applyDefaults, planRegistries, talosNetwork, talosRegistryAddresses } from "@bosun/sdk";
 * const regs = planRegistries(applyDefaults({ metadata: { name: "dev" } }));
 * const ip = talosRegistryAddresses("dev", regs).get("dev-registry");
 * assert.equal(ip, talosNetwork("dev").cidr.replace(/\.0\/24$/, ".250"));
 * ```
 */
export function talosRegistryAddresses(
  cluster: string,
  registries: readonly RegistryContainer[],
): Map<string, string> {
  if (registries.length > 100) {
    throw new ClusterInputError({
      operation: "create",
      cluster,
      field: "spec.registry.mirrors",
      value: registries.length,
      reason:
        "holds more registries than a Talos cluster network has addresses set aside for (100)",
    });
  }
  const prefix = subnetPrefix(cluster);
  return new Map(registries.map((r, i) => [r.name, `${prefix}.${FIRST_REGISTRY_OCTET - i}`]));
}

/** The routes with each registry container's endpoint replaced by its fixed address. */
function addressedRoutes(input: ProviderInput): ProviderInput["routes"] {
  const addresses = talosRegistryAddresses(input.config.metadata.name, input.registries);
  const byEndpoint = new Map(
    input.registries.map((r) => [r.endpoint, `http://${addresses.get(r.name)}:${REGISTRY_PORT}`]),
  );
  return input.routes.map((route) => ({
    ...route,
    endpoints: route.endpoints.map((e) => byEndpoint.get(e) ?? e),
  }));
}

/**
 * Builds Bosun's Talos machine-config patch documents: CNI `none` for
 * Cilium/Calico, kube-proxy off for Cilium (which replaces it, as the Talos
 * Cilium guide's kube-proxy-free set-up does), kubelet serving-certificate
 * requests when metrics-server is Enabled (Bosun's pinned kubelet-csr-approver
 * component approves them), scheduling on control planes when there are no
 * workers, and one `RegistryMirrorConfig` per registry route whose endpoints
 * are the registries' fixed addresses ({@linkcode talosRegistryAddresses}).
 *
 * @param input The provider input.
 * @returns The documents of the patch (the first is the `v1alpha1` partial config).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { applyDefaults, renderTalosPatches } from "@bosun/sdk";
 * const [main] = renderTalosPatches({ config: applyDefaults({ spec: { distribution: "Talos", cni: "Cilium" } }), registries: [], routes: [], stateDir: "/tmp/x" });
 * assert.deepEqual(main, { cluster: { network: { cni: { name: "none" } }, proxy: { disabled: true }, allowSchedulingOnControlPlanes: true } });
 * ```
 */
export function renderTalosPatches(input: ProviderInput): Record<string, unknown>[] {
  const spec = input.config.spec;
  const caps = TALOS_CAPABILITIES;
  const machine: Obj = {};
  const cluster: Obj = {};
  if (spec.cni !== "Default") cluster.network = { cni: { name: "none" } };
  if (spec.cni === "Cilium" && caps.network.kubeProxyReplacedByCilium) {
    cluster.proxy = { disabled: true };
  }
  if (spec.metricsServer === "Enabled" && !caps.kubeletServingCerts.signed) {
    machine.kubelet = { extraArgs: { "rotate-server-certificates": "true" } };
  }
  if (spec.nodes.workers === 0) cluster.allowSchedulingOnControlPlanes = true;
  const main: Obj = {};
  if (Object.keys(machine).length > 0) main.machine = machine;
  if (Object.keys(cluster).length > 0) main.cluster = cluster;
  const docs: Obj[] = [];
  if (Object.keys(main).length > 0) docs.push(main);
  docs.push(
    ...talosRegistryMirrors(addressedRoutes(input)).map((d) => ({
      ...d,
      endpoints: [...d.endpoints],
    })),
  );
  return docs;
}

/** Shell that removes a Talos cluster's node containers (and their volumes) by label, and its state. */
function talosCleanupScript(cluster: string, stateDir: string): string {
  return `docker ps --all --quiet --filter label=talos.owned=true ` +
    `--filter label=talos.cluster.name=${cluster} | xargs -r docker rm --force --volumes; ` +
    `rm -rf ${shellQuote(`${stateDir}/talos/state`)}`;
}

/** One shell word. */
function shellQuote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** The Talos provider: drives `talosctl` (Docker provisioner) and `docker`. */
export class TalosProvider extends BaseProvider {
  /** `Talos`. */
  readonly distribution: "Talos" = "Talos";
  /**
   * talosctl 1.13 or newer: `RegistryMirrorConfig` documents (1.12), and a
   * `cluster create docker` that finishes with CNI `none` (1.13.0).
   */
  readonly tool: ToolRequirement = {
    name: "talosctl",
    minVersion: "1.13.0",
    versionArgs: ["version", "--client"],
    versionPattern: /Tag:\s*v(\d+\.\d+\.\d+)/,
  };
  /** `Talos`. */
  protected readonly title = "Talos";
  /**
   * Flannel (removable: CNI `none`) and kube-proxy (off when Cilium replaces
   * it); no metrics-server, storage or load balancer. Nodes reach registries by
   * address. Kubelets request serving certificates with
   * `rotate-server-certificates` (set when Bosun installs metrics-server);
   * nothing approves them. Talos enforces the `baseline` Pod Security level,
   * keeps writable data under `/var`, mounts cgroup v2 itself, forbids kernel
   * modules, uses nftables, and offers KubePrism (`localhost:7445`) on every
   * node; its API server restarts while it settles after create.
   */
  readonly capabilities: DistributionCapabilities = TALOS_CAPABILITIES;

  /** `admin@<cluster>`. */
  contextName(cluster: string): string {
    return `admin@${cluster}`;
  }

  /** Node containers carry `talos.owned=true` and `talos.cluster.name=<name>`. */
  nodeLabels(cluster: string): string[] {
    return ["talos.owned=true", `talos.cluster.name=${cluster}`];
  }

  /** The user's patch (validated as YAML) and Bosun's patch. */
  renderConfig(input: ProviderInput): PlannedFile[] {
    const files: PlannedFile[] = [];
    if (input.native !== undefined) {
      parseNative(input);
      files.push({
        kind: "file",
        title: "Write the user's Talos patch",
        path: `${input.stateDir}/talos/user-patch.yaml`,
        content: input.native,
      });
    }
    const docs = renderTalosPatches(input);
    if (docs.length > 0) {
      files.push({
        kind: "file",
        title: "Write Talos machine config patch",
        path: `${input.stateDir}/talos/bosun-patch.yaml`,
        content: docs.map((d) => stringify(d)).join("---\n"),
      });
    }
    return files;
  }

  /**
   * `talosctl cluster create docker …` with the patches. Its flags differ from
   * the old `cluster create --provisioner docker`: `--subnet` (not `--cidr`),
   * `--talosconfig-destination` (not `--talosconfig`), and no control-plane
   * count: the Docker subcommand always makes one control plane.
   *
   * @throws {ClusterInputError} `spec.nodes.controlPlanes` is above 1.
   */
  plan(input: ProviderInput): ProviderPlan {
    const name = input.config.metadata.name;
    const spec = input.config.spec;
    if (spec.nodes.controlPlanes !== 1) {
      throw new ClusterInputError({
        operation: "create",
        cluster: name,
        field: "spec.nodes.controlPlanes",
        value: spec.nodes.controlPlanes,
        reason:
          "talosctl cluster create docker makes exactly one control plane; set it to 1 (add workers with spec.nodes.workers)",
      });
    }
    const files = this.renderConfig(input);
    const version = bareVersion(spec.kubernetesVersion);
    const { cidr } = talosNetwork(name);
    const args = [
      "cluster",
      "create",
      "docker",
      "--name",
      name,
      "--state",
      `${input.stateDir}/talos/state`,
      "--talosconfig-destination",
      `${input.stateDir}/talosconfig`,
      "--workers",
      String(spec.nodes.workers),
      "--subnet",
      cidr,
      "--host-ip",
      "127.0.0.1",
      ...(version ? ["--kubernetes-version", version] : []),
      ...files.flatMap((f) => ["--config-patch", `@${f.path}`]),
    ];
    const addresses = talosRegistryAddresses(name, input.registries);
    const command: ProviderCommand = {
      cmd: "talosctl",
      args,
      // talosctl merges the admin kubeconfig into $KUBECONFIG (else ~/.kube/config): keep it private.
      env: { KUBECONFIG: `${input.stateDir}/talos/kubeconfig` },
      timeoutMs: CREATE_TIMEOUT_MS,
    };
    return this.createPlan(input, command, {
      files,
      network: name,
      preCreateNetwork: true,
      networkOptions: [
        "--label",
        "talos.owned=true",
        "--label",
        `talos.cluster.name=${name}`,
        "--subnet",
        cidr,
        "--opt",
        `com.docker.network.driver.mtu=${NETWORK_MTU}`,
      ],
      registryAddresses: Object.fromEntries(addresses),
      // With registries on Bosun's network, `talosctl cluster destroy` would fail removing it
      // (they are still attached): undo a failed create by removing the nodes by their labels;
      // the network goes with Bosun's own undo, after the registries.
      ...(input.registries.length > 0
        ? { undo: { cmd: "sh", args: ["-c", talosCleanupScript(name, input.stateDir)] } }
        : {}),
    });
  }

  /** `talosctl cluster destroy` for the cluster's state directory. */
  protected deleteCommand(cluster: string, stateDir: string): ProviderCommand {
    return {
      cmd: "talosctl",
      args: ["cluster", "destroy", "--name", cluster, "--state", `${stateDir}/talos/state`],
    };
  }

  /** Distinct `talos.cluster.name` labels of containers with `talos.owned=true`. */
  async list(context: ProviderContext): Promise<string[]> {
    const found = await new Docker(context.runner).containers(["talos.owned=true"]);
    return [
      ...new Set(found.map((c) => c.labels["talos.cluster.name"]).filter((n): n is string => !!n)),
    ]
      .sort();
  }

  /** `talosctl kubeconfig` into the state directory, read, then removed. */
  async kubeconfig(cluster: string, context: ProviderContext): Promise<string> {
    const file = `${context.stateDir}/kubeconfig`;
    await Deno.mkdir(context.stateDir, { recursive: true, mode: 0o700 });
    await context.runner.run("talosctl", [
      "kubeconfig",
      file,
      "--talosconfig",
      `${context.stateDir}/talosconfig`,
      "--nodes",
      talosNetwork(cluster).controlPlane,
      "--force",
      "--merge=false",
    ], { timeoutMs: QUERY_TIMEOUT_MS });
    try {
      return await Deno.readTextFile(file);
    } finally {
      await Deno.remove(file).catch(() => {});
    }
  }
}
