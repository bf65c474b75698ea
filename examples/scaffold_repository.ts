/**
 * Scaffold a Flux repository for K3d, then validate it (needs kubectl):
 * `deno run -A examples/scaffold_repository.ts /tmp/platform`.
 */

import { formatProblem, scaffoldProject, validateManifests } from "@bosun/sdk";

const dir = Deno.args[0] ?? "platform";
const result = await scaffoldProject(dir, { distribution: "K3d", gitops: "Flux", cni: "Cilium" });
for (const file of result.files) console.log(`${file.action.padEnd(11)} ${file.path}`);

const report = await validateManifests(`${result.dir}/k8s`, { mode: "offline" });
for (const problem of report.problems) console.log(formatProblem(problem));
console.log(`${report.documents} documents, ${report.valid ? "valid" : "invalid"}`);
