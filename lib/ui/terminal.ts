/**
 * Reporters that print: a terminal reporter (spinner on a TTY, plain lines
 * otherwise or under `NO_COLOR`) and a JSON-events reporter.
 *
 * @module
 */

import type { LogLevel, Reporter, Step } from "./reporter.ts";

/** Where a reporter writes. */
export interface ReporterSink {
  /** Writes text (no newline is added). */
  write(text: string): void;
  /** Whether the sink is an interactive terminal. */
  readonly isTerminal: boolean;
}

/** Options for {@linkcode createTerminalReporter}. */
export interface TerminalReporterOptions {
  /** Where to write. @default standard error */
  readonly sink?: ReporterSink;
  /** Use colours and a spinner. @default the sink is a terminal and `NO_COLOR` is unset */
  readonly fancy?: boolean;
  /** Print debug messages. @default false */
  readonly verbose?: boolean;
  /** Print only failures and warnings. @default false */
  readonly quiet?: boolean;
  /** Clock used for durations (tests pass a fake one). @default performance.now */
  readonly now?: () => number;
}

const encoder = new TextEncoder();

/** Standard error as a {@linkcode ReporterSink}. */
export const stderrSink: ReporterSink = {
  write: (text) => void Deno.stderr.writeSync(encoder.encode(text)),
  get isTerminal() {
    return Deno.stderr.isTerminal();
  },
};

/**
 * Formats a duration in milliseconds for people: `850ms`, `4.2s`, `2m05s`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatDuration } from "@bosun/sdk";
 * assert.equal(formatDuration(4200), "4.2s");
 * assert.equal(formatDuration(125000), "2m05s");
 * ```
 */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
}

const FRAMES = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : error === undefined ? "" : String(error);
}

/**
 * Creates a reporter for people: `✓ Creating cluster (12.3s)` lines, nested
 * steps indented, a spinner for the running step when the sink is a terminal,
 * and no ANSI codes when it is not or when `NO_COLOR` is set.
 *
 * @param options Sink, verbosity and clock.
 * @returns The reporter.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createTerminalReporter } from "@bosun/sdk";
 * let out = "";
 * const reporter = createTerminalReporter({ sink: { write: (t) => void (out += t), isTerminal: false } });
 * reporter.step("Pulling images").succeed();
 * assert.ok(out.startsWith("✓ Pulling images"));
 * ```
 */
export function createTerminalReporter(options: TerminalReporterOptions = {}): Reporter {
  const sink = options.sink ?? stderrSink;
  const noColor = (() => {
    try {
      return Deno.env.get("NO_COLOR") !== undefined;
    } catch {
      return false;
    }
  })();
  const fancy = options.fancy ?? (sink.isTerminal && !noColor);
  const now = options.now ?? (() => performance.now());
  const paint = (code: string, text: string) => fancy ? `\x1b[${code}m${text}\x1b[0m` : text;
  const running = new Set<{ title: string; depth: number; detail: string }>();
  let frame = 0;
  let timer: ReturnType<typeof setInterval> | undefined;
  let spinnerShown = false;

  const clearSpinner = () => {
    if (spinnerShown) sink.write("\r\x1b[2K");
    spinnerShown = false;
  };
  const drawSpinner = () => {
    const last = [...running].at(-1);
    if (!last) return;
    clearSpinner();
    const text = `${"  ".repeat(last.depth)}${
      paint("36", FRAMES[frame++ % FRAMES.length]!)
    } ${last.title}${last.detail ? paint("2", ` — ${last.detail}`) : ""}`;
    sink.write(text.slice(0, 200));
    spinnerShown = true;
  };
  const print = (line: string) => {
    clearSpinner();
    sink.write(`${line}\n`);
    if (fancy && running.size > 0) drawSpinner();
  };
  const ensureTimer = () => {
    if (!fancy) return;
    if (running.size > 0 && timer === undefined) {
      const id = setInterval(drawSpinner, 80);
      Deno.unrefTimer(id as unknown as number);
      timer = id;
    } else if (running.size === 0 && timer !== undefined) {
      clearInterval(timer);
      timer = undefined;
      clearSpinner();
    }
  };
  const log = (depth: number, level: LogLevel, message: string) => {
    if (level === "debug" && !options.verbose) return;
    if (level === "info" && options.quiet) return;
    const mark = level === "warn" ? paint("33", "!") : paint("2", "·");
    print(`${"  ".repeat(depth)}${mark} ${message}`);
  };

  const makeStep = (title: string, depth: number): Step => {
    const started = now();
    const entry = { title, depth, detail: "" };
    running.add(entry);
    ensureTimer();
    let ended = false;
    const end = (mark: string, suffix: string, show: boolean) => {
      if (ended) return;
      ended = true;
      running.delete(entry);
      if (show) print(`${"  ".repeat(depth)}${mark} ${title}${suffix}`);
      ensureTimer();
    };
    return {
      succeed(note) {
        const took = paint("2", ` (${formatDuration(now() - started)})`);
        end(paint("32", "✓"), `${note ? ` — ${note}` : ""}${took}`, !options.quiet);
      },
      fail(error) {
        const why = errorText(error).split("\n")[0];
        const took = paint("2", ` (${formatDuration(now() - started)})`);
        end(paint("31", "✗"), `${took}${why ? `: ${why}` : ""}`, true);
      },
      skip(reason) {
        end(paint("2", "-"), paint("2", ` (skipped: ${reason})`), !options.quiet);
      },
      update(detail) {
        entry.detail = detail;
        if (!fancy && options.verbose) log(depth + 1, "debug", detail);
      },
      step: (child) => makeStep(child, depth + 1),
      log: (level, message) => log(depth + 1, level, message),
    };
  };

  return {
    step: (title) => makeStep(title, 0),
    log: (level, message) => log(0, level, message),
  };
}

/** One event of {@linkcode createJsonReporter}. */
export interface ReporterEvent {
  /** What happened. */
  readonly event: "start" | "succeed" | "fail" | "skip" | "update" | "log";
  /** Step id (`1`, `1.2`), absent for top-level logs. */
  readonly id?: string;
  /** Step title. */
  readonly title?: string;
  /** Milliseconds since the step started, on end events. */
  readonly durationMs?: number;
  /** Note, detail, reason, log message or error message. */
  readonly message?: string;
  /** Log level, on log events. */
  readonly level?: LogLevel;
}

/**
 * Creates a reporter that emits one JSON object per line for each event.
 *
 * @param emit Receives each event. @default writes a line to standard error
 * @returns The reporter.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createJsonReporter, type ReporterEvent } from "@bosun/sdk";
 * const events: ReporterEvent[] = [];
 * createJsonReporter((e) => events.push(e)).step("Apply").succeed();
 * assert.equal(events.map((e) => e.event).join(), "start,succeed");
 * ```
 */
export function createJsonReporter(
  emit: (event: ReporterEvent) => void = (e) => stderrSink.write(`${JSON.stringify(e)}\n`),
): Reporter {
  let counter = 0;
  const makeStep = (title: string, id: string): Step => {
    const started = performance.now();
    let children = 0;
    let ended = false;
    emit({ event: "start", id, title });
    const end = (event: "succeed" | "fail" | "skip", message?: string) => {
      if (ended) return;
      ended = true;
      emit({
        event,
        id,
        title,
        durationMs: Math.round(performance.now() - started),
        ...(message ? { message } : {}),
      });
    };
    return {
      succeed: (note) => end("succeed", note),
      fail: (error) => end("fail", errorText(error)),
      skip: (reason) => end("skip", reason),
      update: (detail) => emit({ event: "update", id, title, message: detail }),
      step: (child) => makeStep(child, `${id}.${++children}`),
      log: (level, message) => emit({ event: "log", id, level, message }),
    };
  };
  return {
    step: (title) => makeStep(title, String(++counter)),
    log: (level, message) => emit({ event: "log", level, message }),
  };
}
