/**
 * Kubernetes core: kubeconfig merging that never loses a context, server-side
 * apply in dependency order, and readiness waits with kstatus rules.
 *
 * @example Merge a context into a kubeconfig file
 * ```ts
 * import assert from "node:assert/strict";
 * import { mergeKubeconfig, loadKubeconfig } from "@bosun/sdk";
 * const dir = await Deno.makeTempDir();
 * await mergeKubeconfig({
 *   clusters: [{ name: "dev", cluster: { server: "https://127.0.0.1:6443" } }],
 *   users: [{ name: "dev", user: { token: "t" } }],
 *   contexts: [{ name: "dev", context: { cluster: "dev", user: "dev" } }],
 * }, { kubeconfig: `${dir}/config` });
 * const { data } = await loadKubeconfig({ kubeconfig: `${dir}/config` });
 * assert.ok(data.contexts?.[0]?.name === "dev");
 * ```
 *
 * @module
 */

export * from "./types.ts";
export * from "./errors.ts";
export * from "./kubeconfig.ts";
export * from "./client.ts";
export * from "./apply.ts";
export * from "./wait.ts";
export * from "./status.ts";
export * from "./helpers.ts";
