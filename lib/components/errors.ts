/**
 * Typed errors of the component installer.
 *
 * @module
 */

import type { InstallComponentsResult } from "./types.ts";

/**
 * The component graph cannot be built: an unknown component was asked for, a
 * name appears twice, or dependencies form a cycle.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ComponentGraphError } from "@bosun/sdk";
 * const err = new ComponentGraphError("unknown component \"foo\"", ["foo"]);
 * assert.equal(err.message, 'Cannot plan components: unknown component "foo"');
 * ```
 */
export class ComponentGraphError extends Error {
  /** The components concerned. */
  readonly components: readonly string[];

  /**
   * Builds the error and its message.
   *
   * @param problem What is wrong.
   * @param components The components concerned.
   */
  constructor(problem: string, components: readonly string[]) {
    super(`Cannot plan components: ${problem}`);
    this.name = "ComponentGraphError";
    this.components = components;
  }
}

/**
 * A component's values are refused (for example metrics-server with
 * `--kubelet-insecure-tls`), or the cluster's config rules it out (Cilium on a
 * cluster created with its distribution's own CNI). `field` is the bosun.yaml
 * path at fault, when there is one.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ComponentConfigError } from "@bosun/sdk";
 * const err = new ComponentConfigError("cilium", "spec.cni is \"Default\"", "spec.cni");
 * assert.equal(err.message, 'Cannot configure component "cilium": spec.cni is "Default"');
 * assert.equal(err.field, "spec.cni");
 * ```
 */
export class ComponentConfigError extends Error {
  /** The component. */
  readonly component: string;
  /** The bosun.yaml field at fault (`spec.cni`, `spec.components.cilium.values`), when there is one. */
  readonly field: string | undefined;

  /**
   * Builds the error and its message.
   *
   * @param component The component.
   * @param problem What is wrong and how to fix it.
   * @param field The bosun.yaml field at fault.
   */
  constructor(component: string, problem: string, field?: string) {
    super(`Cannot configure component "${component}": ${problem}`);
    this.name = "ComponentConfigError";
    this.component = component;
    this.field = field;
  }
}

/** Fields of a {@linkcode ComponentInstallError}. */
export interface ComponentInstallErrorInit {
  /** The component that failed first. */
  readonly component: string;
  /** Its chart (or manifest source). */
  readonly chart: string;
  /** The version it was installing. */
  readonly version: string;
  /** The underlying error. */
  readonly cause: unknown;
  /** What happened to every component (the rest were stopped or left to finish). */
  readonly result: InstallComponentsResult;
}

/**
 * A component failed to install. The message names the component, the chart
 * and the cause; `result` says what happened to every other component.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ComponentInstallError } from "@bosun/sdk";
 * const err = new ComponentInstallError({
 *   component: "kyverno", chart: "https://kyverno.github.io/kyverno/kyverno", version: "3.5.0",
 *   cause: new Error("boom"), result: { components: [], wallMs: 0, changed: false },
 * });
 * assert.ok(err.message.startsWith('Cannot install component "kyverno" (chart https://kyverno.github.io/kyverno/kyverno@3.5.0): boom'));
 * ```
 */
export class ComponentInstallError extends Error {
  /** The component that failed first. */
  readonly component: string;
  /** Its chart. */
  readonly chart: string;
  /** Its version. */
  readonly version: string;
  /** What happened to every component. */
  readonly result: InstallComponentsResult;

  /**
   * Builds the error and its message.
   *
   * @param init The failed component, its chart, the cause and the overall result.
   */
  constructor(init: ComponentInstallErrorInit) {
    const cause = init.cause instanceof Error ? init.cause.message : String(init.cause);
    const stopped = init.result.components
      .filter((c) => c.status === "skipped" || c.status === "cancelled")
      .map((c) => c.name);
    const tail = stopped.length ? `\n(not installed because of this: ${stopped.join(", ")})` : "";
    super(
      `Cannot install component "${init.component}" (chart ${init.chart}@${init.version}): ${cause}${tail}`,
      { cause: init.cause },
    );
    this.name = "ComponentInstallError";
    this.component = init.component;
    this.chart = init.chart;
    this.version = init.version;
    this.result = init.result;
  }
}

/**
 * A Helm release did not become ready, and its pods say why: each line of `pods` names a pod and
 * its container's reason (`ErrImagePull`, `CrashLoopBackOff`, …). `cause` is Helm's own error.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ReleasePodsNotReadyError } from "@bosun/sdk";
 * const err = new ReleasePodsNotReadyError("web", "web", ["web/web-1: container c ErrImagePull"]);
 * assert.match(err.message, /web\/web-1: container c ErrImagePull/);
 * ```
 */
export class ReleasePodsNotReadyError extends Error {
  /** The Helm release. */
  readonly release: string;
  /** Its namespace. */
  readonly namespace: string;
  /** One line per pod that is not ready. */
  readonly pods: readonly string[];

  /**
   * Builds the error and its message.
   *
   * @param release The Helm release.
   * @param namespace Its namespace.
   * @param pods One line per pod that is not ready.
   * @param options The Helm error as `cause`.
   */
  constructor(release: string, namespace: string, pods: readonly string[], options?: ErrorOptions) {
    const helm = options?.cause instanceof Error ? `\n(helm: ${options.cause.message})` : "";
    super(
      `release ${release} in namespace ${namespace} did not become ready; its pods say:\n  ${
        pods.join("\n  ")
      }${helm}`,
      options,
    );
    this.name = "ReleasePodsNotReadyError";
    this.release = release;
    this.namespace = namespace;
    this.pods = pods;
  }
}
