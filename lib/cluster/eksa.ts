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
import {
  EKSA_BOOTSTRAP_SUFFIX,
  eksaClusterNames,
  KIND_CLUSTER_LABEL,
  KIND_NODE_FACTS,
  KIND_ROLE_LABEL,
  kindLabelConflict,
} from "./_kind_labels.ts";
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

const API = "anywhere.eks.amazonaws.com/v1alpha1";
/** The Kubernetes minor EKS Anywhere uses when bosun.yaml sets none. */
export const EKSA_DEFAULT_KUBERNETES = "1.33";

/** What an EKS Anywhere cluster (Docker provider) bundles and how its nodes behave. */
const EKSA_CAPABILITIES: DistributionCapabilities = {
  bundled: {
    cni: { name: "cilium", removable: false },
    metricsServer: false,
    storage: undefined,
    kubeProxy: true,
    loadBalancer: undefined,
  },
  ...KIND_NODE_FACTS,
};

/**
 * The kubelet settings EKS Anywhere's `kubeletConfiguration` carries when
 * Bosun installs metrics-server: serving certificates requested from the
 * cluster CA (`serverTLSBootstrap`). Setting `kubeletConfiguration` replaces
 * the Docker provider's default kubelet flags, so its disk-eviction switch-off
 * (`eviction-hard` at 0%) is restated here.
 */
const SERVING_CERT_KUBELET = {
  kind: "KubeletConfiguration",
  serverTLSBootstrap: true,
  evictionHard: { "nodefs.available": "0%", "nodefs.inodesFree": "0%", "imagefs.available": "0%" },
} as const;

/** A node group's `kubeletConfiguration` with serving-certificate requests switched on (the user's settings kept). */
function withServingCerts(group: Obj): Obj {
  const user = isObj(group.kubeletConfiguration) ? group.kubeletConfiguration : {};
  return {
    ...group,
    kubeletConfiguration: {
      ...structuredClone(SERVING_CERT_KUBELET),
      ...user,
      kind: "KubeletConfiguration",
      serverTLSBootstrap: true,
    },
  };
}

/**
 * Builds the EKS Anywhere documents: `Cluster` (Kubernetes `major.minor`,
 * control-plane and worker counts, EKS Anywhere's own Cilium, the registry
 * mirror, and — when metrics-server is Enabled — a `kubeletConfiguration` on
 * every node group so kubelets request signed serving certificates) and
 * `DockerDatacenterConfig`. A user's spec is the base: their worker group
 * names, labels, taints and kubelet settings are kept; Bosun sets the counts.
 *
 * @param input The provider input.
 * @returns `[Cluster, DockerDatacenterConfig]`.
 * @throws {ClusterInputError} `spec.cni` is Calico (EKS Anywhere always runs its own Cilium), or the user's file is not an EKS-A spec.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { applyDefaults, renderEksaSpec } from "@bosun/sdk";
 * const [cluster] = renderEksaSpec({ config: applyDefaults({ metadata: { name: "dev" }, spec: { distribution: "EKSAnywhere", nodes: { workers: 2 } } }), registries: [], routes: [], stateDir: "/tmp/dev" });
 * assert.match(JSON.stringify(cluster), /"count":2/);
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
      reason:
        "EKS Anywhere always installs its own Cilium and it cannot be left out; use Default or Cilium (both mean EKS Anywhere's Cilium)",
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

  let controlPlane: Obj = isObj(base.controlPlaneConfiguration)
    ? { ...base.controlPlaneConfiguration }
    : {};
  controlPlane.count = spec.nodes.controlPlanes;

  let groups: Obj[] =
    (Array.isArray(base.workerNodeGroupConfigurations) ? base.workerNodeGroupConfigurations : [])
      .filter(isObj).map((g, i) => ({ name: `md-${i}`, ...g }));
  if (spec.nodes.workers > 0) {
    if (groups.length === 0) groups.push({ name: "md-0" });
    groups[0]!.count = spec.nodes.workers;
  }
  if (spec.metricsServer === "Enabled" && !EKSA_CAPABILITIES.kubeletServingCerts.signed) {
    controlPlane = withServingCerts(controlPlane);
    groups = groups.map(withServingCerts);
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
  return [cluster, `${cluster}${EKSA_BOOTSTRAP_SUFFIX}`]
    .map((c) =>
      `docker ps --all --quiet --filter label=${KIND_CLUSTER_LABEL}=${c} | xargs -r docker rm --force`
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
  /**
   * EKS Anywhere's own Cilium (it cannot be left out: Bosun never installs
   * another CNI), kube-proxy; no metrics-server, storage or load balancer for
   * Services. CAPD nodes are kind node images on the `kind` network, so they
   * resolve container names through Docker's DNS. Kubelets serve self-signed
   * certificates until `kubeletConfiguration.serverTLSBootstrap` (set when
   * Bosun installs metrics-server); nothing approves the requests.
   */
  readonly capabilities: DistributionCapabilities = EKSA_CAPABILITIES;
  /** `eksctl anywhere create cluster` bootstraps a kind cluster and moves CAPI into the new one: 60 minutes. */
  protected override readonly createTimeoutMs: number = 60 * 60_000;
  /** `eksctl anywhere delete cluster` goes through a bootstrap cluster too: 30 minutes. */
  protected override readonly deleteTimeoutMs: number = 30 * 60_000;

  /** `<cluster>-admin@<cluster>`. */
  contextName(cluster: string): string {
    return `${cluster}-admin@${cluster}`;
  }

  /** CAPD node containers carry kind's label `io.x-k8s.kind.cluster=<name>`. */
  nodeLabels(cluster: string): string[] {
    return [`${KIND_CLUSTER_LABEL}=${cluster}`];
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

  /** Clusters whose CAPD load balancer `<name>-lb` exists ({@linkcode eksaClusterNames}). */
  async list(context: ProviderContext): Promise<string[]> {
    return eksaClusterNames(
      await new Docker(context.runner).containers([`${KIND_ROLE_LABEL}=external-load-balancer`]),
    );
  }

  /**
   * Whether the EKS Anywhere cluster exists.
   *
   * @throws {ClusterInputError} A Kind cluster of that name exists (`metadata.name`): its nodes carry the label this cluster's would.
   */
  override async exists(cluster: string, context: ProviderContext): Promise<boolean> {
    const labelled = await new Docker(context.runner).containers([
      `${KIND_CLUSTER_LABEL}=${cluster}`,
    ]);
    if (eksaClusterNames(labelled).includes(cluster)) return true;
    if (labelled.length > 0) throw kindLabelConflict(cluster, "Kind", "EKS Anywhere");
    return false;
  }

  /** The kubeconfig eksctl wrote under `<stateDir>/<name>/`. */
  async kubeconfig(cluster: string, context: ProviderContext): Promise<string> {
    return await Deno.readTextFile(this.#kubeconfigPath(cluster, context.stateDir));
  }
}
