/**
 * What every command needs from the global flags: a reporter, the config, and
 * how to print results.
 *
 * @module
 */

import type { Command } from "commander";
import type { Reporter } from "../ui/reporter.ts";

/** The global flags of `bosun`. */
export interface GlobalOptions {
  /** Path given with `--config`. */
  readonly config?: string;
  /** `--json`: machine-readable output and JSON progress events. */
  readonly json?: boolean;
  /** `--quiet`: only failures and warnings. */
  readonly quiet?: boolean;
  /** `--verbose`: debug messages. */
  readonly verbose?: boolean;
}

/** Exit codes of `bosun`. */
export const EXIT = {
  /** Success. */
  ok: 0,
  /** The operation failed. */
  failure: 1,
  /** Bad usage: unknown command or flag, invalid arguments. */
  usage: 2,
  /** A required tool (Docker, kind, …) is missing. */
  missingTool: 3,
  /** Interrupted by a signal (128 + SIGINT, as shells report it). */
  interrupted: 130,
} as const;

/** Reads the global options from any (sub)command. */
export function globals(command: Command): GlobalOptions {
  let root = command;
  while (root.parent) root = root.parent;
  return root.opts<GlobalOptions>();
}

/** Creates the reporter the global flags ask for (loaded lazily). */
export async function reporterFor(command: Command): Promise<Reporter> {
  const g = globals(command);
  const ui = await import("../ui/terminal.ts");
  if (g.json) return ui.createJsonReporter();
  return ui.createTerminalReporter({ quiet: g.quiet === true, verbose: g.verbose === true });
}

/** Prints a result: JSON under `--json`, otherwise the text. */
export function output(command: Command, value: unknown, text: string): void {
  if (globals(command).json) console.log(JSON.stringify(value, null, 2));
  else if (text) console.log(text);
}

/** Adds an "Examples:" section to a command's help. */
export function examples(command: Command, ...lines: readonly string[]): Command {
  return command.addHelpText("after", `\nExamples:\n${lines.map((l) => `  ${l}`).join("\n")}`);
}
