/**
 * The {@linkcode ClusterProvider} contract and the plan types every provider
 * shares.
 *
 * @module
 */

import type { Distribution, ResolvedConfig } from "../config/mod.ts";
import type { Runner } from "../exec/mod.ts";
import type { Reporter, Step } from "../ui/mod.ts";
import type { RegistryContainer, RegistryRoute } from "../registry/mod.ts";

/** A file a plan writes. */
export interface PlannedFile {
  /** Always `file`. */
  readonly kind: "file";
  /** What it is, for plans and progress. */
  readonly title: string;
  /** Absolute path. */
  readonly path: string;
  /** Its full content. */
  readonly content: string;
}

/** A program and its arguments, as a provider's create or delete runs it. */
export interface ProviderCommand {
  /** The program. */
  readonly cmd: string;
  /** Its arguments. */
  readonly args: readonly string[];
  /** Working directory, when it matters. */
  readonly cwd?: string;
  /** Environment variables set for it (over the current environment); never secrets. */
  readonly env?: Readonly<Record<string, string>>;
  /** Kill it and fail after this many milliseconds. */
  readonly timeoutMs?: number;
}

/** A command a plan runs, with the command that undoes it. */
export interface PlannedCommand {
  /** Always `command`. */
  readonly kind: "command";
  /** What it does, for plans and progress. */
  readonly title: string;
  /** The program (`kind`, `docker`, …). */
  readonly cmd: string;
  /** Its arguments. */
  readonly args: readonly string[];
  /** Working directory, when it matters. */
  readonly cwd?: string;
  /** Environment variables set for it (over the current environment); never secrets. */
  readonly env?: Readonly<Record<string, string>>;
  /** Kill it and fail after this many milliseconds (its undo gets the same limit). */
  readonly timeoutMs?: number;
  /** The command that undoes it, run when a later step fails. */
  readonly undo?: { readonly cmd: string; readonly args: readonly string[] };
}

/** A step that is not a file or a process: kubeconfig merge, Kubernetes apply. */
export interface PlannedAction {
  /** Always `action`. */
  readonly kind: "action";
  /** What it does. */
  readonly title: string;
}

/** One step of a plan. */
export type PlanStep = PlannedFile | PlannedCommand | PlannedAction;

/** A tool a provider drives, and the oldest version it works with. */
export interface ToolRequirement {
  /** Executable name. */
  readonly name: string;
  /** Minimum version. */
  readonly minVersion: string;
  /** Arguments that print the version. */
  readonly versionArgs: readonly string[];
  /** Pattern whose first group is the version. */
  readonly versionPattern?: RegExp;
}

/** What a provider needs to render and create a cluster. */
export interface ProviderInput {
  /** The resolved config (name, nodes, CNI, metrics-server, version, …). */
  readonly config: ResolvedConfig;
  /** The registry containers (local registry and mirrors). */
  readonly registries: readonly RegistryContainer[];
  /** Registry routes nodes must know about. */
  readonly routes: readonly RegistryRoute[];
  /** The user's native config text (`spec.distributionConfig`), already read. */
  readonly native?: string;
  /** The path it was read from, for error messages. */
  readonly nativePath?: string;
  /** The cluster's state directory (`~/.bosun/clusters/<name>`), where files are written. */
  readonly stateDir: string;
  /**
   * The Docker host's cgroup version, when known (`docker info`; create asks, plans made
   * without Docker do not). Kind sets `failCgroupV1: false` for kubelets ≥ 1.35 on version 1.
   */
  readonly hostCgroupVersion?: 1 | 2;
}

/** What a provider would do to create a cluster. */
export interface ProviderPlan {
  /** Native config files to write first. */
  readonly files: readonly PlannedFile[];
  /** Commands that create the cluster, each with its undo. */
  readonly create: readonly PlannedCommand[];
  /** The Docker network the nodes use; registries are attached to it. */
  readonly network: string;
  /** Whether Bosun creates that network before the cluster (so mirrors work at boot). */
  readonly preCreateNetwork: boolean;
  /** Extra `docker network create` flags for that network (the labels and subnet the tool looks for). */
  readonly networkOptions?: readonly string[];
  /**
   * Fixed IPv4 addresses of the registry containers on that network, by
   * container name, for distributions whose nodes reach registries by address
   * ({@linkcode RegistryAccess} `network-address`).
   */
  readonly registryAddresses?: Readonly<Record<string, string>>;
}

/** Where a provider runs commands and reports progress. */
export interface ProviderContext {
  /** The runner. */
  readonly runner: Runner;
  /** The cluster's state directory. */
  readonly stateDir: string;
  /** Progress. */
  readonly reporter: Reporter | Step;
}

/**
 * What a distribution installs by itself. Bosun never installs a second copy of
 * something listed here, and only replaces it where the distribution lets the
 * cluster be created without it.
 */
export interface BundledComponents {
  /**
   * Its CNI (`kindnet`, `flannel`, `cilium`), and whether the cluster can be
   * created without it (`removable`) so that Bosun's Cilium or Calico takes its
   * place. Removal happens at create time only: a running cluster keeps the CNI
   * it was created with.
   */
  readonly cni: { readonly name: string; readonly removable: boolean };
  /** Whether a metrics-server runs out of the box. */
  readonly metricsServer: boolean;
  /** The default StorageClass it creates and that class's provisioner; `undefined` when there is none. */
  readonly storage: { readonly storageClass: string; readonly provisioner: string } | undefined;
  /** Whether kube-proxy runs out of the box. */
  readonly kubeProxy: boolean;
  /** Its `type: LoadBalancer` Service implementation (k3s's `servicelb`); `undefined` when Services of that type stay pending. */
  readonly loadBalancer: string | undefined;
}

/**
 * How node runtimes and pods reach Bosun's registry containers on the cluster's
 * Docker network: by container name through Docker's embedded DNS, or — where
 * the nodes run their own resolvers, which do not know container names — by a
 * fixed IP address on that network that Bosun assigns.
 */
export type RegistryAccess = "container-name" | "network-address";

/** The kubelets' serving certificates, which metrics-server verifies. */
export interface KubeletServingCerts {
  /**
   * Signed by the cluster CA out of the box (k3s). When `false` the kubelets
   * serve self-signed certificates until told to request signed ones; the
   * provider does that in its native config when Bosun installs metrics-server.
   */
  readonly signed: boolean;
  /** Whether the distribution approves the kubelets' serving-certificate requests itself. */
  readonly approverBundled: boolean;
}

/** Facts about the cluster network that a CNI needs and cannot always read from the cluster. */
export interface NetworkFacts {
  /** The pod CIDR, when the distribution fixes it and publishes no kubeadm config for a CNI operator to read it from. */
  readonly podCidr: string | undefined;
  /** Whether nodes carry their pod CIDR (`Node.spec.podCIDR`) and the documented CNI set-up takes it from there (Cilium `ipam.mode: kubernetes`). */
  readonly podCidrsOnNodes: boolean;
  /**
   * Whether the provider's native config turns kube-proxy off when `spec.cni`
   * is Cilium, so that Cilium must replace it (and reach the API server through
   * {@linkcode ApiServerFacts.nodeLocal}).
   */
  readonly kubeProxyReplacedByCilium: boolean;
}

/** Facts about the node operating system that pods running privileged work depend on. */
export interface NodeFacts {
  /** The Pod Security level the API server enforces by default in every namespace; `undefined` when none is enforced. */
  readonly podSecurity: "baseline" | "restricted" | undefined;
  /** A writable directory on the node for hostPath data (`/opt`; `/var` on read-only systems). */
  readonly dataDir: string;
  /** Whether pods may load kernel modules (`SYS_MODULE`). */
  readonly kernelModules: boolean;
  /** Where the OS already mounts cgroup v2, so CNIs must not mount their own; `undefined` when they should. */
  readonly cgroupRoot: string | undefined;
  /** Whether the kubelet's FlexVolume plugin directory exists and is writable. */
  readonly kubeletVolumePluginDir: boolean;
  /** The packet-filter backend the OS uses, which CNIs must match. */
  readonly packetFilter: "iptables" | "nftables";
  /** Whether containers need IP forwarding switched on by the CNI (k3s nodes in Docker). */
  readonly containerIpForwarding: boolean;
}

/** Facts about how pods reach the API server. */
export interface ApiServerFacts {
  /** A node-local API server endpoint (Talos's KubePrism) that works without kube-proxy; `undefined` when there is none. */
  readonly nodeLocal: { readonly host: string; readonly port: number } | undefined;
  /** Whether the API server restarts while it settles just after create, so installers wait until it answers steadily. */
  readonly settlesAfterCreate: boolean;
}

/**
 * What a distribution bundles and how it behaves, declared by its provider.
 * Components read this instead of switching on the distribution's name.
 */
export interface DistributionCapabilities {
  /** What it installs by itself. */
  readonly bundled: BundledComponents;
  /** How nodes and pods reach Bosun's registry containers. */
  readonly registryAccess: RegistryAccess;
  /** The kubelets' serving certificates. */
  readonly kubeletServingCerts: KubeletServingCerts;
  /** The cluster network. */
  readonly network: NetworkFacts;
  /** The node OS. */
  readonly nodes: NodeFacts;
  /** The API server as pods reach it. */
  readonly apiServer: ApiServerFacts;
}

/**
 * One distribution. Every provider has the same method set; the shared
 * contract suite in tests/cluster runs against each.
 */
export interface ClusterProvider {
  /** The distribution. */
  readonly distribution: Distribution;
  /** The CLI it drives (Docker is always required too). */
  readonly tool: ToolRequirement;
  /** What the distribution bundles and how its nodes behave. */
  readonly capabilities: DistributionCapabilities;
  /** The kubeconfig context the tool gives the cluster (`kind-<name>`, …). */
  contextName(cluster: string): string;
  /** The native config files Bosun would write, merged over the user's file. */
  renderConfig(input: ProviderInput): PlannedFile[];
  /** Files and commands for create, without running anything. */
  plan(input: ProviderInput): ProviderPlan;
  /** Commands that delete the cluster. */
  planDelete(cluster: string, stateDir: string): PlannedCommand[];
  /** Runs the create plan (files, then commands). Registries are the caller's concern. */
  create(input: ProviderInput, context: ProviderContext): Promise<void>;
  /** Deletes the cluster; a missing cluster is not an error. */
  delete(cluster: string, context: ProviderContext): Promise<void>;
  /** Starts a stopped cluster's nodes. */
  start(cluster: string, context: ProviderContext): Promise<void>;
  /** Stops a cluster's nodes, keeping them. */
  stop(cluster: string, context: ProviderContext): Promise<void>;
  /** Names of the clusters of this distribution. */
  list(context: ProviderContext): Promise<string[]>;
  /** Whether the cluster exists. */
  exists(cluster: string, context: ProviderContext): Promise<boolean>;
  /** The cluster's kubeconfig (one context), as YAML text. */
  kubeconfig(cluster: string, context: ProviderContext): Promise<string>;
  /** Docker label filters that select the cluster's node containers. */
  nodeLabels(cluster: string): string[];
  /**
   * Copies images from the local Docker engine into every node's container runtime, so pods
   * can run them without any registry (`kind load docker-image`, `k3d image import`).
   *
   * @throws {ClusterError} The distribution cannot side-load images (Talos, EKS Anywhere):
   * the message says to push them to the local registry instead.
   */
  loadImages(cluster: string, images: readonly string[], context: ProviderContext): Promise<void>;
}
