/**
 * {@linkcode reconcileWorkflow}: make the GitOps engine apply the pushed
 * revision and wait for it.
 *
 * @module
 */

import { silentReporter } from "../ui/mod.ts";
import { loadWorkflowConfig } from "./_common.ts";
import type { WorkflowOptions } from "./types.ts";

/** Options for {@linkcode reconcileWorkflow}. */
export interface ReconcileWorkflowOptions extends WorkflowOptions {
  /** The digest to wait for. @default the one the source tag points at */
  readonly digest?: string;
  /** Budget in milliseconds. @default 300000 */
  readonly timeoutMs?: number;
}

/** What {@linkcode reconcileWorkflow} saw applied. */
export interface ReconcileWorkflowResult {
  /** The engine. */
  readonly engine: "Flux" | "ArgoCD";
  /** The revision the engine reports. */
  readonly revision: string;
  /** The digest waited for. */
  readonly digest: string;
  /** Milliseconds. */
  readonly durationMs: number;
}

/**
 * Triggers Flux or Argo CD and waits until the pushed revision is applied.
 *
 * @param options Config, digest, timeout, reporter.
 * @returns The engine and the revision applied.
 * @throws {GitOpsEngineNotInstalledError} No engine is configured or installed.
 * @throws {ReconcileError} The controller reported a failure or time ran out.
 *
 * @example
 * ```ts ignore
 * import { reconcileWorkflow } from "@bosun/sdk";
 * const { revision } = await reconcileWorkflow({ timeoutMs: 120_000 });
 * ```
 */
export async function reconcileWorkflow(
  options: ReconcileWorkflowOptions = {},
): Promise<ReconcileWorkflowResult> {
  const { config } = await loadWorkflowConfig(options);
  const { reconcile } = await import("../gitops/mod.ts");
  const r = await reconcile(config, {
    reporter: options.reporter ?? silentReporter,
    ...(options.digest ? { digest: options.digest } : {}),
    ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
    ...(options.kube ? { kube: options.kube } : {}),
  });
  return { engine: r.engine, revision: r.revision, digest: r.digest, durationMs: r.durationMs };
}
