/**
 * `deno task validate [path]`: kustomize-build and check every manifest
 * (server dry-run when a cluster answers, bundled schemas otherwise).
 *
 * @module
 */

import { formatProblem, validateManifests, ValidationFailedError } from "../lib/workload/mod.ts";
import { runTask } from "./_task.ts";

await runTask(async (reporter) => {
  const report = await validateManifests(Deno.args[0] ?? "k8s", { reporter });
  for (const p of report.problems) console.log(formatProblem(p));
  console.log(`${report.documents} documents checked (${report.mode})`);
  if (!report.valid) throw new ValidationFailedError(report);
});
