/**
 * A wrapper over the `helm` CLI (3.x and 4.x): {@linkcode connectHelm} finds
 * helm and returns a {@linkcode Helm} client with install-or-upgrade (wait,
 * timeout, values as objects), uninstall, status, values and template, for
 * repository, OCI and local charts.
 *
 * @example Render a local chart
 * ```ts ignore
 * import { connectHelm } from "@bosun/sdk";
 * const helm = await connectHelm();
 * const yaml = await helm.template("web", { path: "./charts/web" }, { values: { replicas: 2 } });
 * ```
 *
 * @module
 */

export * from "./chart.ts";
export * from "./errors.ts";
export * from "./helm.ts";
export * from "./values.ts";
