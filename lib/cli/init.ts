/**
 * `bosun init [dir]`: scaffold a new GitOps repository.
 *
 * @module
 */

import type { Command } from "commander";
import { output, reporterFor } from "./_context.ts";

interface InitFlags {
  readonly name?: string;
  readonly distribution: string;
  readonly gitops: string;
  readonly cni: string;
  readonly sdk?: string;
  readonly force?: boolean;
}

/** Registers `bosun init`. */
export function registerInit(program: Command): void {
  program.command("init [dir]")
    .description("Scaffold a GitOps repository: bosun.yaml, k8s/ (kustomize), a Helm chart, SOPS")
    .option("--name <name>", "cluster name (default: the directory name)")
    .option("--distribution <distribution>", "Kind, K3d, Talos or EKSAnywhere", "Kind")
    .option("--gitops <engine>", "None, Flux or ArgoCD", "None")
    .option("--cni <cni>", "Default, Cilium or Calico", "Default")
    .option("--sdk <path|url>", "import the SDK from a local checkout or URL instead of JSR")
    .option("--force", "overwrite files that exist (an existing .sops.yaml key is kept)")
    .addHelpText(
      "after",
      "\nExample:\n  bosun init my-platform --distribution K3d --gitops Flux\n\n" +
        "The private age key goes to $SOPS_AGE_KEY_FILE (or the SOPS default), never into the " +
        "repository.\nExisting files are skipped unless --force is given.",
    )
    .action(async (dir: string | undefined, flags: InitFlags, command: Command) => {
      const { DISTRIBUTIONS, GITOPS_ENGINES, CNIS } = await import("../config/mod.ts");
      const { scaffoldProject } = await import("../scaffold/mod.ts");
      const result = await scaffoldProject(dir ?? ".", {
        ...(flags.name ? { name: flags.name } : {}),
        distribution: pick(flags.distribution, DISTRIBUTIONS, "--distribution"),
        gitops: pick(flags.gitops, GITOPS_ENGINES, "--gitops"),
        cni: pick(flags.cni, CNIS, "--cni"),
        ...(flags.sdk ? { sdk: flags.sdk } : {}),
        force: flags.force === true,
        reporter: await reporterFor(command),
      });
      const lines = result.files.map((f) => `  ${f.action.padEnd(11)} ${f.path}`);
      if (result.keyFileWritten) {
        lines.push(
          `  age key     ${result.ageRecipient} (private key in ${result.keyFileWritten})`,
        );
      }
      lines.push("", `Next: cd ${dir ?? "."} && deno task validate && deno task up`);
      output(command, result, lines.join("\n"));
    });
}

function pick<T extends string>(value: string, allowed: readonly T[], flag: string): T {
  const found = allowed.find((a) => a.toLowerCase() === value.toLowerCase());
  if (found === undefined) {
    throw new TypeError(`Invalid ${flag} "${value}": use one of ${allowed.join(", ")}`);
  }
  return found;
}
