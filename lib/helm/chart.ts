/**
 * Chart references: a chart in a classic repository, in an OCI registry, or
 * on disk.
 *
 * @module
 */

/** A chart served by a classic Helm repository (`index.yaml`). */
export interface RepoChart {
  /** Repository URL, e.g. `https://charts.jetstack.io`. */
  readonly repo: string;
  /** Chart name in that repository, e.g. `cert-manager`. */
  readonly chart: string;
}

/** A chart stored in an OCI registry. */
export interface OciChart {
  /** `oci://host/path/name` (no tag: the version is given separately). */
  readonly oci: string;
}

/** A chart directory or packaged `.tgz` on disk. */
export interface LocalChart {
  /** Path of the chart directory or archive. */
  readonly path: string;
}

/** Where a chart comes from. */
export type ChartRef = RepoChart | OciChart | LocalChart;

/**
 * The chart argument and flags Helm needs for a reference.
 *
 * @param chart The reference.
 * @param version The chart version; ignored for local charts.
 * @returns The positional chart argument and the extra flags (`--repo`, `--version`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { chartArgs } from "@bosun/sdk";
 * const { chart, flags } = chartArgs({ repo: "https://helm.cilium.io", chart: "cilium" }, "1.19.1");
 * assert.equal(chart, "cilium");
 * assert.equal(flags.join(" "), "--repo https://helm.cilium.io --version 1.19.1");
 * ```
 */
export function chartArgs(
  chart: ChartRef,
  version?: string,
): { readonly chart: string; readonly flags: readonly string[] } {
  const v = version === undefined ? [] : ["--version", version];
  if ("path" in chart) return { chart: chart.path, flags: [] };
  if ("oci" in chart) {
    if (!chart.oci.startsWith("oci://")) {
      throw new TypeError(`Invalid OCI chart reference "${chart.oci}": it must start with oci://`);
    }
    return { chart: chart.oci, flags: v };
  }
  return { chart: chart.chart, flags: ["--repo", chart.repo, ...v] };
}

/**
 * A short human description of a chart: `repo-url/name@version`,
 * `oci://…@version` or the path.
 *
 * @param chart The reference.
 * @param version The version, when pinned.
 * @returns The description.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { describeChart } from "@bosun/sdk";
 * assert.equal(describeChart({ oci: "oci://ghcr.io/x/y" }, "1.0.0"), "oci://ghcr.io/x/y@1.0.0");
 * ```
 */
export function describeChart(chart: ChartRef, version?: string): string {
  const at = version === undefined ? "" : `@${version}`;
  if ("path" in chart) return chart.path;
  if ("oci" in chart) return `${chart.oci}${at}`;
  return `${chart.repo.replace(/\/+$/, "")}/${chart.chart}${at}`;
}

/**
 * The chart's name as Helm records it in a release (`<name>-<version>` in
 * `helm list`), when it can be known without fetching the chart.
 *
 * @param chart The reference; for local charts the name is read from Chart.yaml by the caller.
 * @returns The name, or `undefined` for local charts.
 */
export function chartName(chart: ChartRef): string | undefined {
  if ("path" in chart) return undefined;
  if ("oci" in chart) return chart.oci.replace(/\/+$/, "").split("/").pop();
  return chart.chart;
}
