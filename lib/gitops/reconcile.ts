/**
 * `reconcile`: trigger Flux or Argo CD and wait until the pushed revision is really
 * applied. Ready for an older revision is not done.
 *
 * @module
 */

import type { ResolvedConfig } from "../config/mod.ts";
import {
  annotate,
  type Condition,
  getCondition,
  type Kube,
  type KubeObject,
  type ObjectRef,
} from "../kube/mod.ts";
import { resolveArtifact } from "../registry/oci/pull.ts";
import type { RegistryClientOptions } from "../registry/oci/client.ts";
import { type Reporter, silentReporter, type Step } from "../ui/mod.ts";
import { type ClusterLike, kubeFor, toConfig } from "./_target.ts";
import { type EngineName, GitOpsEngineNotInstalledError, ReconcileError } from "./errors.ts";
import { ARGOCD_APP, ARGOCD_NAMESPACE, FLUX_NAME, FLUX_NAMESPACE } from "./manifests.ts";
import { gitOpsSource } from "./source.ts";

/** Options for {@linkcode reconcile}. */
export interface ReconcileOptions {
  /** The manifest digest that must be applied. @default what the source tag points at in the local registry */
  readonly digest?: string;
  /** The engine. @default `spec.gitops.engine` */
  readonly engine?: EngineName;
  /** One budget for the whole wait, in milliseconds. @default 300000 */
  readonly timeoutMs?: number;
  /** How often to read status. @default 1000 */
  readonly pollIntervalMs?: number;
  /** An open connection. @default one to the config's context */
  readonly kube?: Kube;
  /** Transport options for resolving the tag in the registry. */
  readonly registry?: RegistryClientOptions;
  /** Progress. @default silentReporter */
  readonly reporter?: Reporter;
  /** Cancels the wait. */
  readonly signal?: AbortSignal;
}

/** What {@linkcode reconcile} confirmed. */
export interface ReconcileResult {
  /** The engine. */
  readonly engine: EngineName;
  /** The digest applied. */
  readonly digest: string;
  /** The revision the engine reports as applied (`latest@sha256:…` for Flux, the digest for Argo CD). */
  readonly revision: string;
  /** Wall time, in milliseconds. */
  readonly durationMs: number;
}

/** Flux source reasons that mean the artifact cannot be fetched. */
const FLUX_FAILED_REASONS = new Set([
  "ReconciliationFailed",
  "ValidationFailed",
  "ArtifactFailed",
  "BuildFailed",
  "HealthCheckFailed",
  "OCIPullFailed",
  "OCIArtifactPullFailed",
  "AuthenticationFailed",
  "URLInvalid",
  "InvalidURL",
  "StorageOperationFailed",
  "DependencyNotReady",
]);

/**
 * Triggers a reconciliation and waits until the cluster runs the pushed revision.
 *
 * Flux: annotates `reconcile.fluxcd.io/requestedAt` on OCIRepository `flux-system/flux-system`,
 * waits until its `status.artifact.revision` names the pushed digest, then annotates the
 * Kustomization `flux-system/flux-system` and waits until its `status.lastAppliedRevision` is
 * that revision and it is Ready for the current generation. Argo CD: sets
 * `argocd.argoproj.io/refresh: hard` on Application `argocd/bosun` and waits until
 * `status.sync.revision` is the digest, sync is `Synced` and health `Healthy`.
 *
 * @param cluster The config, or a cluster target.
 * @param options Expected digest, engine, timeout, connection, reporter.
 * @returns The revision applied.
 * @throws {ArtifactNotFoundError} Nothing has been pushed under the source tag yet.
 * @throws {RegistryUnreachableError} The local registry cannot be reached.
 * @throws {GitOpsEngineNotInstalledError} The engine (or its objects) is not in the cluster.
 * @throws {ReconcileError} The controller reported a failure (its message is quoted) or time ran out.
 *
 * @example
 * ```ts ignore
 * import { loadConfig, reconcile } from "@bosun/sdk";
 * const { config } = await loadConfig();
 * const { revision } = await reconcile(config, { timeoutMs: 120_000 });
 * ```
 */
export async function reconcile(
  cluster: ClusterLike,
  options: ReconcileOptions = {},
): Promise<ReconcileResult> {
  const config = toConfig(cluster);
  const engine = options.engine ?? config.spec.gitops.engine;
  const name = config.metadata.name;
  if (engine === "None") throw new GitOpsEngineNotInstalledError(name, "None", "");
  const reporter = options.reporter ?? silentReporter;
  const started = performance.now();
  const digest = options.digest ?? await resolvePushed(config, options, reporter);
  const kube = await kubeFor(config, options.kube);
  try {
    const ctx: WaitContext = {
      kube,
      cluster: name,
      deadline: started + (options.timeoutMs ?? 300_000),
      poll: options.pollIntervalMs ?? 1000,
      signal: options.signal,
    };
    const revision = engine === "Flux"
      ? await reconcileFlux(ctx, digest, reporter)
      : await reconcileArgo(ctx, digest, reporter);
    return { engine, digest, revision, durationMs: performance.now() - started };
  } finally {
    if (!options.kube) kube.close();
  }
}

async function resolvePushed(
  config: ResolvedConfig,
  options: ReconcileOptions,
  reporter: Reporter,
): Promise<string> {
  const source = gitOpsSource(config);
  const step = reporter.step(`Resolving ${source.pushRef}`);
  try {
    const digest = await resolveArtifact(source.pushRef, options.registry ?? {});
    step.succeed(digest.slice(0, 19));
    return digest;
  } catch (error) {
    step.fail(error);
    throw error;
  }
}

interface WaitContext {
  readonly kube: Kube;
  readonly cluster: string;
  readonly deadline: number;
  readonly poll: number;
  readonly signal: AbortSignal | undefined;
}

function describe(ref: ObjectRef): string {
  return `${ref.kind} ${ref.namespace}/${ref.name}`;
}

const OCI_REPO: ObjectRef = {
  apiVersion: "source.toolkit.fluxcd.io/v1",
  kind: "OCIRepository",
  name: FLUX_NAME,
  namespace: FLUX_NAMESPACE,
};
const KUSTOMIZATION: ObjectRef = {
  apiVersion: "kustomize.toolkit.fluxcd.io/v1",
  kind: "Kustomization",
  name: FLUX_NAME,
  namespace: FLUX_NAMESPACE,
};
const APPLICATION: ObjectRef = {
  apiVersion: "argoproj.io/v1alpha1",
  kind: "Application",
  name: ARGOCD_APP,
  namespace: ARGOCD_NAMESPACE,
};

async function getOrMissing(
  ctx: WaitContext,
  ref: ObjectRef,
  engine: EngineName,
): Promise<KubeObject> {
  let obj: KubeObject | undefined;
  try {
    obj = await ctx.kube.get(ref);
  } catch (error) {
    if ((error as Error).name === "UnknownKindError") {
      throw new GitOpsEngineNotInstalledError(
        ctx.cluster,
        engine,
        `the ${ref.kind} kind is not served`,
      );
    }
    throw error;
  }
  if (!obj) {
    throw new GitOpsEngineNotInstalledError(ctx.cluster, engine, `${describe(ref)} does not exist`);
  }
  return obj;
}

function status(obj: KubeObject): Record<string, unknown> {
  return (obj.status ?? {}) as Record<string, unknown>;
}

function isCurrentGeneration(obj: KubeObject, cond: Condition | undefined): boolean {
  const gen = obj.metadata.generation;
  const observed = cond?.observedGeneration ??
    (status(obj).observedGeneration as number | undefined);
  return gen === undefined || observed === undefined || observed >= gen;
}

async function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const t = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(signal!.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

type Verdict<T> = { done: T } | {
  fail: { reason?: string | undefined; message?: string | undefined };
} | {
  wait: {
    observed?: string | undefined;
    reason?: string | undefined;
    message?: string | undefined;
  };
};

/** Polls `ref` until `judge` says done or fail, or the deadline passes. */
async function pollUntil<T>(
  ctx: WaitContext,
  ref: ObjectRef,
  engine: EngineName,
  expected: string,
  step: Step,
  judge: (obj: KubeObject) => Verdict<T>,
): Promise<T> {
  let last: {
    observed?: string | undefined;
    reason?: string | undefined;
    message?: string | undefined;
  } = {};
  while (true) {
    const obj = await getOrMissing(ctx, ref, engine);
    const verdict = judge(obj);
    if ("done" in verdict) return verdict.done;
    if ("fail" in verdict) {
      throw new ReconcileError({
        cluster: ctx.cluster,
        engine,
        object: describe(ref),
        expectedRevision: expected,
        observedRevision: last.observed,
        reason: verdict.fail.reason,
        controllerMessage: verdict.fail.message,
        timedOut: false,
      });
    }
    last = verdict.wait;
    step.update(
      `${describe(ref)}: ${last.observed ?? "no revision yet"}${
        last.reason ? ` (${last.reason})` : ""
      }`,
    );
    if (performance.now() + ctx.poll > ctx.deadline) {
      throw new ReconcileError({
        cluster: ctx.cluster,
        engine,
        object: describe(ref),
        expectedRevision: expected,
        observedRevision: last.observed,
        reason: last.reason,
        controllerMessage: last.message,
        timedOut: true,
      });
    }
    await sleep(ctx.poll, ctx.signal);
  }
}

/** Whether a Flux revision (`tag@sha256:…`, `sha256:…`) names the digest. */
export function fluxRevisionMatches(revision: string | undefined, digest: string): boolean {
  if (!revision) return false;
  return revision === digest || revision.endsWith(`@${digest}`);
}

async function reconcileFlux(
  ctx: WaitContext,
  digest: string,
  reporter: Reporter,
): Promise<string> {
  const token = new Date().toISOString();
  const expected = `…@${digest}`;
  // Source first.
  const srcStep = reporter.step(
    `Waiting for ${describe(OCI_REPO)} to fetch ${digest.slice(0, 19)}`,
  );
  let revision: string;
  try {
    await getOrMissing(ctx, OCI_REPO, "Flux");
    await annotate(ctx.kube, OCI_REPO, {
      annotations: { "reconcile.fluxcd.io/requestedAt": token },
    });
    revision = await pollUntil(ctx, OCI_REPO, "Flux", expected, srcStep, (obj) => {
      const st = status(obj);
      const artifact = (st.artifact ?? {}) as { revision?: string };
      const ready = getCondition(obj, "Ready");
      const stalled = getCondition(obj, "Stalled");
      const handled = st.lastHandledReconcileAt === token;
      if (
        fluxRevisionMatches(artifact.revision, digest) && ready?.status === "True" &&
        isCurrentGeneration(obj, ready)
      ) {
        return { done: artifact.revision! };
      }
      if (stalled?.status === "True" && isCurrentGeneration(obj, stalled)) {
        return { fail: { reason: stalled.reason, message: stalled.message } };
      }
      if (handled && ready?.status === "False" && isCurrentGeneration(obj, ready)) {
        return { fail: { reason: ready.reason, message: ready.message } };
      }
      return {
        wait: { observed: artifact.revision, reason: ready?.reason, message: ready?.message },
      };
    });
    srcStep.succeed(revision);
  } catch (error) {
    srcStep.fail(error);
    throw error;
  }
  const ksStep = reporter.step(`Waiting for ${describe(KUSTOMIZATION)} to apply ${revision}`);
  try {
    await getOrMissing(ctx, KUSTOMIZATION, "Flux");
    await annotate(ctx.kube, KUSTOMIZATION, {
      annotations: { "reconcile.fluxcd.io/requestedAt": token },
    });
    await pollUntil(ctx, KUSTOMIZATION, "Flux", revision, ksStep, (obj) => {
      const st = status(obj);
      const applied = st.lastAppliedRevision as string | undefined;
      const attempted = st.lastAttemptedRevision as string | undefined;
      const ready = getCondition(obj, "Ready");
      const stalled = getCondition(obj, "Stalled");
      if (applied === revision && ready?.status === "True" && isCurrentGeneration(obj, ready)) {
        return { done: applied };
      }
      if (stalled?.status === "True" && isCurrentGeneration(obj, stalled)) {
        return { fail: { reason: stalled.reason, message: stalled.message } };
      }
      if (
        ready?.status === "False" && isCurrentGeneration(obj, ready) &&
        (attempted === revision || st.lastHandledReconcileAt === token) &&
        FLUX_FAILED_REASONS.has(ready.reason ?? "")
      ) {
        return { fail: { reason: ready.reason, message: ready.message } };
      }
      return { wait: { observed: applied, reason: ready?.reason, message: ready?.message } };
    });
    ksStep.succeed();
  } catch (error) {
    ksStep.fail(error);
    throw error;
  }
  return revision;
}

/** Argo CD condition types that mean the Application cannot be compared or synced. */
const ARGO_ERROR_CONDITIONS = ["ComparisonError", "InvalidSpecError", "SyncError"];

async function reconcileArgo(
  ctx: WaitContext,
  digest: string,
  reporter: Reporter,
): Promise<string> {
  const step = reporter.step(`Waiting for ${describe(APPLICATION)} to sync ${digest.slice(0, 19)}`);
  try {
    await getOrMissing(ctx, APPLICATION, "ArgoCD");
    await annotate(ctx.kube, APPLICATION, {
      annotations: { "argocd.argoproj.io/refresh": "hard" },
    });
    const revision = await pollUntil(ctx, APPLICATION, "ArgoCD", digest, step, (obj) => {
      const st = status(obj);
      const sync = (st.sync ?? {}) as { status?: string; revision?: string };
      const health = (st.health ?? {}) as { status?: string; message?: string };
      const op = (st.operationState ?? {}) as {
        phase?: string;
        message?: string;
        syncResult?: { revision?: string };
      };
      const refreshed = obj.metadata.annotations?.["argocd.argoproj.io/refresh"] === undefined;
      if (sync.revision === digest && sync.status === "Synced" && health.status === "Healthy") {
        return { done: sync.revision };
      }
      if ((op.phase === "Failed" || op.phase === "Error") && op.syncResult?.revision === digest) {
        return { fail: { reason: `sync ${op.phase}`, message: op.message } };
      }
      const conditions = (st.conditions ?? []) as { type?: string; message?: string }[];
      const bad = conditions.find((c) => ARGO_ERROR_CONDITIONS.includes(c.type ?? ""));
      if (refreshed && bad) return { fail: { reason: bad.type, message: bad.message } };
      return {
        wait: {
          observed: sync.revision,
          reason: `${sync.status ?? "Unknown"}/${health.status ?? "Unknown"}`,
          message: health.message ?? op.message,
        },
      };
    });
    step.succeed();
    return revision;
  } catch (error) {
    step.fail(error);
    throw error;
  }
}
