/**
 * {@linkcode formatComponentGraph}: an install graph as text, for `bosun components plan`
 * and `bosun up --dry-run`.
 *
 * @module
 */

import type { ComponentGraph } from "./graph.ts";

/**
 * Renders an install graph wave by wave, in dependency order: each component's version,
 * namespace and chart, what it waits for, and its values.
 *
 * @param graph From `planComponents`.
 * @param title The first line.
 * @returns The text.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { applyDefaults, formatComponentGraph, planComponents } from "@bosun/sdk";
 * const graph = planComponents(applyDefaults({ spec: { cni: "Cilium", certManager: "Enabled" } }));
 * const text = formatComponentGraph(graph, "Components:");
 * assert.match(text, /^wave 1:\n {2}cilium {2}\S+ {2}ns\/kube-system/m);
 * ```
 */
export function formatComponentGraph(graph: ComponentGraph, title: string): string {
  const lines = [title];
  if (graph.nodes.length === 0) {
    lines.push("  (nothing to install: the config enables no component)");
  }
  graph.waves.forEach((wave, i) => {
    lines.push(`wave ${i + 1}${i === 0 ? "" : " (after the waves before it)"}:`);
    for (const name of wave) {
      const n = graph.nodes.find((x) => x.name === name)!;
      lines.push(`  ${n.name}  ${n.version}  ns/${n.namespace}  ${n.source.chart}`);
      if (n.dependsOn.length) lines.push(`    after: ${n.dependsOn.join(", ")}`);
      const values = JSON.stringify(n.values);
      if (values !== "{}") lines.push(`    values: ${values}`);
    }
  });
  return lines.join("\n");
}
