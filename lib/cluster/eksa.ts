/**
 * EKS Anywhere with its Docker provider: a `Cluster` plus
 * `DockerDatacenterConfig` spec generated from bosun.yaml (merged over the
 * user's spec file), created with `eksctl anywhere create cluster`.
 *
 * @module
 */

import { stringify } from "yaml";
import { eksaRegistryMirrorConfiguration } from "../registry/mod.ts";
import { Docker } from "../registry/_docker.ts";
import { BaseProvider, isObj, nativeError, type Obj, parseNative } from "./base.ts";
import { ClusterInputError } from "./errors.ts";
import type {
  PlannedFile,
  ProviderCommand,
  ProviderContext,
  ProviderInput,
  ProviderPlan,
  ToolRequirement,
} from "./types.ts";

const API = "anywhere.eks.amazonaws.com/v1alpha1";
/** The Kubernetes minor EKS Anywhere uses when bosun.yaml sets none. */
export const EKSA_DEFAULT_KUBERNETES = "1.33";

/**
 * Builds the EKS Anywhere documents: `Cluster` (Kubernetes `major.minor`,
 * control-plane and worker counts, Cilium, the registry mirror) and
 * `DockerDatacenterConfig`. A user's spec is the base: their worker group
 * names, labels and taints are kept; Bosun sets the counts.
 *
 * @param input The provider input.
 * @returns `[Cluster, DockerDatacenterConfig]`.
 * @throws {ClusterInputError} `spec.cni` is Calico (EKS Anywhere always runs its own Cilium), or the user's file is not an EKS-A spec.
 *
 * @example
 * ```ts
 * import { applyDefaults, renderEksaSpec } from "@bosun/sdk";
 * const [cluster] = renderEksaSpec({ config: applyDefaults({ metadata: { name: "dev" }, spec: { distribution: "EKSAnywhere", nodes: { workers: 2 } } }), registries: [], routes: [], stateDir: "/tmp/dev" });
 * console.assert(JSON.stringify(cluster).includes('"count":2'));
 * ```
 */
export function renderEksaSpec(
  input: ProviderInput,
): [Record<string, unknown>, Record<string, unknown>] {
  const { config } = input;
  const name = config.metadata.name;
  const spec = config.spec;
  if (spec.cni === "Calico") {
    throw new ClusterInputError({
      operation: "create",
      cluster: name,
      field: "spec.cni",
      value: spec.cni,
      reason: "EKS Anywhere always installs its own Cilium; use Default or Cilium",
    });
  }
  const docs = parseNative(input);
  const userCluster = docs.find((d) => d.kind === "Cluster");
  const userDc = docs.find((d) => d.kind === "DockerDatacenterConfig");
  if (docs.length > 0 && userCluster === undefined) {
    throw nativeError(input, `has no ${API} Cluster document`);
  }
  if (userCluster !== undefined && userCluster.apiVersion !== API) {
    throw nativeError(input, `has a Cluster that is not ${API}`);
  }
  const base: Obj = isObj(userCluster?.spec) ? structuredClone(userCluster.spec) : {};
  const version = spec.kubernetesVersion?.replace(/^v/, "").split(".").slice(0, 2).join(".") ??
    (typeof base.kubernetesVersion === "string" ? base.kubernetesVersion : EKSA_DEFAULT_KUBERNETES);

  const clusterNetwork: Obj = isObj(base.clusterNetwork) ? { ...base.clusterNetwork } : {};
  clusterNetwork.cniConfig ??= { cilium: {} };
  clusterNetwork.pods ??= { cidrBlocks: ["192.168.0.0/16"] };
  clusterNetwork.services ??= { cidrBlocks: ["10.96.0.0/12"] };
  delete clusterNetwork.cni;

  const controlPlane: Obj = isObj(base.controlPlaneConfiguration)
    ? { ...base.controlPlaneConfiguration }
    : {};
  controlPlane.count = spec.nodes.controlPlanes;

  const groups: Obj[] =
    (Array.isArray(base.workerNodeGroupConfigurations) ? base.workerNodeGroupConfigurations : [])
      .filter(isObj).map((g, i) => ({ name: `md-${i}`, ...g }));
  if (spec.nodes.workers > 0) {
    if (groups.length === 0) groups.push({ name: "md-0" });
    groups[0]!.count = spec.nodes.workers;
  }

  const clusterSpec: Obj = {
    ...base,
    clusterNetwork,
    controlPlaneConfiguration: controlPlane,
    datacenterRef: { kind: "DockerDatacenterConfig", name },
    externalEtcdConfiguration: isObj(base.externalEtcdConfiguration)
      ? base.externalEtcdConfiguration
      : { count: 1 },
    kubernetesVersion: version,
    managementCluster: { name },
    workerNodeGroupConfigurations: spec.nodes.workers > 0 ? groups : [],
  };
  const mirror = eksaRegistryMirrorConfiguration(input.registries);
  if (mirror) {
    clusterSpec.registryMirrorConfiguration = {
      ...mirror,
      ociNamespaces: mirror.ociNamespaces.map((n) => ({ ...n })),
    };
  }
  const cluster: Obj = { apiVersion: API, kind: "Cluster", metadata: { name }, spec: clusterSpec };
  const dc: Obj = {
    apiVersion: API,
    kind: "DockerDatacenterConfig",
    metadata: { name },
    spec: isObj(userDc?.spec) ? userDc.spec : {},
  };
  return [cluster, dc];
}

/** Shell that removes an EKS-A cluster's node containers and its bootstrap cluster by label. */
function eksaCleanupScript(cluster: string): string {
  return [cluster, `${cluster}-eks-a-cluster`]
    .map((c) =>
      `docker ps --all --quiet --filter label=io.x-k8s.kind.cluster=${c} | xargs -r docker rm --force`
    )
    .join("; ");
}

/** The EKS Anywhere provider: drives `eksctl anywhere` and `docker`. */
export class EksaProvider extends BaseProvider {
  /** `EKSAnywhere`. */
  readonly distribution: "EKSAnywhere" = "EKSAnywhere";
  /** eksctl-anywhere 0.20 or newer. */
  readonly tool: ToolRequirement = {
    name: "eksctl",
    minVersion: "0.20.0",
    versionArgs: ["anywhere", "version"],
    versionPattern: /Version:\s*v(\d+\.\d+\.\d+)/,
  };
  /** `EKS Anywhere`. */
  protected readonly title = "EKS Anywhere";

  /** `<cluster>-admin@<cluster>`. */
  contextName(cluster: string): string {
    return `${cluster}-admin@${cluster}`;
  }

  /** CAPD node containers carry kind's label `io.x-k8s.kind.cluster=<name>`. */
  nodeLabels(cluster: string): string[] {
    return [`io.x-k8s.kind.cluster=${cluster}`];
  }

  /** The cluster spec file. */
  renderConfig(input: ProviderInput): PlannedFile[] {
    return [{
      kind: "file",
      title: "Write EKS Anywhere cluster spec",
      path: `${input.stateDir}/eksa-cluster.yaml`,
      content: renderEksaSpec(input).map((d) => stringify(d)).join("---\n"),
    }];
  }

  #kubeconfigPath(cluster: string, stateDir: string): string {
    return `${stateDir}/${cluster}/${cluster}-eks-a-cluster.kubeconfig`;
  }

  /** `eksctl anywhere create cluster` in the state directory (it writes `<name>/` there). */
  plan(input: ProviderInput): ProviderPlan {
    return this.createPlan(input, {
      cmd: "eksctl",
      args: ["anywhere", "create", "cluster", "--filename", `${input.stateDir}/eksa-cluster.yaml`],
      cwd: input.stateDir,
    }, {
      network: "kind",
      preCreateNetwork: false,
      // `eksctl anywhere delete` needs the kubeconfig a failed create never wrote:
      // remove the CAPD nodes and the bootstrap kind cluster by their labels instead.
      undo: { cmd: "sh", args: ["-c", eksaCleanupScript(input.config.metadata.name)] },
    });
  }

  /** `eksctl anywhere delete cluster`. */
  protected deleteCommand(cluster: string, stateDir: string): ProviderCommand {
    return {
      cmd: "eksctl",
      args: [
        "anywhere",
        "delete",
        "cluster",
        "--filename",
        `${stateDir}/eksa-cluster.yaml`,
        "--kubeconfig",
        this.#kubeconfigPath(cluster, stateDir),
      ],
      cwd: stateDir,
    };
  }

  /** Clusters whose CAPD load balancer `<name>-lb` exists. */
  async list(context: ProviderContext): Promise<string[]> {
    const found = await new Docker(context.runner).containers([
      "io.x-k8s.kind.role=external-load-balancer",
    ]);
    return found
      .map((c) => c.labels["io.x-k8s.kind.cluster"])
      .filter((n): n is string => !!n && found.some((c) => c.name === `${n}-lb`))
      .sort();
  }

  /** The kubeconfig eksctl wrote under `<stateDir>/<name>/`. */
  async kubeconfig(cluster: string, context: ProviderContext): Promise<string> {
    return await Deno.readTextFile(this.#kubeconfigPath(cluster, context.stateDir));
  }
}
