/**
 * The {@linkcode Component} contract and the plain data the installer works
 * with: plans, contexts, results.
 *
 * @module
 */

import type { ResolvedConfig } from "../config/mod.ts";
import type { Helm } from "../helm/mod.ts";
import type { Kube } from "../kube/mod.ts";
import type { Step } from "../ui/mod.ts";

/**
 * When a component runs: `cni` first (nothing schedules before a CNI), then
 * every `addon` as its dependencies allow, then `gitops` last.
 */
export type ComponentPhase = "cni" | "addon" | "gitops";

/** How a component gets into the cluster. */
export type ComponentSource =
  | {
    /** A Helm chart. */
    readonly type: "helm";
    /** The chart, as shown to people (repository URL and name, `oci://…`, or a path). */
    readonly chart: string;
  }
  | {
    /** Kubernetes manifests applied with server-side apply. */
    readonly type: "manifest";
    /** Where the manifests come from (a release URL, or "built in"). */
    readonly chart: string;
    /** sha256 of the manifests Bosun applies (hex). */
    readonly sha256: string;
  };

/** What a component will install, computed from the config without touching a cluster. */
export interface ComponentPlan {
  /** The component's name. */
  readonly name: string;
  /** Its phase. */
  readonly phase: ComponentPhase;
  /** Components it waits for (only those in the same plan). */
  readonly dependsOn: readonly string[];
  /** The chart or manifest source. */
  readonly source: ComponentSource;
  /** Helm release name (or the manifest set's name). */
  readonly release: string;
  /** Pinned version (after bosun.yaml overrides). */
  readonly version: string;
  /** Target namespace. */
  readonly namespace: string;
  /** Values (Bosun's per-distribution values merged with bosun.yaml's). */
  readonly values: Readonly<Record<string, unknown>>;
}

/** What a component's `install` receives. */
export interface ComponentContext {
  /** The resolved config. */
  readonly config: ResolvedConfig;
  /** This component's plan (version and values already resolved). */
  readonly plan: ComponentPlan;
  /** Helm bound to the cluster's kubeconfig context. */
  readonly helm: Helm;
  /** The Kubernetes connection (opened on first use, shared by all components). */
  kube(): Promise<Kube>;
  /** This component's reporter step. */
  readonly step: Step;
  /** Aborted when the graph cancels running installs. */
  readonly signal: AbortSignal;
  /** The time budget for this component, in milliseconds. */
  readonly timeoutMs: number;
}

/** What an install did. */
export interface ComponentOutcome {
  /** Whether anything changed in the cluster. */
  readonly changed: boolean;
  /** A short note for the reporter ("revision 2", "3 objects"). */
  readonly note?: string;
}

/**
 * A cluster component: the CNI, storage, metrics-server, cert-manager, a policy
 * engine, a GitOps engine. Each lives in its own file and reads what it needs
 * to know about the distribution from the provider's capabilities.
 *
 * @typeParam N Its name, as a literal type for the built-in components.
 */
export interface Component<N extends string = string> {
  /** Unique name, as used in bosun.yaml `spec.components`. */
  readonly name: N;
  /** When it runs relative to the others. */
  readonly phase: ComponentPhase;
  /** Components that must be installed first, when they are part of the same install. */
  readonly dependsOn: readonly string[];
  /** Whether the config asks for it (and the distribution does not already ship it). */
  enabled(config: ResolvedConfig): boolean;
  /** The chart, version, namespace and values for this config; pure. */
  plan(config: ResolvedConfig): ComponentPlan;
  /** Installs or upgrades the component and waits until it is ready; idempotent. */
  install(ctx: ComponentContext): Promise<ComponentOutcome>;
}

/** What happened to one component in an install. */
export type ComponentStatus = "installed" | "unchanged" | "failed" | "skipped" | "cancelled";

/** One component's line in an install result. */
export interface ComponentResult {
  /** The component. */
  readonly name: string;
  /** What happened. */
  readonly status: ComponentStatus;
  /** The chart (or manifest source) and version. */
  readonly chart: string;
  /** The version installed. */
  readonly version: string;
  /** Milliseconds after the graph started that this component started (`undefined` when it never ran). */
  readonly startedAtMs: number | undefined;
  /** How long it took, in milliseconds (0 when it never ran). */
  readonly durationMs: number;
  /** The note from the install, or why it was skipped. */
  readonly note?: string | undefined;
  /** The error, for `failed`. */
  readonly error?: unknown;
}

/** The result of {@linkcode installComponents}. */
export interface InstallComponentsResult {
  /** One entry per component in the graph, in plan order. */
  readonly components: readonly ComponentResult[];
  /** Wall time of the whole install, in milliseconds. */
  readonly wallMs: number;
  /** Whether any component changed the cluster. */
  readonly changed: boolean;
}

export type { ClusterTarget } from "../cluster/target.ts";
