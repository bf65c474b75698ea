/**
 * A {@linkcode Runner} that records every call and answers from a handler:
 * for tests of code that drives tools which cannot run here (Docker, kind).
 *
 * @module
 */

import { CommandError } from "./errors.ts";
import { redactArgv } from "./redact.ts";
import type { Runner, RunOptions, RunResult, SpawnedProcess, SpawnOptions } from "./runner.ts";

/** One recorded call. */
export interface RecordedCall {
  /** The command. */
  readonly cmd: string;
  /** Its arguments. */
  readonly args: readonly string[];
  /** The options it was run with. */
  readonly options: RunOptions | SpawnOptions;
  /** Whether it was `spawn` rather than `run`. */
  readonly spawned: boolean;
}

/** What a handler answers for a call; missing fields default to success with no output. */
export interface FakeResult {
  /** Exit code. @default 0 */
  readonly code?: number;
  /** Standard output. @default "" */
  readonly stdout?: string;
  /** Standard error. @default "" */
  readonly stderr?: string;
}

/** Answers a recorded call. */
export type FakeHandler = (
  cmd: string,
  args: readonly string[],
) => FakeResult | undefined | Promise<FakeResult | undefined>;

/**
 * Records every call and answers with `handler` (default: success, no output).
 * Non-zero answers throw {@linkcode CommandError} like the real runner.
 *
 * @example
 * ```ts
 * import { RecordingRunner } from "@bosun/sdk/testing";
 * const runner = new RecordingRunner((cmd, args) =>
 *   cmd === "kind" && args[0] === "get" ? { stdout: "dev\n" } : undefined
 * );
 * const out = await runner.run("kind", ["get", "clusters"]);
 * console.assert(out.stdout === "dev\n" && runner.calls.length === 1);
 * ```
 */
export class RecordingRunner implements Runner {
  /** Every call, in order. */
  readonly calls: RecordedCall[] = [];
  readonly #handler: FakeHandler;

  /** Creates a runner answering with `handler`. */
  constructor(handler: FakeHandler = () => undefined) {
    this.#handler = handler;
  }

  /** The calls as shell-like lines (`kind create cluster --name dev`). */
  get lines(): string[] {
    return this.calls.map((c) => [c.cmd, ...c.args].join(" "));
  }

  /** Records and answers a call; see {@linkcode Runner.run}. */
  async run(cmd: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
    this.calls.push({ cmd, args: [...args], options, spawned: false });
    const answer = (await this.#handler(cmd, args)) ?? {};
    const code = answer.code ?? 0;
    const argv = redactArgv([cmd, ...args], options.secrets ?? []);
    const result: RunResult = {
      argv,
      code,
      success: code === 0,
      stdout: answer.stdout ?? "",
      stderr: answer.stderr ?? "",
      durationMs: 0,
    };
    if (code !== 0 && options.throwOnError !== false) {
      throw new CommandError({ argv, code, stdout: result.stdout, stderr: result.stderr });
    }
    return result;
  }

  /** Records a background process that exits at once with code 0. */
  spawn(cmd: string, args: readonly string[], options: SpawnOptions = {}): SpawnedProcess {
    this.calls.push({ cmd, args: [...args], options, spawned: true });
    return { pid: 0, argv: [cmd, ...args], exited: Promise.resolve(0), kill() {} };
  }
}
