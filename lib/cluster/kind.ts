/**
 * Kind: `kind.x-k8s.io/v1alpha4` config generated from bosun.yaml and merged
 * over the user's kind.yaml, keeping every per-node setting.
 *
 * @module
 */

import { stringify } from "yaml";
import { containerdHostsFiles } from "../registry/mod.ts";
import { Docker } from "../registry/_docker.ts";
import {
  BaseProvider,
  isObj,
  nativeError,
  type Obj,
  parseNative,
  QUERY_TIMEOUT_MS,
} from "./base.ts";
import {
  EKSA_BOOTSTRAP_SUFFIX,
  eksaClusterNames,
  KIND_CLUSTER_LABEL,
  KIND_NODE_FACTS,
  KIND_ROLE_LABEL,
  kindLabelConflict,
} from "./_kind_labels.ts";
import { runPlannedCommand } from "./_steps.ts";
import type {
  DistributionCapabilities,
  PlannedCommand,
  PlannedFile,
  ProviderCommand,
  ProviderContext,
  ProviderInput,
  ProviderPlan,
  ToolRequirement,
} from "./types.ts";

const CERTS_D = "/etc/containerd/certs.d";
/** How long create and start wait for every node to be Ready. */
const NODES_READY_SECONDS = 180;

/**
 * Waits, inside the first control-plane node, until the API server is ready and every node is
 * Ready. kind's own `--wait` covers only the control plane; workers join NotReady, and right
 * after a restart the API server answers 403 until its RBAC bootstrap has run.
 */
function nodesReadyCommand(cluster: string): PlannedCommand {
  const kubectl = "kubectl --kubeconfig=/etc/kubernetes/admin.conf";
  const t = NODES_READY_SECONDS;
  return {
    kind: "command",
    title: `Wait until every node of ${cluster} is Ready`,
    cmd: "docker",
    args: [
      "exec",
      `${cluster}-control-plane`,
      "sh",
      "-c",
      `timeout ${t} sh -c 'until ${kubectl} get --raw=/readyz >/dev/null 2>&1; do sleep 1; done' && ` +
      `${kubectl} wait --for=condition=Ready nodes --all --timeout=${t}s`,
    ],
    timeoutMs: (2 * t + 30) * 1000,
  };
}
const CONFIG_PATH_PATCH =
  `[plugins."io.containerd.grpc.v1.cri".registry]\n  config_path = "${CERTS_D}"\n`;
const KUBELET_TLS_PATCH = stringify({ kind: "KubeletConfiguration", serverTLSBootstrap: true });
const KUBELET_CGROUP_V1_PATCH = stringify({ kind: "KubeletConfiguration", failCgroupV1: false });

/**
 * Whether the kubelet of this Kubernetes version refuses a cgroup v1 host unless told
 * (`failCgroupV1` defaults to true from 1.35 on). No version set: kind's default node image,
 * which is newer than that for kind ≥ 0.30.
 */
export function kubeletRefusesCgroupV1(kubernetesVersion: string | undefined): boolean {
  if (kubernetesVersion === undefined) return true;
  const m = /^v?(\d+)\.(\d+)/.exec(kubernetesVersion);
  if (!m) return true;
  return Number(m[1]) > 1 || Number(m[2]) >= 35;
}

/** What a kind cluster bundles and how its nodes behave. */
const KIND_CAPABILITIES: DistributionCapabilities = {
  bundled: {
    cni: { name: "kindnet", removable: true },
    metricsServer: false,
    storage: { storageClass: "standard", provisioner: "rancher.io/local-path" },
    kubeProxy: true,
    loadBalancer: undefined,
  },
  ...KIND_NODE_FACTS,
};

/** A kind node as typed data (other fields of the user's file are kept as they are). */
interface KindNode extends Obj {
  role: "control-plane" | "worker";
  image?: string;
  extraMounts?: Obj[];
}

/** Whether a node carries anything beyond its role (and Bosun's own mount). */
function hasSettings(node: Obj): boolean {
  return Object.keys(node).some((k) => k !== "role");
}

/**
 * Builds the kind config: the user's document (when given) with Bosun's
 * settings applied — name, node counts (user nodes are kept in order; plain
 * nodes are added or removed, never ones with settings), `disableDefaultCNI`
 * for Cilium/Calico, the kubelet `serverTLSBootstrap` patch when metrics-server
 * is Enabled, containerd `config_path` and the `certs.d` mount when registries
 * are configured, and the node image for `kubernetesVersion`.
 *
 * @param input The provider input.
 * @returns The config object.
 * @throws {ClusterInputError} The user's file is not a kind Cluster, or a node with settings would be dropped.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { applyDefaults, renderKindConfig } from "@bosun/sdk";
 * const cfg = renderKindConfig({ config: applyDefaults({ metadata: { name: "dev" }, spec: { nodes: { workers: 2 } } }), registries: [], routes: [], stateDir: "/tmp/dev" });
 * assert.equal((cfg.nodes as unknown[]).length, 3);
 * ```
 */
export function renderKindConfig(input: ProviderInput): Record<string, unknown> {
  const { config } = input;
  const spec = config.spec;
  const docs = parseNative(input);
  if (docs.length > 1) throw nativeError(input, "must hold one kind Cluster document");
  const base: Obj = structuredClone(docs[0] ?? {});
  if (docs.length === 1) {
    if (base.kind !== "Cluster" || base.apiVersion !== "kind.x-k8s.io/v1alpha4") {
      throw nativeError(
        input,
        "is not a kind config (kind: Cluster, apiVersion: kind.x-k8s.io/v1alpha4)",
      );
    }
  }
  const out: Obj = { ...base, kind: "Cluster", apiVersion: "kind.x-k8s.io/v1alpha4" };
  out.name = config.metadata.name;

  const userNodes = Array.isArray(base.nodes) ? (base.nodes as unknown[]).filter(isObj) : [];
  const pick = (role: KindNode["role"], count: number, field: string): KindNode[] => {
    const mine = userNodes.filter((n) => n.role === role) as KindNode[];
    for (const dropped of mine.slice(count)) {
      if (hasSettings(dropped)) {
        throw nativeError(
          input,
          `has more ${role} nodes than ${field} (${count}) and the extra ones carry settings; ` +
            `raise ${field} or remove them from the file`,
        );
      }
    }
    const kept = mine.slice(0, count).map((n) => structuredClone(n));
    while (kept.length < count) kept.push({ role });
    return kept;
  };
  const nodes = [
    ...pick("control-plane", spec.nodes.controlPlanes, "spec.nodes.controlPlanes"),
    ...pick("worker", spec.nodes.workers, "spec.nodes.workers"),
  ];
  if (spec.kubernetesVersion !== undefined) {
    const v = spec.kubernetesVersion.startsWith("v")
      ? spec.kubernetesVersion
      : `v${spec.kubernetesVersion}`;
    for (const node of nodes) node.image ??= `kindest/node:${v}`;
  }
  if (input.routes.length > 0) {
    for (const node of nodes) {
      const mounts = (node.extraMounts ?? []).filter(isObj);
      if (!mounts.some((m) => m.containerPath === CERTS_D)) {
        mounts.push({
          hostPath: `${input.stateDir}/certs.d`,
          containerPath: CERTS_D,
          readOnly: true,
        });
      }
      node.extraMounts = mounts;
    }
    const patches = Array.isArray(base.containerdConfigPatches)
      ? [...base.containerdConfigPatches as string[]]
      : [];
    if (!patches.some((p) => typeof p === "string" && p.includes("config_path"))) {
      patches.push(CONFIG_PATH_PATCH);
    }
    out.containerdConfigPatches = patches;
  }
  out.nodes = nodes;

  if (spec.cni !== "Default") {
    out.networking = {
      ...(isObj(base.networking) ? base.networking : {}),
      disableDefaultCNI: true,
    };
  }
  const patches = Array.isArray(base.kubeadmConfigPatches)
    ? [...base.kubeadmConfigPatches as string[]]
    : [];
  const has = (text: string) => patches.some((p) => typeof p === "string" && p.includes(text));
  const before = patches.length;
  if (spec.metricsServer === "Enabled" && !has("serverTLSBootstrap")) {
    patches.push(KUBELET_TLS_PATCH);
  }
  if (
    input.hostCgroupVersion === 1 && kubeletRefusesCgroupV1(spec.kubernetesVersion) &&
    !has("failCgroupV1")
  ) {
    patches.push(KUBELET_CGROUP_V1_PATCH);
  }
  if (patches.length > before) out.kubeadmConfigPatches = patches;
  return out;
}

/** The Kind provider: drives `kind` and, for start/stop, `docker`. */
export class KindProvider extends BaseProvider {
  /** `Kind`. */
  readonly distribution: "Kind" = "Kind";
  /** kind 0.20 or newer. */
  readonly tool: ToolRequirement = {
    name: "kind",
    minVersion: "0.20.0",
    versionArgs: ["version"],
    versionPattern: /kind v(\d+\.\d+\.\d+)/,
  };
  /** `Kind`. */
  protected readonly title = "Kind";
  /**
   * kindnet (removable: `disableDefaultCNI`), kube-proxy, the `standard`
   * StorageClass (kind's build of local-path-provisioner); no metrics-server and
   * no load balancer. Nodes resolve container names through Docker's DNS on the
   * `kind` network. Kubelets serve self-signed certificates until
   * `serverTLSBootstrap` (set when Bosun installs metrics-server); nothing
   * approves the requests.
   */
  readonly capabilities: DistributionCapabilities = KIND_CAPABILITIES;

  /** `kind-<cluster>`. */
  contextName(cluster: string): string {
    return `kind-${cluster}`;
  }

  /** Node containers carry `io.x-k8s.kind.cluster=<name>`. */
  nodeLabels(cluster: string): string[] {
    return [`${KIND_CLUSTER_LABEL}=${cluster}`];
  }

  /** kind.yaml plus one `certs.d/<host>/hosts.toml` per registry route. */
  renderConfig(input: ProviderInput): PlannedFile[] {
    const files: PlannedFile[] = [{
      kind: "file",
      title: "Write kind config",
      path: `${input.stateDir}/kind.yaml`,
      content: stringify(renderKindConfig(input)),
    }];
    for (const f of containerdHostsFiles(input.routes)) {
      files.push({
        kind: "file",
        title: `Write containerd hosts.toml for ${f.path.split("/")[0]}`,
        path: `${input.stateDir}/certs.d/${f.path}`,
        content: f.content,
      });
    }
    return files;
  }

  /** `kind create cluster` into a private kubeconfig; Bosun merges the context itself. */
  plan(input: ProviderInput): ProviderPlan {
    const args = [
      "create",
      "cluster",
      "--name",
      input.config.metadata.name,
      "--config",
      `${input.stateDir}/kind.yaml`,
      "--kubeconfig",
      `${input.stateDir}/kubeconfig`,
      ...(input.config.spec.cni === "Default" ? ["--wait", "120s"] : []),
    ];
    const plan = this.createPlan(input, { cmd: "kind", args }, {
      network: "kind",
      preCreateNetwork: false,
    });
    // Without the default CNI no node is Ready until Bosun's CNI component is installed.
    if (input.config.spec.cni !== "Default") return plan;
    return { ...plan, create: [...plan.create, nodesReadyCommand(input.config.metadata.name)] };
  }

  /** `kind load docker-image --name <cluster> <image…>`: into every node. */
  override async loadImages(
    cluster: string,
    images: readonly string[],
    context: ProviderContext,
  ): Promise<void> {
    await context.runner.run("kind", ["load", "docker-image", "--name", cluster, ...images], {
      timeoutMs: 600_000,
    });
  }

  /**
   * Starts the node containers, control planes first, then waits until the API server is ready
   * and every node is Ready again.
   */
  override async start(cluster: string, context: ProviderContext): Promise<void> {
    await super.start(cluster, context);
    await runPlannedCommand(context.runner, nodesReadyCommand(cluster));
  }

  /** `kind delete cluster` (it never edits the user's kubeconfig: Bosun removes the context). */
  protected deleteCommand(cluster: string, stateDir: string): ProviderCommand {
    return {
      cmd: "kind",
      args: ["delete", "cluster", "--name", cluster, "--kubeconfig", `${stateDir}/kubeconfig`],
    };
  }

  /**
   * `kind get clusters` (one name per line; "No kind clusters found." goes to
   * stderr) without EKS Anywhere's: kind lists every name carried by the label
   * `io.x-k8s.kind.cluster`, which EKS Anywhere's CAPD nodes and its bootstrap
   * cluster `<name>-eks-a-cluster` carry too ({@linkcode eksaClusterNames}).
   */
  async list(context: ProviderContext): Promise<string[]> {
    const { kind, eksa } = await this.#names(context);
    return kind.filter((n) => !eksa.includes(n) && !n.endsWith(EKSA_BOOTSTRAP_SUFFIX));
  }

  /**
   * Whether the Kind cluster exists.
   *
   * @throws {ClusterInputError} An EKS Anywhere cluster of that name exists (`metadata.name`): its nodes carry the label this cluster's would.
   */
  override async exists(cluster: string, context: ProviderContext): Promise<boolean> {
    const { kind, eksa } = await this.#names(context);
    if (eksa.includes(cluster)) throw kindLabelConflict(cluster, "EKS Anywhere", "Kind");
    return kind.includes(cluster);
  }

  async #names(context: ProviderContext): Promise<{ kind: string[]; eksa: string[] }> {
    const out = await context.runner.run("kind", ["get", "clusters"], {
      timeoutMs: QUERY_TIMEOUT_MS,
    });
    const kind = out.stdout.split("\n").map((l) => l.trim())
      .filter((l) => l !== "" && !l.startsWith("No kind clusters"));
    if (kind.length === 0) return { kind, eksa: [] };
    const lbs = await new Docker(context.runner).containers([
      `${KIND_ROLE_LABEL}=external-load-balancer`,
    ]);
    return { kind, eksa: eksaClusterNames(lbs) };
  }

  /** `kind get kubeconfig --name <cluster>`. */
  async kubeconfig(cluster: string, context: ProviderContext): Promise<string> {
    return (await context.runner.run("kind", ["get", "kubeconfig", "--name", cluster], {
      timeoutMs: QUERY_TIMEOUT_MS,
    })).stdout;
  }

  /** Control planes start first (kind has no start command: the node containers are started). */
  protected override startRank(labels: Readonly<Record<string, string>>): number {
    return labels[KIND_ROLE_LABEL] === "control-plane" ? 0 : 1;
  }
}
