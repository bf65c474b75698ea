/**
 * `deno task up`: registry and mirrors, cluster, components, GitOps engine and
 * the first push, from bosun.yaml (or the defaults); ends with a summary. `--dry-run`
 * prints the plan instead and changes nothing.
 *
 * @module
 */

import { formatUpPlan, formatUpSummary, planUpWorkflow, upWorkflow } from "../lib/workflows/mod.ts";
import { runTask } from "./_task.ts";

await runTask(async (reporter) => {
  const push = !Deno.args.includes("--no-push");
  if (Deno.args.includes("--dry-run")) {
    console.log(formatUpPlan(await planUpWorkflow({ push })));
    return;
  }
  const summary = await upWorkflow({ reporter, push });
  console.log(`\n${formatUpSummary(summary)}`);
});
