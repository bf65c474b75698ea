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

/**
 * Answers a recorded call. Returning `undefined` means "not expected": the runner then
 * throws {@linkcode UnexpectedCallError}, unless the test opted in to a `fallback`.
 * Return `{}` to answer success with no output. A handler may also throw
 * `UnexpectedCallError(cmd, args, reason)` itself to refuse a call and say why; it is
 * recorded in {@linkcode RecordingRunner.unexpected} like the others.
 */
export type FakeHandler = (
  cmd: string,
  args: readonly string[],
) => FakeResult | undefined | Promise<FakeResult | undefined>;

/** Options of {@linkcode RecordingRunner}. */
export interface RecordingRunnerOptions {
  /**
   * The answer to a call the handler does not answer. Without it such a call throws
   * {@linkcode UnexpectedCallError}: a test says which calls it expects. @default undefined
   */
  readonly fallback?: FakeResult;
}

/**
 * A {@linkcode RecordingRunner} was asked to run something its handler does not answer and no
 * `fallback` was given. Not a {@linkcode CommandError}: code that tolerates a failing command
 * does not swallow it, and the test fails.
 */
export class UnexpectedCallError extends Error {
  /** The command. */
  readonly cmd: string;
  /** Its arguments. */
  readonly args: readonly string[];

  /**
   * Builds the error naming the call.
   *
   * @param cmd The command.
   * @param args Its arguments.
   * @param reason Why the handler refuses it. @default "the handler does not answer it"
   */
  constructor(cmd: string, args: readonly string[], reason?: string) {
    super(
      `RecordingRunner: unexpected call \`${[cmd, ...args].join(" ")}\`: ${
        reason ?? "the handler does not answer it"
      }; answer it in the handler (return {} for success) or pass { fallback: {} }`,
    );
    this.name = "UnexpectedCallError";
    this.cmd = cmd;
    this.args = args;
  }
}

/**
 * Records every call and answers with `handler`. A call the handler does not answer
 * (returns `undefined`) throws {@linkcode UnexpectedCallError} and is listed in
 * {@linkcode RecordingRunner.unexpected}, unless `options.fallback` gives a default.
 * Non-zero answers throw {@linkcode CommandError} like the real runner.
 *
 * @example Answering the calls a test expects
 * ```ts
 * import assert from "node:assert/strict";
 * import { RecordingRunner, UnexpectedCallError } from "@bosun/sdk/testing";
 * const runner = new RecordingRunner((cmd, args) =>
 *   cmd === "kind" && args[0] === "get" ? { stdout: "dev\n" } : undefined
 * );
 * const out = await runner.run("kind", ["get", "clusters"]);
 * assert.equal(out.stdout, "dev\n");
 * await assert.rejects(runner.run("docker", ["rm", "-f", "x"]), UnexpectedCallError);
 * assert.deepEqual(runner.lines, ["kind get clusters", "docker rm -f x"]);
 * assert.deepEqual(runner.unexpected.map((c) => c.cmd), ["docker"]);
 * ```
 *
 * @example Opting in to a default answer
 * ```ts
 * import assert from "node:assert/strict";
 * import { RecordingRunner } from "@bosun/sdk/testing";
 * const runner = new RecordingRunner(() => undefined, { fallback: {} });
 * assert.equal((await runner.run("docker", ["ps"])).code, 0);
 * ```
 */
export class RecordingRunner implements Runner {
  /** Every call, in order (unexpected ones included). */
  readonly calls: RecordedCall[] = [];
  /** The calls the handler did not answer (each also threw, unless a fallback answered it). */
  readonly unexpected: RecordedCall[] = [];
  readonly #handler: FakeHandler;
  readonly #fallback: FakeResult | undefined;

  /**
   * Creates a runner answering with `handler`.
   *
   * @param handler Answers each call; `undefined` means the call was not expected.
   * @param options A `fallback` answer for calls the handler does not answer.
   */
  constructor(handler: FakeHandler = () => undefined, options: RecordingRunnerOptions = {}) {
    this.#handler = handler;
    this.#fallback = options.fallback;
  }

  /** The calls as shell-like lines (`kind create cluster --name dev`). */
  get lines(): string[] {
    return this.calls.map((c) => [c.cmd, ...c.args].join(" "));
  }

  /** Records and answers a call; see {@linkcode Runner.run}. */
  async run(cmd: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
    const call = { cmd, args: [...args], options, spawned: false };
    this.calls.push(call);
    const answer = await this.#answer(call);
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

  /**
   * Records a background process, answered by the handler like {@linkcode RecordingRunner.run}:
   * it exits at once with the answer's code.
   *
   * @throws {UnexpectedCallError} When the handler does not answer it and there is no fallback
   *   (from `exited` when the handler answers asynchronously).
   */
  spawn(cmd: string, args: readonly string[], options: SpawnOptions = {}): SpawnedProcess {
    const call = { cmd, args: [...args], options, spawned: true };
    this.calls.push(call);
    const refused = (error: unknown): never => {
      if (error instanceof UnexpectedCallError) this.unexpected.push(call);
      throw error;
    };
    let answer: ReturnType<FakeHandler>;
    try {
      answer = this.#handler(cmd, args);
    } catch (error) {
      refused(error);
    }
    const exited = answer! instanceof Promise
      ? answer.then((a) => this.#settle(call, a).code ?? 0, refused)
      : Promise.resolve(this.#settle(call, answer!).code ?? 0);
    return { pid: 0, argv: [cmd, ...args], exited, kill() {} };
  }

  async #answer(call: RecordedCall): Promise<FakeResult> {
    let answer: FakeResult | undefined;
    try {
      answer = await this.#handler(call.cmd, call.args);
    } catch (error) {
      if (error instanceof UnexpectedCallError) this.unexpected.push(call);
      throw error;
    }
    return this.#settle(call, answer);
  }

  #settle(call: RecordedCall, answer: FakeResult | undefined): FakeResult {
    if (answer !== undefined) return answer;
    this.unexpected.push(call);
    if (this.#fallback === undefined) throw new UnexpectedCallError(call.cmd, call.args);
    return this.#fallback;
  }
}
