/**
 * Shared by the workflow tasks: a terminal reporter, and errors turned into
 * one clear line and the `bosun` exit codes (1 failure, 2 bad config, 3 missing tool).
 *
 * @module
 */

import { createTerminalReporter, type Reporter } from "../lib/ui/mod.ts";

/** Runs a task body with a terminal reporter and exits with Bosun's exit codes. */
export async function runTask(body: (reporter: Reporter) => Promise<void>): Promise<never> {
  try {
    await body(createTerminalReporter());
    Deno.exit(0);
  } catch (error) {
    const name = error instanceof Error ? error.name : "";
    console.error(`✗ ${error instanceof Error ? error.message : String(error)}`);
    const missing = name === "ToolNotFoundError" || name === "DockerUnavailableError";
    Deno.exit(missing ? 3 : name === "ConfigError" ? 2 : 1);
  }
}
