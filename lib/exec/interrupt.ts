/**
 * {@linkcode interruptible}: a Runner whose in-flight processes an interrupt stops, while the
 * cleanup that follows still runs.
 *
 * @module
 */

import type { Runner, RunOptions, RunResult, SpawnedProcess, SpawnOptions } from "./runner.ts";

/**
 * Wraps a runner so that `signal` kills every process started through it *before* the signal
 * aborted; processes started afterwards run normally. That is what an interrupted `bosun up`
 * needs: the step in flight (say `kind create cluster`) stops and fails, and the undo steps
 * that the failure triggers (`kind delete cluster`, `docker rm`) still run to completion.
 *
 * @param runner The runner to wrap.
 * @param signal Aborted on interrupt (for example on SIGINT).
 * @returns A runner with the same behaviour until `signal` aborts.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { defaultRunner, interruptible } from "@bosun/sdk";
 * const interrupt = new AbortController();
 * const runner = interruptible(defaultRunner, interrupt.signal);
 * const sleeping = runner.run("sleep", ["30"]);
 * interrupt.abort();
 * await assert.rejects(sleeping, /was aborted/); // killed: it was in flight
 * assert.equal((await runner.run("true", [])).success, true); // started after: runs
 * ```
 */
export function interruptible(runner: Runner, signal: AbortSignal): Runner {
  const merge = (own: AbortSignal | undefined): AbortSignal | undefined => {
    if (signal.aborted) return own;
    return own === undefined ? signal : AbortSignal.any([own, signal]);
  };
  return {
    run(cmd: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
      const s = merge(options.signal);
      return runner.run(cmd, args, s === undefined ? options : { ...options, signal: s });
    },
    spawn(cmd: string, args: readonly string[], options?: SpawnOptions): SpawnedProcess {
      const child = runner.spawn(cmd, args, options);
      if (!signal.aborted) {
        const stop = () => child.kill("SIGTERM");
        signal.addEventListener("abort", stop, { once: true });
        child.exited.finally(() => signal.removeEventListener("abort", stop));
      }
      return child;
    },
  };
}
