/**
 * `bosun components plan|install`.
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

/** Registers the `components` command group. */
export function registerComponents(program: Command): void {
  const group = examples(
    program.command("components").description(
      "Plan and install cluster components (CNI, storage, metrics-server, cert-manager, policy engine, GitOps engine)",
    ),
    "bosun components plan",
    "bosun components install cilium cert-manager",
  );
  group.command("plan")
    .description(
      "Print the install graph (chart, version, namespace, values) without touching a cluster",
    )
    .addHelpText("after", "\nExample:\n  bosun components plan --json")
    .action(async (_opts: unknown, command: Command) => {
      const { loadConfig } = await import("../config/load.ts");
      const { formatComponentGraph, planComponents } = await import("../components/mod.ts");
      const { GITOPS_COMPONENTS } = await import("../gitops/components.ts");
      const { config } = await loadConfig(globals(command).config);
      const graph = planComponents(config, { extraComponents: GITOPS_COMPONENTS });
      output(
        command,
        graph,
        formatComponentGraph(
          graph,
          `Components for "${config.metadata.name}" (${config.spec.distribution}):`,
        ),
      );
    });
  group.command("install [names...]")
    .description(
      "Install what the config enables (or only the named components), in dependency order",
    )
    .option("--timeout <seconds>", "time budget per component", "300")
    .option("--cancel-on-failure", "abort running installs when one fails")
    .addHelpText(
      "after",
      "\nExamples:\n  bosun components install\n  bosun components install cert-manager kyverno --timeout 600",
    )
    .action(
      async (
        names: string[],
        opts: { timeout: string; cancelOnFailure?: boolean },
        command: Command,
      ) => {
        const { loadConfig } = await import("../config/load.ts");
        const { installComponents } = await import("../components/mod.ts");
        const { GITOPS_COMPONENTS } = await import("../gitops/components.ts");
        const { formatDuration } = await import("../ui/mod.ts");
        const { config } = await loadConfig(globals(command).config);
        const result = await installComponents(config, {
          reporter: await reporterFor(command),
          timeoutMs: seconds(opts.timeout),
          cancelRunningOnFailure: opts.cancelOnFailure === true,
          extraComponents: GITOPS_COMPONENTS,
          ...(names.length ? { only: names } : {}),
        });
        const text = result.components.length === 0
          ? "Nothing to install: the config enables no component."
          : [
            ...result.components.map((c) =>
              `${c.status === "unchanged" ? "=" : "✓"} ${c.name} ${c.version} ${c.status} in ${
                formatDuration(c.durationMs)
              }`
            ),
            `${result.components.length} components in ${formatDuration(result.wallMs)}`,
          ].join("\n");
        output(
          command,
          { ...result, components: result.components.map(({ error: _e, ...c }) => c) },
          text,
        );
      },
    );
}
