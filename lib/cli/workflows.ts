/**
 * `bosun up|down|status`: the workflows of lib/workflows (`push` and `reconcile`
 * are registered by lib/cli/gitops.ts).
 *
 * @module
 */

import type { Command } from "commander";
import { globals, interruptibly, output, reporterFor } from "./_context.ts";

/** Registers the workflow commands. */
export function registerWorkflows(program: Command): void {
  program.command("up")
    .description("Registry and mirrors, cluster, components, GitOps, first push: from bosun.yaml")
    .option("--no-push", "do not push the source directory or wait for the first reconcile")
    .option("--component-timeout <seconds>", "time budget per component", "300")
    .option(
      "--dry-run",
      "print the whole plan (registry and mirrors, cluster, components, GitOps, first push) and change nothing",
    )
    .addHelpText(
      "after",
      "\nExamples:\n  bosun up --config bosun.yaml\n  bosun up --dry-run --json\n\n" +
        "Needs Docker and the distribution's CLI (kind, k3d, talosctl or eksctl); exits 3 when one is missing\n" +
        "(--dry-run needs neither).",
    )
    .action(async (
      flags: { push: boolean; componentTimeout: string; dryRun?: boolean },
      command: Command,
    ) => {
      if (flags.dryRun) {
        const { planUpWorkflow, formatUpPlan } = await import("../workflows/mod.ts");
        const plan = await planUpWorkflow({ ...configOption(command), push: flags.push });
        return output(command, plan, formatUpPlan(plan));
      }
      const { upWorkflow, formatUpSummary } = await import("../workflows/mod.ts");
      const reporter = await reporterFor(command);
      const summary = await interruptibly("bosun down", (runner) =>
        upWorkflow({
          ...configOption(command),
          push: flags.push,
          componentTimeoutMs: Number(flags.componentTimeout) * 1000,
          reporter,
          runner,
        }));
      output(command, summary, `\n${formatUpSummary(summary)}`);
    });

  program.command("down")
    .description(
      "Delete the cluster, its registry containers and volumes, and its kubeconfig context",
    )
    .option("--keep-volumes", "keep the registry volumes (pushed artifacts, mirror caches)")
    .addHelpText("after", "\nExamples:\n  bosun down\n  bosun down --keep-volumes")
    .action(async (flags: { keepVolumes?: boolean }, command: Command) => {
      const { downWorkflow } = await import("../workflows/mod.ts");
      const r = await downWorkflow({
        ...configOption(command),
        deleteVolumes: flags.keepVolumes !== true,
        reporter: await reporterFor(command),
      });
      output(
        command,
        r,
        r.deleted ? `✓ deleted ${r.cluster}` : `✓ ${r.cluster} did not exist; nothing left behind`,
      );
    });

  program.command("status")
    .description("Cluster, nodes, each component's health, GitOps sync state and revision")
    .addHelpText("after", "\nExample:\n  bosun status --json")
    .action(async (_flags: unknown, command: Command) => {
      const { statusWorkflow } = await import("../workflows/mod.ts");
      const s = await statusWorkflow({ ...configOption(command) });
      const lines = [
        `Cluster     ${s.cluster} (${s.distribution}) ${s.exists ? "running" : "not created"}`,
      ];
      if (s.exists) {
        lines.push(`Context     ${s.context}`);
        for (const r of s.registries) lines.push(`Container   ${r.name} (${r.role}) ${r.state}`);
        for (const n of s.nodes) {
          lines.push(`Node        ${n.name} ${n.ready ? "Ready" : "NotReady"} ${n.version ?? ""}`);
        }
        for (const c of s.components) {
          lines.push(
            `Component   ${c.name.padEnd(22)} ${c.status.padEnd(9)} ${
              c.installed ?? "-"
            } (wanted ${c.wanted})`,
          );
        }
        if (s.gitops) {
          lines.push(
            `GitOps      ${s.gitops.engine} ${s.gitops.ready ? "synced" : "not synced"} ` +
              `${s.gitops.revision ?? ""} ${s.gitops.message ?? ""}`.trimEnd(),
          );
        }
      }
      output(command, s, lines.join("\n"));
    });
}

function configOption(command: Command): { config?: string } {
  const file = globals(command).config;
  return file ? { config: file } : {};
}
