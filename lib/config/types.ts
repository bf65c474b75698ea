/**
 * The types of `bosun.yaml`. {@linkcode ResolvedConfig} is a config with every
 * default applied; {@linkcode BosunConfig} is what a user writes.
 *
 * @module
 */

import { COMPONENT_NAMES } from "../components/_names.ts";

export { COMPONENT_NAMES };

/** The `apiVersion` of a Bosun config. */
export const API_VERSION = "bosun.dev/v1alpha1";

/** The Kubernetes distributions Bosun can create, all running in Docker. */
export const DISTRIBUTIONS = ["Kind", "K3d", "Talos", "EKSAnywhere"] as const;
/** A Kubernetes distribution. */
export type Distribution = typeof DISTRIBUTIONS[number];

/** Container network interfaces: the distribution's own, or one Bosun installs. */
export const CNIS = ["Default", "Cilium", "Calico"] as const;
/** A CNI choice. */
export type Cni = typeof CNIS[number];

/** Storage: the distribution's own, or Rancher's local-path-provisioner. */
export const CSIS = ["Default", "LocalPathStorage"] as const;
/** A CSI choice. */
export type Csi = typeof CSIS[number];

/** metrics-server: as the distribution ships it, installed by Bosun, or removed. */
export const METRICS_SERVER_MODES = ["Default", "Enabled", "Disabled"] as const;
/** A metrics-server choice. */
export type MetricsServerMode = typeof METRICS_SERVER_MODES[number];

/** Whether a component is installed. */
export const TOGGLES = ["Enabled", "Disabled"] as const;
/** An on/off choice. */
export type Toggle = typeof TOGGLES[number];

/** Admission policy engines. */
export const POLICY_ENGINES = ["None", "Kyverno", "Gatekeeper"] as const;
/** A policy engine choice. */
export type PolicyEngine = typeof POLICY_ENGINES[number];

/** GitOps engines. */
export const GITOPS_ENGINES = ["None", "Flux", "ArgoCD"] as const;
/** A GitOps engine choice. */
export type GitOpsEngine = typeof GITOPS_ENGINES[number];

/** The name of a component Bosun ships. */
export type ComponentName = typeof COMPONENT_NAMES[number];

/**
 * Chart version and values per component: Bosun's components by their names,
 * and components added with `defineHelmComponent` by theirs.
 */
export type ComponentOverrides =
  & { readonly [K in ComponentName]?: ComponentOverride }
  & { readonly [name: string]: ComponentOverride | undefined };

/** Per-component overrides. */
export interface ComponentOverride {
  /** Chart version to install instead of the pinned one. */
  readonly version?: string;
  /** Helm values merged over Bosun's own. */
  readonly values?: Readonly<Record<string, unknown>>;
}

/** Node counts. */
export interface NodesSpec {
  /** Control-plane nodes (at least 1). */
  readonly controlPlanes: number;
  /** Worker nodes. */
  readonly workers: number;
}

/** The local registry container. */
export interface LocalRegistrySpec {
  /** Whether Bosun runs `<cluster>-registry`. */
  readonly enabled: boolean;
  /** Host port published for it (container port 5000). */
  readonly hostPort: number;
}

/** Registries: the local one and pull-through mirrors. */
export interface RegistrySpec {
  /** The local registry. */
  readonly local: LocalRegistrySpec;
  /**
   * Image run for the local registry and every mirror: a distribution registry (it must honour
   * `REGISTRY_PROXY_REMOTEURL`), for air-gapped or corporate set-ups a copy in your own registry.
   * @default "registry:3"
   */
  readonly image: string;
  /** Pull-through mirrors: registry host (`docker.io`) → upstream URL (`https://registry-1.docker.io`). */
  readonly mirrors: Readonly<Record<string, string>>;
}

/** GitOps settings. */
export interface GitOpsSpec {
  /** The engine to bootstrap. */
  readonly engine: GitOpsEngine;
  /** Directory pushed as the OCI artifact, relative to the config file. */
  readonly sourceDirectory: string;
  /** The artifact tag (or Git ref) the engine follows. */
  readonly ref: string;
}

/** SOPS recipients for secrets in the repository. */
export interface SopsSpec {
  /** age recipients (`age1…`). */
  readonly age: readonly string[];
  /** PGP fingerprints. */
  readonly pgp: readonly string[];
}

/** The `spec` of a resolved config. */
export interface ClusterSpec {
  /** The distribution. */
  readonly distribution: Distribution;
  /** A native distribution config (kind.yaml, k3d.yaml, …) merged under Bosun's settings. */
  readonly distributionConfig?: string;
  /** Node counts. */
  readonly nodes: NodesSpec;
  /** Kubernetes version (`v1.34.0`); the distribution's default when unset. */
  readonly kubernetesVersion?: string;
  /**
   * Kubeconfig file to merge the cluster's context into (`~` expanded, relative to
   * bosun.yaml). Unset: the file kubectl would write, from `$KUBECONFIG` (its first
   * existing entry, else its last), else `~/.kube/config`; `kubeconfigOf` resolves it.
   */
  readonly kubeconfig?: string;
  /** Context name; derived from the distribution and cluster name when unset. */
  readonly context?: string;
  /** The CNI. */
  readonly cni: Cni;
  /** Storage. */
  readonly csi: Csi;
  /** metrics-server. */
  readonly metricsServer: MetricsServerMode;
  /** cert-manager. */
  readonly certManager: Toggle;
  /** The policy engine. */
  readonly policyEngine: PolicyEngine;
  /** Registries and mirrors. */
  readonly registry: RegistrySpec;
  /** GitOps. */
  readonly gitops: GitOpsSpec;
  /** SOPS recipients. */
  readonly sops: SopsSpec;
  /** Per-component chart version and values (Bosun's components by name, and your own). */
  readonly components: ComponentOverrides;
}

/** A config with every default applied. */
export interface ResolvedConfig {
  /** Always `bosun.dev/v1alpha1`. */
  readonly apiVersion: typeof API_VERSION;
  /** Always `Cluster`. */
  readonly kind: "Cluster";
  /** Metadata. */
  readonly metadata: { readonly name: string };
  /** The cluster spec. */
  readonly spec: ClusterSpec;
}

/** Makes every property optional, recursively (arrays and free-form maps stay as they are). */
export type DeepPartial<T> = T extends readonly unknown[] ? T
  : T extends object ? { readonly [K in keyof T]?: DeepPartial<T[K]> }
  : T;

/** A config as a user writes it: every field optional. */
export type BosunConfig = DeepPartial<ResolvedConfig>;
