/**
 * `deno task up`: registry and mirrors, cluster, components, GitOps engine and
 * the first push, from bosun.yaml (or the defaults); ends with a summary.
 *
 * @module
 */

import { formatUpSummary, upWorkflow } from "../lib/workflows/mod.ts";
import { runTask } from "./_task.ts";

await runTask(async (reporter) => {
  const summary = await upWorkflow({ reporter, push: !Deno.args.includes("--no-push") });
  console.log(`\n${formatUpSummary(summary)}`);
});
