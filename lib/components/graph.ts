/**
 * The component dependency graph: which components a config selects, the
 * edges between them (declared and implied by phases), and the waves in which
 * they can run.
 *
 * @module
 */

import type { ResolvedConfig } from "../config/mod.ts";
import { ComponentGraphError } from "./errors.ts";
import type { Component, ComponentPlan } from "./types.ts";

/** The plan of an install: components in a valid order, and the waves that can run together. */
export interface ComponentGraph {
  /** Every selected component, dependencies before dependants; `dependsOn` holds the effective edges. */
  readonly nodes: readonly ComponentPlan[];
  /** Components grouped by depth: each wave only needs earlier waves. */
  readonly waves: readonly (readonly string[])[];
}

/** Which components to consider. */
export interface GraphOptions {
  /** The full component set. @default the built-in components */
  readonly components?: readonly Component[];
  /** Components added to the set (the GitOps engines, your own). */
  readonly extraComponents?: readonly Component[];
  /**
   * Install exactly these components (even when the config does not enable
   * them); dependencies outside this list are assumed to be in place.
   * @default every component the config enables
   */
  readonly only?: readonly string[];
}

const PHASE_RANK = { cni: 0, addon: 1, gitops: 2 } as const;

/**
 * Builds the graph of a config over an explicit component set. Edges: each
 * component's declared `dependsOn` (when that component is selected), every
 * `addon` after every `cni`, every `gitops` after everything else.
 *
 * @param config The resolved config.
 * @param components The component set.
 * @param only Select exactly these names instead of the enabled ones.
 * @returns The graph and the selected components by name.
 * @throws {ComponentGraphError} Duplicate or unknown names, or a dependency cycle.
 */
export function buildGraph(
  config: ResolvedConfig,
  components: readonly Component[],
  only?: readonly string[],
): { readonly graph: ComponentGraph; readonly selected: ReadonlyMap<string, Component> } {
  const all = new Map<string, Component>();
  for (const c of components) {
    if (all.has(c.name)) {
      throw new ComponentGraphError(`component "${c.name}" is defined twice`, [c.name]);
    }
    all.set(c.name, c);
  }
  let chosen: Component[];
  if (only !== undefined) {
    const unknown = only.filter((n) => !all.has(n));
    if (unknown.length) {
      throw new ComponentGraphError(
        `unknown component${unknown.length > 1 ? "s" : ""} ${
          unknown.map((n) => `"${n}"`).join(", ")
        } (known: ${[...all.keys()].join(", ")})`,
        unknown,
      );
    }
    chosen = components.filter((c) => only.includes(c.name));
  } else {
    chosen = components.filter((c) => c.enabled(config));
  }
  const selected = new Map(chosen.map((c) => [c.name, c]));
  const deps = new Map<string, string[]>();
  for (const c of chosen) {
    const edges = new Set(c.dependsOn.filter((d) => selected.has(d)));
    for (const other of chosen) {
      if (PHASE_RANK[other.phase] < PHASE_RANK[c.phase]) edges.add(other.name);
    }
    deps.set(c.name, [...edges]);
  }
  const depth = new Map<string, number>();
  const visiting = new Set<string>();
  const visit = (name: string, path: string[]): number => {
    const known = depth.get(name);
    if (known !== undefined) return known;
    if (visiting.has(name)) {
      const cycle = [...path.slice(path.indexOf(name)), name];
      throw new ComponentGraphError(`dependency cycle ${cycle.join(" → ")}`, cycle);
    }
    visiting.add(name);
    let d = 0;
    for (const dep of deps.get(name) ?? []) d = Math.max(d, visit(dep, [...path, name]) + 1);
    visiting.delete(name);
    depth.set(name, d);
    return d;
  };
  for (const c of chosen) visit(c.name, []);
  const order = chosen
    .map((c, i) => ({ c, i, d: depth.get(c.name)! }))
    .sort((a, b) => a.d - b.d || a.i - b.i);
  const nodes = order.map(({ c }) => ({ ...c.plan(config), dependsOn: deps.get(c.name)! }));
  const waves: string[][] = [];
  for (const { c, d } of order) (waves[d] ??= []).push(c.name);
  return { graph: { nodes, waves }, selected };
}

/**
 * The critical path of a graph given each component's duration: the longest
 * chain of dependencies, which bounds how fast a parallel install can be.
 *
 * @param graph The graph.
 * @param durationMs Milliseconds per component name (missing ones count 0).
 * @returns The path (names) and its total duration.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { criticalPath } from "@bosun/sdk";
 * const graph = { waves: [], nodes: [
 *   { name: "a", dependsOn: [] }, { name: "b", dependsOn: ["a"] }, { name: "c", dependsOn: ["a"] },
 * ] } as never;
 * const path = criticalPath(graph, { a: 10, b: 5, c: 7 });
 * assert.equal(path.durationMs, 17);
 * assert.deepEqual(path.names, ["a", "c"]);
 * ```
 */
export function criticalPath(
  graph: ComponentGraph,
  durationMs: Readonly<Record<string, number>>,
): { readonly names: readonly string[]; readonly durationMs: number } {
  const best = new Map<string, { total: number; path: string[] }>();
  for (const node of graph.nodes) {
    let prev = { total: 0, path: [] as string[] };
    for (const dep of node.dependsOn) {
      const b = best.get(dep);
      if (b !== undefined && b.total > prev.total) prev = b;
    }
    best.set(node.name, {
      total: prev.total + (durationMs[node.name] ?? 0),
      path: [...prev.path, node.name],
    });
  }
  let top = { total: 0, path: [] as string[] };
  for (const b of best.values()) if (b.total > top.total) top = b;
  return { names: top.path, durationMs: top.total };
}
