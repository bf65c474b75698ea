/**
 * `deno task down`: delete the cluster of bosun.yaml and what belongs to it
 * (`--keep-volumes` keeps the registry volumes: pushed artifacts, mirror caches).
 *
 * @module
 */

import { downWorkflow } from "../lib/workflows/mod.ts";
import { runTask } from "./_task.ts";

await runTask(async (reporter) => {
  const r = await downWorkflow({ reporter, deleteVolumes: !Deno.args.includes("--keep-volumes") });
  console.log(r.deleted ? `✓ deleted ${r.cluster}` : `✓ ${r.cluster} did not exist`);
});
