/**
 * The {@linkcode Reporter} contract: how long work tells the user what it is
 * doing. The library is silent unless it is given a reporter.
 *
 * @module
 */

/** Severity of a free-form message. */
export type LogLevel = "debug" | "info" | "warn";

/** A step in progress, returned by {@linkcode Reporter.step}. */
export interface Step {
  /** Ends the step successfully, optionally with a short note ("unchanged", "3 objects"). */
  succeed(note?: string): void;
  /** Ends the step as failed. */
  fail(error?: unknown): void;
  /** Ends the step as skipped, with the reason. */
  skip(reason: string): void;
  /** Updates the step's detail line (the spinner text on a terminal). */
  update(detail: string): void;
  /** Starts a nested step. */
  step(title: string): Step;
  /** Logs a message under this step. */
  log(level: LogLevel, message: string): void;
}

/** Receives progress from the library. */
export interface Reporter {
  /** Starts a top-level step. */
  step(title: string): Step;
  /** Logs a message outside any step. */
  log(level: LogLevel, message: string): void;
}

const silentStep: Step = {
  succeed() {},
  fail() {},
  skip() {},
  update() {},
  step: () => silentStep,
  log() {},
};

/** A reporter that reports nothing: the library's default. */
export const silentReporter: Reporter = {
  step: () => silentStep,
  log() {},
};

/**
 * Runs `work` inside a step of `reporter` (or `parent`), ending the step with ✓
 * on success and ✗ when `work` throws (the error is rethrown).
 *
 * @param parent The reporter or step to nest under.
 * @param title The step's title.
 * @param work The work; it receives the step to nest further steps under.
 * @returns What `work` returned.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { silentReporter, withStep } from "@bosun/sdk";
 * const n = await withStep(silentReporter, "Counting", () => Promise.resolve(3));
 * assert.equal(n, 3);
 * ```
 */
export async function withStep<T>(
  parent: Reporter | Step,
  title: string,
  work: (step: Step) => Promise<T>,
): Promise<T> {
  const step = parent.step(title);
  try {
    const value = await work(step);
    step.succeed();
    return value;
  } catch (error) {
    step.fail(error);
    throw error;
  }
}
