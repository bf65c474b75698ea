/**
 * `bosun validate [path]`: kustomize-build and check every manifest.
 *
 * @module
 */

import type { Command } from "commander";
import { globals, output, reporterFor } from "./_context.ts";

interface ValidateFlags {
  readonly offline?: boolean;
  readonly server?: boolean;
  readonly context?: string;
  readonly kubeconfig?: string;
  readonly crd?: string[];
}

/** Registers `bosun validate`. */
export function registerValidate(program: Command): void {
  program.command("validate [path]")
    .description(
      "kustomize-build every kustomization and check every document (server dry-run or schemas)",
    )
    .option("--offline", "check against bundled schemas only, even when a cluster answers")
    .option("--server", "require a cluster and dry-run every document on it")
    .option("--context <context>", "kubeconfig context for the dry run")
    .option("--kubeconfig <file>", "kubeconfig for the dry run")
    .option(
      "--crd <file>",
      "CRD file whose schemas check its kinds (repeatable)",
      (v: string, p: string[] = []) => [...p, v],
    )
    .addHelpText(
      "after",
      "\nExample:\n  bosun validate k8s --offline\n\n" +
        "Prints one line per problem: file: document: field: message. Exit code 1 when any is an error.",
    )
    .action(async (path: string | undefined, flags: ValidateFlags, command: Command) => {
      const { validateManifests, formatProblem, ValidationFailedError } = await import(
        "../workload/mod.ts"
      );
      let target = path;
      if (target === undefined) {
        const { findConfigFile, loadConfig } = await import("../config/mod.ts");
        const file = globals(command).config ?? await findConfigFile();
        if (file) {
          const loaded = await loadConfig(file);
          target = `${loaded.baseDir}/${loaded.config.spec.gitops.sourceDirectory}`;
        } else target = ".";
      }
      const report = await validateManifests(target, {
        mode: flags.offline ? "offline" : flags.server ? "server" : "auto",
        ...(flags.context ? { context: flags.context } : {}),
        ...(flags.kubeconfig ? { kubeconfig: flags.kubeconfig } : {}),
        crds: flags.crd ?? [],
        reporter: await reporterFor(command),
      });
      const lines = report.problems.map(formatProblem);
      const errors = report.problems.filter((p) => p.severity === "error").length;
      lines.push(
        `${errors === 0 ? "✓" : "✗"} ${report.documents} documents from ${report.builds.length} ` +
          `kustomizations and ${report.files.length} files (${report.mode}` +
          `${report.encrypted ? `, ${report.encrypted} SOPS-encrypted` : ""}): ${errors} errors`,
      );
      output(command, report, lines.join("\n"));
      if (!report.valid) throw new ValidationFailedError(report);
    });
}
