/**
 * A CI step: validate every manifest against the cluster when one answers,
 * else against bundled schemas; exit 1 on errors.
 */

import { formatProblem, validateManifests } from "@bosun/sdk";

const report = await validateManifests(Deno.args[0] ?? "k8s");
for (const problem of report.problems) console.error(formatProblem(problem));
console.log(`${report.documents} documents checked (${report.mode})`);
if (!report.valid) Deno.exit(1);
