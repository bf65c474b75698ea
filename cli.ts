/**
 * The `bosun` command line: parse flags, call the library, print the result.
 *
 * ```sh
 * deno run -A jsr:@bosun/sdk/cli --help
 * deno run -A cli.ts config validate bosun.yaml
 * ```
 *
 * Exit codes: 0 success, 1 failure, 2 bad usage (unknown command or flag,
 * invalid config), 3 a required tool is missing.
 *
 * @module
 */

import { Command, CommanderError } from "commander";
import { COMMAND_GROUPS } from "./lib/cli/commands.ts";
import { EXIT } from "./lib/cli/_context.ts";
import denoJson from "./deno.json" with { type: "json" };

/** The version of this package. */
export const VERSION: string = denoJson.version;

/**
 * Builds the `bosun` program with every command group registered.
 *
 * @returns The commander program, not yet parsed.
 *
 * @example
 * ```ts
 * import { createProgram } from "@bosun/sdk/cli";
 * const program = createProgram();
 * console.assert(program.commands.some((c) => c.name() === "config"));
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

/**
 * Runs `bosun` with `args` and returns the exit code (it does not exit).
 *
 * @param args The arguments, without the program name.
 * @returns The exit code.
 */
export async function main(args: readonly string[]): Promise<number> {
  const program = createProgram();
  try {
    await program.parseAsync([...args], { from: "user" });
    return EXIT.ok;
  } catch (error) {
    return exitCodeFor(error);
  }
}

function exitCodeFor(error: unknown): number {
  if (error instanceof CommanderError) {
    // commander has already printed its message
    if (
      error.code === "commander.helpDisplayed" || error.code === "commander.version" ||
      error.code === "commander.help"
    ) return EXIT.ok;
    return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  }
  const name = error instanceof Error ? error.name : "";
  console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
  if (name === "ConfigError") return EXIT.usage;
  if (name === "ToolNotFoundError") return EXIT.missingTool;
  if (Deno.env.get("BOSUN_DEBUG") && error instanceof Error) console.error(error.stack);
  return EXIT.failure;
}

if (import.meta.main) {
  Deno.exit(await main(Deno.args));
}
