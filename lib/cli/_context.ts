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

/** What {@linkcode onInterrupt} hands a mutating command. */
export interface Interruptible {
  /** The runner to pass down: SIGINT stops the process in flight, cleanup still runs. */
  readonly runner: import("../exec/runner.ts").Runner;
  /** Whether SIGINT arrived. */
  interrupted(): boolean;
  /** Removes the signal handler. */
  dispose(): void;
}

/**
 * Makes a mutating command interruptible: the first SIGINT stops the process in flight (say
 * `kind create cluster`), so the step fails and the library removes what this run created; a
 * second SIGINT exits at once, saying how to remove what may be left.
 *
 * @param cleanupHint The command that removes what may be left (`bosun down`).
 */
export async function onInterrupt(cleanupHint: string): Promise<Interruptible> {
  const { defaultRunner, interruptible } = await import("../exec/mod.ts");
  const controller = new AbortController();
  const handler = () => {
    if (!controller.signal.aborted) {
      console.error("\nInterrupted: stopping, then removing what this run created …");
      controller.abort();
      return;
    }
    console.error(`\nInterrupted again: exiting now. Remove what may be left with: ${cleanupHint}`);
    Deno.exit(EXIT.interrupted);
  };
  Deno.addSignalListener("SIGINT", handler);
  return {
    runner: interruptible(defaultRunner, controller.signal),
    interrupted: () => controller.signal.aborted,
    dispose: () => Deno.removeSignalListener("SIGINT", handler),
  };
}

/** A command stopped by SIGINT; its message is the interrupted step's error (exit 130). */
export class InterruptedError extends Error {
  /** @param cause The error the interrupted step ended with. */
  constructor(cause: unknown) {
    super(`interrupted: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = "InterruptedError";
  }
}

/** Runs a mutating command's work interruptibly (see {@linkcode onInterrupt}). */
export async function interruptibly<T>(
  cleanupHint: string,
  work: (runner: import("../exec/runner.ts").Runner) => Promise<T>,
): Promise<T> {
  const it = await onInterrupt(cleanupHint);
  try {
    return await work(it.runner);
  } catch (error) {
    throw it.interrupted() ? new InterruptedError(error) : error;
  } finally {
    it.dispose();
  }
}
