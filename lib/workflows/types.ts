/**
 * Options and results shared by the workflows.
 *
 * @module
 */

import type { BosunConfig, ResolvedConfig } from "../config/mod.ts";
import type { Runner } from "../exec/mod.ts";
import type { Kube } from "../kube/mod.ts";
import type { Reporter } from "../ui/mod.ts";

/** Options every workflow accepts. */
export interface WorkflowOptions {
  /** The config: a bosun.yaml path, or a config object. @default bosun.yaml found walking up, else defaults */
  readonly config?: string | BosunConfig | ResolvedConfig;
  /** Directory relative paths in the config start from. @default the config file's directory */
  readonly baseDir?: string;
  /** Runs docker, kind, k3d, talosctl, eksctl, helm. @default defaultRunner */
  readonly runner?: Runner;
  /** Progress. @default silentReporter */
  readonly reporter?: Reporter;
  /** Bosun's state directory for the cluster. @default `$BOSUN_HOME/clusters/<name>` */
  readonly stateDir?: string;
  /** A Kubernetes connection to use instead of opening one to the cluster's context. */
  readonly kube?: Kube;
}

/** How long one step took. */
export interface StepTiming {
  /** The step. */
  readonly name: string;
  /** `ok`, `skipped` or `failed`. */
  readonly status: "ok" | "skipped" | "failed";
  /** Milliseconds. */
  readonly durationMs: number;
  /** A short note ("created", "unchanged", "3 components"). */
  readonly note?: string;
}

/** A config resolved for a workflow. */
export interface LoadedWorkflowConfig {
  /** The resolved config. */
  readonly config: ResolvedConfig;
  /** Where relative paths start. */
  readonly baseDir: string;
  /** The file it came from. */
  readonly path: string | undefined;
}
