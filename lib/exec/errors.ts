/**
 * Typed errors raised by the process seam.
 *
 * @module
 */

/** The number of trailing characters of stdout/stderr kept in a {@linkcode CommandError}. */
export const OUTPUT_TAIL_CHARS = 2000;

/** Fields that describe a finished command, used to build a {@linkcode CommandError}. */
export interface CommandErrorInit {
  /** The argv as shown to users: secrets already redacted. */
  readonly argv: readonly string[];
  /** Exit code, or `undefined` when the process was killed by a signal or never started. */
  readonly code: number | undefined;
  /** Signal name when the process was killed by one. */
  readonly signal?: string | undefined;
  /** Tail of standard output, redacted. */
  readonly stdout: string;
  /** Tail of standard error, redacted. */
  readonly stderr: string;
  /** Why the command failed when it is not a plain exit code (timeout, abort, spawn error). */
  readonly reason?: string | undefined;
}

/**
 * A process exited non-zero, timed out, was aborted or could not be started.
 *
 * The message names the command, the exit code and the tail of its output, with
 * every secret redacted.
 *
 * @example Inspecting a failure
 * ```ts
 * import assert from "node:assert/strict";
 * import { CommandError } from "@bosun/sdk";
 * const err = new CommandError({ argv: ["kind", "get", "clusters"], code: 1, stdout: "", stderr: "boom" });
 * assert.equal(err.code, 1);
 * assert.ok(err.message.includes("boom"));
 * ```
 */
export class CommandError extends Error {
  /** The argv, redacted. */
  readonly argv: readonly string[];
  /** Exit code, or `undefined` when killed by a signal or never started. */
  readonly code: number | undefined;
  /** Signal name when the process was killed by one. */
  readonly signal: string | undefined;
  /** Tail of standard output, redacted. */
  readonly stdout: string;
  /** Tail of standard error, redacted. */
  readonly stderr: string;

  /** Builds the error and its message from what the command left behind. */
  constructor(init: CommandErrorInit, options?: ErrorOptions) {
    const what = init.reason ??
      (init.signal ? `was killed by ${init.signal}` : `exited with code ${init.code}`);
    const tail = init.stderr.trim() || init.stdout.trim();
    super(
      `Command \`${init.argv.join(" ")}\` ${what}${tail ? `:\n${indent(tail)}` : ""}`,
      options,
    );
    this.name = "CommandError";
    this.argv = init.argv;
    this.code = init.code;
    this.signal = init.signal;
    this.stdout = init.stdout;
    this.stderr = init.stderr;
  }
}

/** Fields of a {@linkcode ToolNotFoundError}. */
export interface ToolNotFoundErrorInit {
  /** The tool's name, as on PATH. */
  readonly tool: string;
  /** The version found, when the tool exists but is too old. */
  readonly found?: string | undefined;
  /** The minimum version required. */
  readonly minimum?: string | undefined;
  /**
   * When the tool runs but its version cannot be read: the command that was asked
   * (`kind version`) and what it printed.
   */
  readonly unreadableVersion?: { readonly command: string; readonly output: string } | undefined;
  /** How to install the tool. */
  readonly hint: string;
}

/**
 * A required external tool is missing, older than required, or does not say which
 * version it is.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ToolNotFoundError } from "@bosun/sdk";
 * const err = new ToolNotFoundError({ tool: "kind", minimum: "0.20.0", hint: "Install kind." });
 * assert.equal(err.message, "kind is not installed (need 0.20.0 or newer). Install kind.");
 * ```
 */
export class ToolNotFoundError extends Error {
  /** The tool's name. */
  readonly tool: string;
  /** The version found, or `undefined` when the tool is missing or its version unreadable. */
  readonly found: string | undefined;
  /** The minimum version required, when there is one. */
  readonly minimum: string | undefined;
  /** What the version command printed, when no version could be read from it. */
  readonly versionOutput: string | undefined;
  /** How to install the tool. */
  readonly hint: string;

  /** Builds the error and its message. */
  constructor(init: ToolNotFoundErrorInit) {
    const need = init.minimum ? ` (need ${init.minimum} or newer)` : "";
    let head: string;
    if (init.unreadableVersion !== undefined) {
      const { command, output } = init.unreadableVersion;
      const shown = output.trim().split("\n").slice(0, 3).join(" | ").slice(0, 200);
      head = `Cannot read ${init.tool}'s version from \`${command}\` output ` +
        `${shown ? JSON.stringify(shown) : "(it printed nothing)"}${need}`;
    } else if (init.found === undefined) head = `${init.tool} is not installed${need}`;
    else head = `${init.tool} ${init.found} is too old${need}`;
    super(`${head}. ${init.hint}`);
    this.name = "ToolNotFoundError";
    this.tool = init.tool;
    this.found = init.found;
    this.minimum = init.minimum;
    this.versionOutput = init.unreadableVersion?.output;
    this.hint = init.hint;
  }
}

function indent(text: string): string {
  return text.split("\n").map((l) => `  ${l}`).join("\n");
}
