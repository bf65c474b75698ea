/**
 * `deno task push`: package the source directory (and its charts) and push
 * them to the local registry.
 *
 * @module
 */

import { pushWorkflow } from "../lib/workflows/mod.ts";
import { runTask } from "./_task.ts";

await runTask(async (reporter) => {
  const r = await pushWorkflow({ reporter });
  console.log(`✓ ${r.reference}@${r.digest}${r.unchanged ? " (unchanged)" : ""}`);
});
