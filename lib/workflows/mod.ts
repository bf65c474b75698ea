/**
 * Workflows: compositions of the other modules that `deno task` recipes and
 * the `bosun` CLI share — {@linkcode upWorkflow} (and {@linkcode planUpWorkflow}, its
 * dry run), {@linkcode downWorkflow},
 * {@linkcode statusWorkflow}, {@linkcode pushWorkflow} and
 * {@linkcode reconcileWorkflow}.
 *
 * @example Bring a platform up and print the summary
 * ```ts ignore
 * import { formatUpSummary, upWorkflow } from "@bosun/sdk";
 * console.log(formatUpSummary(await upWorkflow()));
 * ```
 *
 * @module
 */

export * from "./types.ts";
export * from "./errors.ts";
export * from "./up.ts";
export * from "./down.ts";
export * from "./status.ts";
export * from "./push.ts";
export * from "./reconcile.ts";
export * from "./summary.ts";
export * from "./plan.ts";
