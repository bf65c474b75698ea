/**
 * Typed errors raised by the kube module.
 *
 * @module
 */

import type { ObjectRef, ObjectStatus } from "./types.ts";

/** Describes an object for messages: `Deployment "web" in namespace "default"`. */
export function describeRef(ref: ObjectRef): string {
  return `${ref.kind} "${ref.name}"${ref.namespace ? ` in namespace "${ref.namespace}"` : ""}`;
}

/**
 * A kubeconfig file cannot be read, parsed, locked or written, or it lacks the
 * requested context.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { KubeconfigError } from "@bosun/sdk";
 * const err = new KubeconfigError("context \"dev\" not found", { path: "/tmp/config", context: "dev" });
 * assert.ok(err.message.includes("/tmp/config"));
 * ```
 */
export class KubeconfigError extends Error {
  /** The kubeconfig file involved, when there is one. */
  readonly path: string | undefined;
  /** The context involved, when there is one. */
  readonly context: string | undefined;

  /**
   * Builds the error and its message.
   *
   * @param problem What went wrong, without the path.
   * @param init The file and context involved.
   * @param options The underlying cause.
   */
  constructor(
    problem: string,
    init: { readonly path?: string | undefined; readonly context?: string | undefined } = {},
    options?: ErrorOptions,
  ) {
    super(`Cannot use kubeconfig${init.path ? ` "${init.path}"` : ""}: ${problem}`, options);
    this.name = "KubeconfigError";
    this.path = init.path;
    this.context = init.context;
  }
}

/**
 * The API server cannot be reached (connection refused, TLS failure, DNS).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { KubeConnectionError } from "@bosun/sdk";
 * const err = new KubeConnectionError({ server: "https://127.0.0.1:6443", context: "dev", problem: "connection refused" });
 * assert.ok(err.message.includes("127.0.0.1:6443"));
 * ```
 */
export class KubeConnectionError extends Error {
  /** The server URL. */
  readonly server: string;
  /** The kubeconfig context. */
  readonly context: string | undefined;
  /** The kubeconfig path, when known. */
  readonly kubeconfig: string | undefined;

  /**
   * Builds the error and its message.
   *
   * @param init Server, context, kubeconfig path and the problem.
   * @param options The underlying cause.
   */
  constructor(
    init: {
      readonly server: string;
      readonly problem: string;
      readonly context?: string | undefined;
      readonly kubeconfig?: string | undefined;
    },
    options?: ErrorOptions,
  ) {
    const where = [
      init.context ? `context "${init.context}"` : "",
      init.kubeconfig ? `kubeconfig "${init.kubeconfig}"` : "",
    ].filter(Boolean).join(", ");
    super(
      `Cannot reach the Kubernetes API at ${init.server}${
        where ? ` (${where})` : ""
      }: ${init.problem}`,
      options,
    );
    this.name = "KubeConnectionError";
    this.server = init.server;
    this.context = init.context;
    this.kubeconfig = init.kubeconfig;
  }
}

/** One field-level cause in an API `Status` (`details.causes[]`). */
export interface ApiCause {
  /** The API field path, e.g. `spec.distribution.version`. */
  readonly field?: string | undefined;
  /** The API's message, unchanged. */
  readonly message: string;
  /** The cause type, e.g. `FieldValueRequired`. */
  readonly reason?: string | undefined;
}

/** Fields of a {@linkcode KubeApiError}. */
export interface KubeApiErrorInit {
  /** What Bosun was doing: `apply`, `get`, `delete`, … */
  readonly verb: string;
  /** The object, when the request was about one. */
  readonly ref?: ObjectRef | undefined;
  /** HTTP status code. */
  readonly status: number;
  /** The API `Status.reason`, e.g. `Invalid`, `NotFound`, `Conflict`. */
  readonly reason?: string | undefined;
  /** The API's message, unchanged. */
  readonly apiMessage: string;
  /** Field-level causes. */
  readonly causes?: readonly ApiCause[] | undefined;
}

/**
 * The API server rejected a request. The API's message and field paths are kept
 * unchanged in `apiMessage` and `causes`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { KubeApiError } from "@bosun/sdk";
 * const err = new KubeApiError({
 *   verb: "apply", status: 422, reason: "Invalid",
 *   ref: { apiVersion: "v1", kind: "ConfigMap", name: "x", namespace: "default" },
 *   apiMessage: "ConfigMap \"x\" is invalid: data: Invalid value",
 * });
 * assert.ok(err.message.startsWith("Cannot apply ConfigMap \"x\""));
 * ```
 */
export class KubeApiError extends Error {
  /** What Bosun was doing. */
  readonly verb: string;
  /** The object, when there is one. */
  readonly ref: ObjectRef | undefined;
  /** HTTP status code. */
  readonly status: number;
  /** API `Status.reason`. */
  readonly reason: string | undefined;
  /** The API's message, unchanged. */
  readonly apiMessage: string;
  /** Field-level causes, unchanged. */
  readonly causes: readonly ApiCause[];

  /**
   * Builds the error and its message.
   *
   * @param init The request and the API's answer.
   * @param options The underlying cause.
   */
  constructor(init: KubeApiErrorInit, options?: ErrorOptions) {
    const what = init.ref ? ` ${describeRef(init.ref)}` : "";
    super(`Cannot ${init.verb}${what}: ${init.apiMessage}`, options);
    this.name = "KubeApiError";
    this.verb = init.verb;
    this.ref = init.ref;
    this.status = init.status;
    this.reason = init.reason;
    this.apiMessage = init.apiMessage;
    this.causes = init.causes ?? [];
  }
}

/**
 * The YAML or JSON of a manifest is invalid, or a document is not a Kubernetes
 * object (no `apiVersion`, `kind` or `metadata.name`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ManifestError } from "@bosun/sdk";
 * const err = new ManifestError("missing kind", { file: "app.yaml", document: 2, line: 14 });
 * assert.equal(err.message, "Invalid manifest app.yaml (document 2, line 14): missing kind");
 * ```
 */
export class ManifestError extends Error {
  /** The file, when the manifest came from one. */
  readonly file: string | undefined;
  /** Index of the YAML document in its stream, from 0. */
  readonly document: number | undefined;
  /** 1-based line in the file or text, when known. */
  readonly line: number | undefined;
  /** The problem, without position. */
  readonly problem: string;

  /**
   * Builds the error and its message.
   *
   * @param problem What is wrong.
   * @param init Where: file, document index and line.
   */
  constructor(
    problem: string,
    init: {
      readonly file?: string | undefined;
      readonly document?: number | undefined;
      readonly line?: number | undefined;
    } = {},
  ) {
    const pos = [
      init.document !== undefined ? `document ${init.document}` : "",
      init.line !== undefined ? `line ${init.line}` : "",
    ].filter(Boolean).join(", ");
    super(
      `Invalid manifest${init.file ? ` ${init.file}` : ""}${pos ? ` (${pos})` : ""}: ${problem}`,
    );
    this.name = "ManifestError";
    this.file = init.file;
    this.document = init.document;
    this.line = init.line;
    this.problem = problem;
  }
}

/**
 * The API server does not serve a kind (for example a custom resource whose CRD
 * is not installed). The message lists the API groups that do exist.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { UnknownKindError } from "@bosun/sdk";
 * const err = new UnknownKindError({ apiVersion: "example.com/v1", kind: "Widget", groups: ["apps", "batch"] });
 * assert.ok(err.message.includes("example.com/v1"));
 * assert.ok(err.message.includes("apps"));
 * ```
 */
export class UnknownKindError extends Error {
  /** The requested apiVersion. */
  readonly apiVersion: string;
  /** The requested kind. */
  readonly kind: string;
  /** The API groups the server serves (`""` is the core group, shown as `core`). */
  readonly groups: readonly string[];

  /**
   * Builds the error and its message.
   *
   * @param init The kind asked for and the groups that exist.
   */
  constructor(
    init: {
      readonly apiVersion: string;
      readonly kind: string;
      readonly groups: readonly string[];
    },
  ) {
    const group = init.apiVersion.includes("/") ? init.apiVersion.split("/")[0] : "";
    const served = init.groups.includes(group ?? "");
    super(
      `The API server does not serve kind "${init.kind}" in ${init.apiVersion}` +
        (served
          ? ` (group "${group}" exists, but not this kind or version)`
          : " (is its CRD installed?)") +
        `. API groups served: ${init.groups.map((g) => g || "core").join(", ")}`,
    );
    this.name = "UnknownKindError";
    this.apiVersion = init.apiVersion;
    this.kind = init.kind;
    this.groups = init.groups;
  }
}

/**
 * {@linkcode waitForReady} ran out of time. `pending` lists every object that is
 * not ready, with its state and the reason/message from its status.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { NotReadyError } from "@bosun/sdk";
 * const err = new NotReadyError({ timeoutMs: 1000, pending: [{
 *   ref: { apiVersion: "apps/v1", kind: "Deployment", name: "web", namespace: "default" },
 *   state: "InProgress", reason: "ProgressDeadlineExceeded", message: "0 of 1 replicas available",
 * }] });
 * assert.ok(err.message.includes("Deployment \"web\""));
 * ```
 */
export class NotReadyError extends Error {
  /** The budget that ran out. */
  readonly timeoutMs: number;
  /** Objects still not ready. */
  readonly pending: readonly ObjectStatus[];

  /**
   * Builds the error and its message.
   *
   * @param init The budget and what is still pending.
   */
  constructor(init: { readonly timeoutMs: number; readonly pending: readonly ObjectStatus[] }) {
    const lines = init.pending.map((s) =>
      `  - ${describeRef(s.ref)}: ${s.state}${s.reason ? ` (${s.reason})` : ""}${
        s.message ? `: ${s.message}` : ""
      }`
    );
    const failed = init.pending.filter((s) => s.state === "Failed").length;
    const head = failed > 0
      ? `${init.pending.length} object(s) not ready (${failed} failed)`
      : `${init.pending.length} object(s) not ready after ${init.timeoutMs} ms`;
    super(`${head}:\n${lines.join("\n")}`);
    this.name = "NotReadyError";
    this.timeoutMs = init.timeoutMs;
    this.pending = init.pending;
  }
}

/**
 * An option of a kube operation would do something no caller means, such as a prune with an
 * empty label selector (which would delete every object of the pruned kinds in the cluster).
 * Raised before anything is sent to the API server.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { KubeOptionsError } from "@bosun/sdk";
 * const err = new KubeOptionsError("prune.selector", "is empty", "a label selector such as app=web");
 * assert.equal(err.field, "prune.selector");
 * assert.equal(err.message, "Invalid option prune.selector: is empty; use a label selector such as app=web");
 * ```
 */
export class KubeOptionsError extends TypeError {
  /** The option's path (`prune.selector`). */
  readonly field: string;

  /**
   * Builds the error and its message.
   *
   * @param field The option's path.
   * @param problem What is wrong with it.
   * @param expected What would be valid.
   */
  constructor(field: string, problem: string, expected: string) {
    super(`Invalid option ${field}: ${problem}; use ${expected}`);
    this.name = "KubeOptionsError";
    this.field = field;
  }
}
