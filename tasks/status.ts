/**
 * `deno task status`: cluster, nodes, components and GitOps state, as JSON.
 *
 * @module
 */

import { statusWorkflow } from "../lib/workflows/mod.ts";
import { runTask } from "./_task.ts";

await runTask(async () => {
  console.log(JSON.stringify(await statusWorkflow(), null, 2));
});
