/**
 * Errors raised by cluster lifecycle functions.
 *
 * @module
 */

/** The lifecycle operations. */
export type ClusterOperation =
  | "create"
  | "delete"
  | "start"
  | "stop"
  | "list"
  | "plan"
  | "inspect"
  | "load images into";

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
 * import assert from "node:assert/strict";
 * import { ClusterError } from "@bosun/sdk";
 * const err = new ClusterError({ operation: "start", cluster: "dev", reason: "it does not exist" });
 * assert.equal(err.message, 'Cannot start cluster "dev": it does not exist');
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
 * import assert from "node:assert/strict";
 * import { ClusterInputError } from "@bosun/sdk";
 * const err = new ClusterInputError({ operation: "create", cluster: "dev", field: "spec.registry.local.hostPort", value: 5050, reason: "port 5050 is already in use on 127.0.0.1" });
 * assert.ok(err.message.includes("spec.registry.local.hostPort"));
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

/** The process holding a cluster's lock, as its lock file records it. */
export interface LockHolder {
  /** Its process id. */
  readonly pid: number;
  /** The host it runs on. */
  readonly hostname: string;
  /** What it is doing. */
  readonly operation: ClusterOperation;
  /** When it took the lock (ISO 8601). */
  readonly since: string;
  /** Its start time in clock ticks since boot (Linux), to tell a reused pid. */
  readonly started?: string;
}

/**
 * Another Bosun run is working on the same cluster (it holds the lock file
 * `<state dir>.lock`). Nothing was changed; `holder` names the other process
 * (`undefined` when the lock file cannot be read).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ClusterLockedError } from "@bosun/sdk";
 * const err = new ClusterLockedError("create", "dev", "/home/me/.bosun/clusters/dev.lock", {
 *   pid: 4242, hostname: "laptop", operation: "create", since: "2025-01-01T10:00:00.000Z",
 * });
 * assert.match(err.message, /^Cannot create cluster "dev": another Bosun process \(pid 4242 on laptop/);
 * ```
 */
export class ClusterLockedError extends ClusterError {
  /** The lock file. */
  readonly lockFile: string;
  /** The process holding it, when its lock file could be read. */
  readonly holder: LockHolder | undefined;

  /** Builds the error. */
  constructor(
    operation: ClusterOperation,
    cluster: string,
    lockFile: string,
    holder: LockHolder | undefined,
  ) {
    const who = holder === undefined
      ? `another process holds ${lockFile} (its content cannot be read)`
      : `another Bosun process (pid ${holder.pid} on ${holder.hostname}, running ` +
        `"${holder.operation}" since ${holder.since}) holds ${lockFile}`;
    super({
      operation,
      cluster,
      reason: `${who}; wait for it to finish, or delete the file if that process is gone`,
    });
    this.name = "ClusterLockedError";
    this.lockFile = lockFile;
    this.holder = holder;
  }
}
