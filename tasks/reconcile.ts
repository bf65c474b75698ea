/**
 * `deno task reconcile`: make the GitOps engine apply the pushed revision and wait.
 *
 * @module
 */

import { reconcileWorkflow } from "../lib/workflows/mod.ts";
import { runTask } from "./_task.ts";

await runTask(async (reporter) => {
  const r = await reconcileWorkflow({ reporter });
  console.log(`✓ ${r.engine} applied ${r.revision}`);
});
