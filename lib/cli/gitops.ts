/**
 * `bosun gitops bootstrap`, `bosun push [dir]`, `bosun reconcile`.
 *
 * @module
 */

import type { Command } from "commander";
import { examples, globals, output, reporterFor } from "./_context.ts";

function seconds(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) {
    throw new TypeError(`Invalid --timeout "${value}": use a number of seconds`);
  }
  return n * 1000;
}

function engineOf(value: string): "Flux" | "ArgoCD" {
  const v = value.toLowerCase();
  if (v === "flux") return "Flux";
  if (v === "argocd" || v === "argo-cd") return "ArgoCD";
  throw new TypeError(`Invalid --engine "${value}": use Flux or ArgoCD`);
}

/** Registers `gitops bootstrap`, `push` and `reconcile`. */
export function registerGitOps(program: Command): void {
  const group = examples(
    program.command("gitops").description("Bootstrap Flux or Argo CD on the cluster"),
    "bosun gitops bootstrap",
    "bosun push && bosun reconcile",
  );
  group.command("bootstrap")
    .description("Install the GitOps engine and point it at the local registry source")
    .option("--engine <engine>", "Flux or ArgoCD (default: spec.gitops.engine)", engineOf)
    .option("--timeout <seconds>", "time budget", seconds)
    .addHelpText("after", "\nExample:\n  bosun gitops bootstrap --engine Flux --timeout 600")
    .action(async (opts: { engine?: "Flux" | "ArgoCD"; timeout?: number }, command: Command) => {
      const { loadConfig } = await import("../config/load.ts");
      const gitops = await import("../gitops/mod.ts");
      const { config } = await loadConfig(globals(command).config);
      const engine = opts.engine ?? config.spec.gitops.engine;
      if (engine === "None") {
        throw new gitops.GitOpsEngineNotInstalledError(config.metadata.name, "None", "");
      }
      const reporter = await reporterFor(command);
      const common = { reporter, ...(opts.timeout ? { timeoutMs: opts.timeout } : {}) };
      const result = engine === "Flux"
        ? await gitops.bootstrapFlux(config, common)
        : await gitops.bootstrapArgoCD(config, common);
      output(command, result, `✓ ${engine} syncs ${result.url}:${result.ref} (${result.state})`);
    });

  program.command("push [dir]")
    .description(
      "Package the source directory as an OCI artifact and push it to the local registry",
    )
    .option(
      "--ref <ref>",
      "where to push (default: localhost:<hostPort>/<source dir>:<spec.gitops.ref>)",
    )
    .addHelpText("after", "\nExample:\n  bosun push k8s --ref localhost:5050/k8s:dev")
    .option("--no-charts", "do not push the Helm charts under <source>/charts")
    .action(
      async (
        dir: string | undefined,
        opts: { ref?: string; charts: boolean },
        command: Command,
      ) => {
        const { pushWorkflow } = await import("../workflows/push.ts");
        const config = globals(command).config;
        const result = await pushWorkflow({
          reporter: await reporterFor(command),
          charts: opts.charts,
          ...(config ? { config } : {}),
          ...(dir ? { dir } : {}),
          ...(opts.ref ? { ref: opts.ref } : {}),
        });
        output(
          command,
          result,
          `✓ ${result.reference} ${result.digest}${result.unchanged ? " (unchanged)" : ""}${
            result.charts.length ? `; charts: ${result.charts.join(", ")}` : ""
          }`,
        );
      },
    );

  program.command("reconcile")
    .description("Trigger Flux or Argo CD and wait until the pushed revision is applied")
    .option("--timeout <seconds>", "time budget (default 300)", seconds)
    .option(
      "--digest <digest>",
      "the manifest digest to wait for (default: what the tag points at)",
    )
    .addHelpText("after", "\nExample:\n  bosun push && bosun reconcile --timeout 120")
    .action(async (opts: { timeout?: number; digest?: string }, command: Command) => {
      const { reconcileWorkflow } = await import("../workflows/reconcile.ts");
      const config = globals(command).config;
      const result = await reconcileWorkflow({
        reporter: await reporterFor(command),
        ...(config ? { config } : {}),
        ...(opts.timeout ? { timeoutMs: opts.timeout } : {}),
        ...(opts.digest ? { digest: opts.digest } : {}),
      });
      output(
        command,
        result,
        `✓ ${result.engine} applied ${result.revision} in ${
          (result.durationMs / 1000).toFixed(1)
        } s`,
      );
    });
}
