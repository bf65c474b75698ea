/**
 * The `bosun` command line: parse flags, call the library, print the result.
 *
 * ```sh
 * deno run -A jsr:@bosun/sdk/cli --help
 * deno run -A cli.ts config validate bosun.yaml
 * ```
 *
 * Exit codes: 0 success, 1 failure, 2 bad usage (unknown command or flag,
 * invalid config), 3 a required tool is missing, 130 interrupted (`secrets edit`).
 *
 * @module
 */

import { CommanderError } from "commander";
import { EXIT } from "./lib/cli/_context.ts";
import { createProgram, VERSION } from "./lib/cli/program.ts";

export { VERSION };

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
  if (name === "ToolNotFoundError" || name === "DockerUnavailableError") return EXIT.missingTool;
  if (name === "SopsEditInterruptedError" || name === "InterruptedError") return EXIT.interrupted;
  if (Deno.env.get("BOSUN_DEBUG") && error instanceof Error) console.error(error.stack);
  return EXIT.failure;
}

if (import.meta.main) {
  Deno.exit(await main(Deno.args));
}
