/**
 * The `bosun` program: global flags and every command group.
 *
 * @module
 */

import { Command } from "commander";
import { COMMAND_GROUPS } from "./commands.ts";
import denoJson from "../../deno.json" with { type: "json" };

/** The version of this package. */
export const VERSION: string = denoJson.version;

/**
 * Builds the `bosun` program with every command group registered.
 *
 * @returns The commander program, not yet parsed.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createProgram } from "./program.ts";
 * const program = createProgram();
 * assert.ok(program.commands.some((c) => c.name() === "config"));
 * ```
 */
export function createProgram(): Command {
  const program = new Command("bosun")
    .description(
      "Rig a local Kubernetes platform from code: clusters, components, GitOps, secrets.",
    )
    .version(VERSION, "-V, --version", "print the version")
    .option("-c, --config <file>", "config file (default: bosun.yaml found walking up)")
    .option("--json", "machine-readable output and JSON progress events")
    .option("-q, --quiet", "print only failures and warnings")
    .option("-v, --verbose", "print debug messages")
    .showSuggestionAfterError(true)
    .exitOverride()
    .addHelpText(
      "after",
      "\nExamples:\n  bosun config validate\n  bosun cluster create --dry-run\n\n" +
        "Exit codes: 0 success, 1 failure, 2 bad usage or invalid config, 3 missing tool.",
    );
  for (const register of COMMAND_GROUPS) register(program);
  for (const command of allCommands(program)) command.exitOverride();
  return program;
}

function allCommands(command: Command): Command[] {
  return command.commands.flatMap((c) => [c, ...allCommands(c)]);
}
