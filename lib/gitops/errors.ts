/**
 * Typed errors of the GitOps module.
 *
 * @module
 */

/** Which GitOps engine an error concerns. */
export type EngineName = "Flux" | "ArgoCD";

/**
 * The cluster has no GitOps engine installed (or not the one asked for).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { GitOpsEngineNotInstalledError } from "@bosun/sdk";
 * const e = new GitOpsEngineNotInstalledError("dev", "Flux", "OCIRepository flux-system/flux-system does not exist");
 * assert.equal(e.engine, "Flux");
 * ```
 */
export class GitOpsEngineNotInstalledError extends Error {
  /** The cluster. */
  readonly cluster: string;
  /** The engine looked for. */
  readonly engine: EngineName | "None";

  /**

   * Creates the value from its parts.
   * @param cluster The cluster name.
   * @param engine The engine looked for.
   * @param detail What is missing.
   */
  constructor(cluster: string, engine: EngineName | "None", detail: string) {
    super(
      engine === "None"
        ? `Cannot reconcile cluster "${cluster}": no GitOps engine is configured (set spec.gitops.engine to Flux or ArgoCD)`
        : `Cannot reconcile cluster "${cluster}": ${engine} is not installed (${detail}); run bosun gitops bootstrap`,
    );
    this.name = "GitOpsEngineNotInstalledError";
    this.cluster = cluster;
    this.engine = engine;
  }
}

/** Fields of a {@linkcode ReconcileError}. */
export interface ReconcileErrorInit {
  /** The cluster. */
  readonly cluster: string;
  /** The engine. */
  readonly engine: EngineName;
  /** `kind namespace/name` of the object that failed or timed out. */
  readonly object: string;
  /** The revision that was expected (`latest@sha256:…`, or a digest). */
  readonly expectedRevision: string;
  /** The revision the object last reported, when any. */
  readonly observedRevision?: string | undefined;
  /** The controller's reason (`ReconciliationFailed`, `OCIArtifactPullFailed`, …). */
  readonly reason?: string | undefined;
  /** The controller's own message. */
  readonly controllerMessage?: string | undefined;
  /** Whether the wait ran out of time (rather than the controller reporting failure). */
  readonly timedOut: boolean;
}

/**
 * Reconciliation failed (the controller's message is quoted) or did not reach the pushed
 * revision in time.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ReconcileError } from "@bosun/sdk";
 * const e = new ReconcileError({ cluster: "dev", engine: "Flux", object: "Kustomization flux-system/flux-system",
 *   expectedRevision: "latest@sha256:ab", reason: "ReconciliationFailed", controllerMessage: "boom", timedOut: false });
 * assert.ok(e.message.includes("boom"));
 * ```
 */
export class ReconcileError extends Error {
  /** The cluster. */
  readonly cluster: string;
  /** The engine. */
  readonly engine: EngineName;
  /** The object that failed or timed out. */
  readonly object: string;
  /** The revision expected. */
  readonly expectedRevision: string;
  /** The revision last observed. */
  readonly observedRevision: string | undefined;
  /** The controller's reason. */
  readonly reason: string | undefined;
  /** The controller's message. */
  readonly controllerMessage: string | undefined;
  /** Whether the wait timed out. */
  readonly timedOut: boolean;

  /**

   * Creates the value from its parts.
   * @param init What failed.
   * @param options The cause.
   */
  constructor(init: ReconcileErrorInit, options?: ErrorOptions) {
    const seen = init.observedRevision
      ? `; it last reported ${init.observedRevision}`
      : "; it has reported no revision yet";
    const controller = init.controllerMessage
      ? `: ${init.reason ? `${init.reason}: ` : ""}${init.controllerMessage}`
      : init.reason
      ? `: ${init.reason}`
      : "";
    super(
      init.timedOut
        ? `Cannot reconcile cluster "${init.cluster}": ${init.object} did not reach ${init.expectedRevision} in time${seen}${controller}`
        : `Cannot reconcile cluster "${init.cluster}": ${init.object} failed${controller}`,
      options,
    );
    this.name = "ReconcileError";
    this.cluster = init.cluster;
    this.engine = init.engine;
    this.object = init.object;
    this.expectedRevision = init.expectedRevision;
    this.observedRevision = init.observedRevision;
    this.reason = init.reason;
    this.controllerMessage = init.controllerMessage;
    this.timedOut = init.timedOut;
  }
}

/**
 * The GitOps source cannot be derived from the config (no local registry, bad directory).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { GitOpsConfigError } from "@bosun/sdk";
 * assert.equal(new GitOpsConfigError("dev", "x").cluster, "dev");
 * ```
 */
export class GitOpsConfigError extends TypeError {
  /** The cluster. */
  readonly cluster: string;

  /**

   * Creates the value from its parts.
   * @param cluster The cluster name.
   * @param reason What is wrong.
   */
  constructor(cluster: string, reason: string) {
    super(`Cannot set up GitOps for cluster "${cluster}": ${reason}`);
    this.name = "GitOpsConfigError";
    this.cluster = cluster;
  }
}
