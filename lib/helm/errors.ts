/**
 * Typed errors raised by the Helm wrapper.
 *
 * @module
 */

/** What the wrapper was doing when Helm failed. */
export type HelmOperation = "install" | "uninstall" | "status" | "template" | "values";

/** Fields of a {@linkcode HelmError}. */
export interface HelmErrorInit {
  /** The operation. */
  readonly operation: HelmOperation;
  /** The release name. */
  readonly release: string;
  /** The release namespace. */
  readonly namespace: string;
  /** The chart, as shown to people (`cilium/cilium@1.19.1`, `oci://…`, a path). */
  readonly chart?: string | undefined;
  /** Helm's own message, without the `Error:` prefix. */
  readonly helmMessage: string;
  /** Whether Helm gave up waiting for resources (`--wait` ran out of time). */
  readonly timedOut: boolean;
}

/**
 * Helm failed. The message names the release, the namespace, the chart and
 * carries Helm's own message.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { HelmError } from "@bosun/sdk";
 * const err = new HelmError({
 *   operation: "install", release: "web", namespace: "apps", chart: "./chart",
 *   helmMessage: "INSTALLATION FAILED: boom", timedOut: false,
 * });
 * assert.equal(err.message, 'Cannot install release "web" in namespace "apps" (chart ./chart): INSTALLATION FAILED: boom');
 * ```
 */
export class HelmError extends Error {
  /** The operation. */
  readonly operation: HelmOperation;
  /** The release name. */
  readonly release: string;
  /** The release namespace. */
  readonly namespace: string;
  /** The chart, when there is one. */
  readonly chart: string | undefined;
  /** Helm's own message. */
  readonly helmMessage: string;
  /** Whether Helm's wait ran out of time. */
  readonly timedOut: boolean;

  /**
   * Builds the error and its message.
   *
   * @param init What failed and Helm's message.
   * @param options The underlying error as `cause`.
   */
  constructor(init: HelmErrorInit, options?: ErrorOptions) {
    const chart = init.chart === undefined ? "" : ` (chart ${init.chart})`;
    const verb = init.operation === "values" ? "read the values of" : init.operation;
    super(
      `Cannot ${verb} release "${init.release}" in namespace "${init.namespace}"${chart}: ${init.helmMessage}`,
      options,
    );
    this.name = "HelmError";
    this.operation = init.operation;
    this.release = init.release;
    this.namespace = init.namespace;
    this.chart = init.chart;
    this.helmMessage = init.helmMessage;
    this.timedOut = init.timedOut;
  }
}

/**
 * Pulls Helm's own message out of its stderr: the text from the last line
 * starting with `Error:` (prefix removed), or the whole trimmed stderr.
 *
 * @param stderr Helm's standard error.
 * @returns The message.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { helmMessage } from "@bosun/sdk";
 * assert.equal(helmMessage("WARNING: x\nError: release: not found\n"), "release: not found");
 * ```
 */
export function helmMessage(stderr: string): string {
  const lines = stderr.trim().split("\n");
  let start = -1;
  for (let i = lines.length - 1; i >= 0; i--) {
    if (/^Error: /.test(lines[i]!)) {
      start = i;
      break;
    }
  }
  if (start < 0) return stderr.trim() || "helm failed without a message";
  return lines.slice(start).join("\n").replace(/^Error: /, "").trim();
}
