/**
 * Errors raised by cluster lifecycle functions.
 *
 * @module
 */

/** The lifecycle operations. */
export type ClusterOperation = "create" | "delete" | "start" | "stop" | "list" | "plan" | "inspect";

/** Fields of a {@linkcode ClusterError}. */
export interface ClusterErrorInit {
  /** What was being done. */
  readonly operation: ClusterOperation;
  /** The cluster name. */
  readonly cluster: string;
  /** Why, in a phrase ("kind is not installed"). */
  readonly reason: string;
}

/**
 * A cluster operation failed. The message reads
 * `Cannot create cluster "dev": <reason>`.
 *
 * @example
 * ```ts
 * import { ClusterError } from "@bosun/sdk";
 * const err = new ClusterError({ operation: "start", cluster: "dev", reason: "it does not exist" });
 * console.assert(err.message === 'Cannot start cluster "dev": it does not exist');
 * ```
 */
export class ClusterError extends Error {
  /** What was being done. */
  readonly operation: ClusterOperation;
  /** The cluster name. */
  readonly cluster: string;

  /** Builds the error. */
  constructor(init: ClusterErrorInit, options?: ErrorOptions) {
    super(`Cannot ${init.operation} cluster "${init.cluster}": ${init.reason}`, options);
    this.name = "ClusterError";
    this.operation = init.operation;
    this.cluster = init.cluster;
  }
}

/**
 * `createCluster` found the cluster already there and was told to fail
 * (`errorIfExists: true`).
 */
export class ClusterExistsError extends ClusterError {
  /** Builds the error. */
  constructor(cluster: string, distribution: string) {
    super({
      operation: "create",
      cluster,
      reason: `a ${distribution} cluster with that name exists`,
    });
    this.name = "ClusterExistsError";
  }
}

/**
 * A config value cannot be used (a port in use, a native file that cannot be
 * merged). `field` is the config path.
 *
 * @example
 * ```ts
 * import { ClusterInputError } from "@bosun/sdk";
 * const err = new ClusterInputError({ operation: "create", cluster: "dev", field: "spec.registry.local.hostPort", value: 5050, reason: "port 5050 is already in use on 127.0.0.1" });
 * console.assert(err.message.includes("spec.registry.local.hostPort"));
 * ```
 */
export class ClusterInputError extends TypeError {
  /** What was being done. */
  readonly operation: ClusterOperation;
  /** The cluster name. */
  readonly cluster: string;
  /** The config field path. */
  readonly field: string;
  /** The offending value. */
  readonly value: unknown;

  /** Builds the error. */
  constructor(
    init: {
      operation: ClusterOperation;
      cluster: string;
      field: string;
      value: unknown;
      reason: string;
    },
  ) {
    super(`Cannot ${init.operation} cluster "${init.cluster}": ${init.field}: ${init.reason}`);
    this.name = "ClusterInputError";
    this.operation = init.operation;
    this.cluster = init.cluster;
    this.field = init.field;
    this.value = init.value;
  }
}

/**
 * `createCluster` failed part-way. Everything that call created was removed
 * (listed in `cleanedUp`); `cause` is the original failure; `cleanupFailures`
 * lists undo steps that failed too.
 */
export class ClusterCreateError extends ClusterError {
  /** What was removed again, in order. */
  readonly cleanedUp: readonly string[];
  /** Undo steps that failed (their resources may be left behind). */
  readonly cleanupFailures: readonly string[];

  /** Builds the error. */
  constructor(
    init: {
      cluster: string;
      step: string;
      cleanedUp: readonly string[];
      cleanupFailures: readonly string[];
    },
    options: ErrorOptions,
  ) {
    const cause = options.cause instanceof Error ? options.cause.message : String(options.cause);
    const cleaned = init.cleanedUp.length === 0
      ? "nothing had been created yet"
      : `removed what this call created (${init.cleanedUp.join("; ")})`;
    const left = init.cleanupFailures.length === 0
      ? ""
      : `; cleanup FAILED for: ${init.cleanupFailures.join("; ")}`;
    super({
      operation: "create",
      cluster: init.cluster,
      reason: `${init.step} failed; ${cleaned}${left}\n${cause}`,
    }, options);
    this.name = "ClusterCreateError";
    this.cleanedUp = init.cleanedUp;
    this.cleanupFailures = init.cleanupFailures;
  }
}
