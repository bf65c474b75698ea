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
 * One distribution. Every provider has the same method set; the shared
 * contract suite in tests/cluster runs against each.
 */
export interface ClusterProvider {
  /** The distribution. */
  readonly distribution: Distribution;
  /** The CLI it drives (Docker is always required too). */
  readonly tool: ToolRequirement;
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
}
