/**
 * {@linkcode downWorkflow}: delete the cluster and everything Bosun created
 * for it.
 *
 * @module
 */

import { silentReporter } from "../ui/mod.ts";
import { loadWorkflowConfig } from "./_common.ts";
import type { WorkflowOptions } from "./types.ts";

/** Options for {@linkcode downWorkflow}. */
export interface DownOptions extends WorkflowOptions {
  /**
   * Delete the registry volumes too (pushed artifacts, mirror caches): `down` leaves nothing
   * labelled for the cluster. `false` keeps them for the next `up`. @default true
   */
  readonly deleteVolumes?: boolean;
}

/** What {@linkcode downWorkflow} removed. */
export interface DownResult {
  /** Cluster name. */
  readonly cluster: string;
  /** Whether the cluster existed and was deleted. */
  readonly deleted: boolean;
  /** Whether its kubeconfig context was removed. */
  readonly contextRemoved: boolean;
  /** Milliseconds. */
  readonly durationMs: number;
}

/**
 * Deletes the cluster of a bosun.yaml, then exactly the Docker resources
 * labelled `dev.bosun.cluster=<name>` (containers, networks and, unless
 * `deleteVolumes: false`, the registry volumes) and its kubeconfig context.
 * A missing cluster is a no-op.
 *
 * @param options Config, runner, reporter, whether to delete volumes.
 * @returns What was removed.
 * @throws {ToolNotFoundError} Docker or the distribution's CLI is missing.
 *
 * @example
 * ```ts ignore
 * import { downWorkflow } from "@bosun/sdk";
 * await downWorkflow({ deleteVolumes: false }); // keep pushed artifacts and mirror caches
 * ```
 */
export async function downWorkflow(options: DownOptions = {}): Promise<DownResult> {
  const started = performance.now();
  const { config, baseDir } = await loadWorkflowConfig(options);
  const { deleteCluster } = await import("../cluster/mod.ts");
  const r = await deleteCluster(config, {
    baseDir,
    reporter: options.reporter ?? silentReporter,
    deleteVolumes: options.deleteVolumes !== false,
    ...(options.runner ? { runner: options.runner } : {}),
    ...(options.stateDir ? { stateDir: options.stateDir } : {}),
  });
  return {
    cluster: config.metadata.name,
    deleted: r.deleted,
    contextRemoved: r.contextRemoved,
    durationMs: performance.now() - started,
  };
}
