/**
 * Talos in Docker: `talosctl cluster create docker` (talosctl 1.12+, where the
 * Docker provisioner became its own subcommand) with machine config patches
 * generated from bosun.yaml. The user's patch file (`spec.distributionConfig`)
 * is passed first; Bosun's patch last.
 *
 * @module
 */

import { stringify } from "yaml";
import { talosRegistryMirrors } from "../registry/mod.ts";
import { Docker } from "../registry/_docker.ts";
import { bareVersion, BaseProvider, type Obj, parseNative } from "./base.ts";
import { ClusterInputError } from "./errors.ts";
import type {
  PlannedFile,
  ProviderCommand,
  ProviderContext,
  ProviderInput,
  ProviderPlan,
  ToolRequirement,
} from "./types.ts";

/** The kubelet serving-certificate approver Talos documents for metrics-server. */
export const KUBELET_CSR_APPROVER_MANIFEST =
  "https://raw.githubusercontent.com/alex1989hu/kubelet-serving-cert-approver/main/deploy/standalone-install.yaml";

/**
 * The Docker subnet of a Talos cluster: `10.5.<n>.0/24`, with `<n>` derived
 * from the name so two clusters never collide on `10.5.0.0/24`.
 *
 * @param cluster The cluster name.
 * @returns The CIDR and the first control plane's address.
 *
 * @example
 * ```ts
 * import { talosNetwork } from "@bosun/sdk";
 * const net = talosNetwork("dev");
 * console.assert(net.cidr.startsWith("10.5.") && net.controlPlane.endsWith(".2"));
 * ```
 */
export function talosNetwork(cluster: string): { cidr: string; controlPlane: string } {
  let hash = 0;
  for (const ch of cluster) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  const octet = hash % 250;
  return { cidr: `10.5.${octet}.0/24`, controlPlane: `10.5.${octet}.2` };
}

/**
 * Builds Bosun's Talos machine-config patch documents: CNI `none` for
 * Cilium/Calico, kubelet serving-certificate rotation plus the CSR approver
 * when metrics-server is Enabled, scheduling on control planes when there are
 * no workers, and one `RegistryMirrorConfig` per registry route.
 *
 * @param input The provider input.
 * @returns The documents of the patch (the first is the `v1alpha1` partial config).
 *
 * @example
 * ```ts
 * import { applyDefaults, renderTalosPatches } from "@bosun/sdk";
 * const [main] = renderTalosPatches({ config: applyDefaults({ spec: { cni: "Calico" } }), registries: [], routes: [], stateDir: "/tmp/x" });
 * console.assert(JSON.stringify(main).includes('"name":"none"'));
 * ```
 */
export function renderTalosPatches(input: ProviderInput): Record<string, unknown>[] {
  const spec = input.config.spec;
  const machine: Obj = {};
  const cluster: Obj = {};
  if (spec.cni !== "Default") cluster.network = { cni: { name: "none" } };
  if (spec.metricsServer === "Enabled") {
    machine.kubelet = { extraArgs: { "rotate-server-certificates": "true" } };
    cluster.extraManifests = [KUBELET_CSR_APPROVER_MANIFEST];
  }
  if (spec.nodes.workers === 0) cluster.allowSchedulingOnControlPlanes = true;
  const main: Obj = {};
  if (Object.keys(machine).length > 0) main.machine = machine;
  if (Object.keys(cluster).length > 0) main.cluster = cluster;
  const docs: Obj[] = [];
  if (Object.keys(main).length > 0) docs.push(main);
  docs.push(
    ...talosRegistryMirrors(input.routes).map((d) => ({ ...d, endpoints: [...d.endpoints] })),
  );
  return docs;
}

/** The Talos provider: drives `talosctl` (Docker provisioner) and `docker`. */
export class TalosProvider extends BaseProvider {
  /** `Talos`. */
  readonly distribution: "Talos" = "Talos";
  /** talosctl 1.12 or newer (`RegistryMirrorConfig` documents). */
  readonly tool: ToolRequirement = {
    name: "talosctl",
    minVersion: "1.12.0",
    versionArgs: ["version", "--client"],
    versionPattern: /Tag:\s*v(\d+\.\d+\.\d+)/,
  };
  /** `Talos`. */
  protected readonly title = "Talos";

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
      talosNetwork(name).cidr,
      ...(version ? ["--kubernetes-version", version] : []),
      ...files.flatMap((f) => ["--config-patch", `@${f.path}`]),
    ];
    return this.createPlan(input, { cmd: "talosctl", args }, {
      files,
      network: name,
      preCreateNetwork: false,
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
    ]);
    try {
      return await Deno.readTextFile(file);
    } finally {
      await Deno.remove(file).catch(() => {});
    }
  }
}
