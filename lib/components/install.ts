/**
 * {@linkcode planComponents} and {@linkcode installComponents}: the whole
 * component graph of a config.
 *
 * @module
 */

import type { ResolvedConfig } from "../config/mod.ts";
import { toConfig } from "./_target.ts";
import { executeGraph, type InstallComponentOptions } from "./execute.ts";
import { buildGraph, type ComponentGraph, type GraphOptions } from "./graph.ts";
import { BUILTIN_COMPONENTS } from "./registry.ts";
import type { ClusterTarget, Component, InstallComponentsResult } from "./types.ts";

function componentSet(options: GraphOptions): readonly Component[] {
  return [...(options.components ?? BUILTIN_COMPONENTS), ...(options.extraComponents ?? [])];
}

/**
 * The install graph of a config — chart, version, namespace and values of
 * every component it enables, CNI first, GitOps last — without touching a
 * cluster.
 *
 * @param config The resolved config.
 * @param options Component set, extra components, an explicit selection.
 * @returns The graph.
 * @throws {ComponentGraphError} Unknown names or a dependency cycle.
 * @throws {ComponentConfigError} Refused values (for example `--kubelet-insecure-tls`).
 *
 * @example Every component enabled
 * ```ts
 * import assert from "node:assert/strict";
 * import { applyDefaults, planComponents } from "@bosun/sdk";
 * const config = applyDefaults({ spec: { cni: "Cilium", certManager: "Enabled", policyEngine: "Kyverno" } });
 * const { waves } = planComponents(config);
 * assert.deepEqual(waves, [["cilium"], ["cert-manager"], ["kyverno"]]);
 * ```
 */
export function planComponents(
  config: ResolvedConfig,
  options: GraphOptions = {},
): ComponentGraph {
  return buildGraph(config, componentSet(options), options.only).graph;
}

/** Options for {@linkcode installComponents}. */
export interface InstallComponentsOptions extends InstallComponentOptions, GraphOptions {}

/**
 * Installs every component the config enables (or `only` those named), as a
 * dependency graph: the CNI first and waited for, then every independent
 * component in parallel, cert-manager before its dependants, the GitOps
 * engine last. Reruns change nothing. The first failure stops what has not
 * started; running installs finish (or are aborted with
 * `cancelRunningOnFailure`).
 *
 * @param target A resolved config, or a cluster (then only `only` components make sense).
 * @param options Selection, extra components, reporter, timeout, clients.
 * @returns Each component's status and timings, and the wall time.
 * @throws {ComponentInstallError} Names the component, its chart and the cause; `result` has every timing.
 * @throws {ComponentGraphError} Unknown names or a dependency cycle.
 * @throws {ToolNotFoundError} helm is missing.
 *
 * @example
 * ```ts ignore
 * import { installComponents, loadConfig } from "@bosun/sdk";
 * const { config } = await loadConfig();
 * const result = await installComponents(config);
 * for (const c of result.components) console.log(c.name, c.status, c.durationMs);
 * ```
 */
export async function installComponents(
  target: ResolvedConfig | ClusterTarget,
  options: InstallComponentsOptions = {},
): Promise<InstallComponentsResult> {
  const config = toConfig(target);
  const { graph, selected } = buildGraph(config, componentSet(options), options.only);
  return await executeGraph(config, graph, selected, options);
}
