/**
 * The text summary `bosun up` and `deno task up` print.
 *
 * @module
 */

import { formatDuration } from "../ui/mod.ts";
import type { UpSummary } from "./up.ts";

/**
 * Formats an {@linkcode UpSummary}: context, registry, mirrors, components
 * with versions, GitOps revision, and per-step timings.
 *
 * @param s The summary.
 * @returns Lines of text.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatUpSummary } from "@bosun/sdk";
 * const text = formatUpSummary({
 *   cluster: "dev", distribution: "Kind", context: "kind-dev", kubeconfig: "/home/me/.kube/config",
 *   created: true, registry: { host: "localhost:5050", inCluster: "dev-registry:5000" },
 *   mirrors: {}, components: [], gitops: { engine: "None" },
 *   steps: [{ name: "cluster", status: "ok", durationMs: 41000 }], totalMs: 41000,
 * });
 * assert.ok(text.includes("kind-dev"));
 * ```
 */
export function formatUpSummary(s: UpSummary): string {
  const lines = [
    `Cluster     ${s.cluster} (${s.distribution}, ${s.created ? "created" : "already existed"})`,
    `Context     ${s.context} in ${s.kubeconfig}`,
    `Registry    ${
      s.registry ? `${s.registry.host} (in cluster: ${s.registry.inCluster})` : "disabled"
    }`,
  ];
  const mirrors = Object.entries(s.mirrors);
  if (mirrors.length) {
    lines.push(`Mirrors     ${mirrors.map(([h, u]) => `${h} → ${u}`).join(", ")}`);
  }
  if (s.components.length === 0) lines.push("Components  none (distribution defaults)");
  else {
    lines.push("Components");
    for (const c of s.components) {
      lines.push(
        `  ${c.name.padEnd(22)} ${c.version.padEnd(10)} ${c.status.padEnd(10)} ${
          formatDuration(c.durationMs)
        }`,
      );
    }
  }
  const g = s.gitops;
  lines.push(
    `GitOps      ${g.engine}${g.pushed ? `, pushed ${g.pushed.reference}` : ""}` +
      `${g.revision ? `, applied ${g.revision}` : ""}`,
  );
  lines.push("Timings");
  for (const step of s.steps) {
    const note = step.note ? ` (${step.note})` : "";
    lines.push(
      `  ${step.name.padEnd(30)} ${step.status.padEnd(8)} ${
        formatDuration(step.durationMs)
      }${note}`,
    );
  }
  lines.push(`  ${"total".padEnd(30)} ${"".padEnd(8)} ${formatDuration(s.totalMs)}`);
  return lines.join("\n");
}
