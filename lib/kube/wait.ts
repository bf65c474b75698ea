/**
 * Readiness waits with kstatus rules and one timeout budget for the whole set.
 *
 * @module
 */

import type { Reporter } from "../ui/mod.ts";
import type { Kube } from "./client.ts";
import type { KubeObject, ObjectRef, ObjectStatus } from "./types.ts";
import { waitAll } from "./_wait.ts";

/** Options for {@linkcode waitForReady}. */
export interface WaitOptions {
  /** One budget for all objects, in milliseconds. */
  readonly timeoutMs: number;
  /** Poll interval when watching is unavailable. @default 1000 */
  readonly pollIntervalMs?: number;
  /** Progress: one step, updated as objects become ready. @default silentReporter */
  readonly reporter?: Reporter | undefined;
  /** Cancels the wait. */
  readonly signal?: AbortSignal | undefined;
}

/**
 * Waits until every object is ready by kstatus rules: Deployment, StatefulSet
 * and DaemonSet rollouts complete for the current generation, Job complete, CRD
 * Established, APIService Available, and any other object with a `Ready`
 * condition whose `observedGeneration` matches (objects without conditions are
 * ready once they exist). Uses watches, falling back to polling.
 *
 * @param kube The connection.
 * @param objects References or objects (e.g. `applyManifests` results' `object`).
 * @param options The timeout budget and reporter.
 * @returns The final status of each object, in input order.
 * @throws {NotReadyError} The budget ran out; lists each object not ready with its state and reason/message.
 * @throws {NotReadyError} An object reached a failed state (Job failed); it is listed as `Failed`.
 *
 * @example
 * ```ts ignore
 * import { connectKube, waitForReady } from "@bosun/sdk";
 * const kube = await connectKube();
 * await waitForReady(kube, [{ apiVersion: "apps/v1", kind: "Deployment", name: "web", namespace: "default" }], { timeoutMs: 60_000 });
 * ```
 */
export async function waitForReady(
  kube: Kube,
  objects: readonly (ObjectRef | KubeObject)[],
  options: WaitOptions,
): Promise<ObjectStatus[]> {
  return await waitAll(kube, objects, options);
}
