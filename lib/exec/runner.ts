/**
 * The one process seam: every external program Bosun starts goes through a
 * {@linkcode Runner}.
 *
 * @module
 */

import { CommandError, OUTPUT_TAIL_CHARS } from "./errors.ts";
import { redact, redactArgv } from "./redact.ts";

/** Options for {@linkcode Runner.run}. */
export interface RunOptions {
  /** Working directory. @default the current directory */
  readonly cwd?: string;
  /** Extra environment variables, merged over the current environment. */
  readonly env?: Readonly<Record<string, string>>;
  /**
   * Text or bytes written to standard input, which is then closed. Written while the output is
   * read, so input of any size reaches a child that answers as it reads.
   */
  readonly stdin?: string | Uint8Array;
  /** Connect stdin/stdout/stderr to the terminal (editors, interactive tools). @default false */
  readonly inherit?: boolean;
  /** Kill the process after this many milliseconds and throw. */
  readonly timeoutMs?: number;
  /** Kill the process when this signal aborts. */
  readonly signal?: AbortSignal;
  /** Throw a {@linkcode CommandError} on a non-zero exit. @default true */
  readonly throwOnError?: boolean;
  /** Values to redact from argv, output and errors (tokens, passwords). */
  readonly secrets?: readonly string[];
}

/** What a finished process left behind. */
export interface RunResult {
  /** The argv as run, redacted for display. */
  readonly argv: readonly string[];
  /** Exit code (`-1` when killed by a signal). */
  readonly code: number;
  /** Whether the exit code was 0. */
  readonly success: boolean;
  /** Standard output, decoded as UTF-8. Empty when `inherit` is set. */
  readonly stdout: string;
  /** Standard error, decoded as UTF-8. Empty when `inherit` is set. */
  readonly stderr: string;
  /** Wall time in milliseconds. */
  readonly durationMs: number;
}

/** Options for {@linkcode Runner.spawn}: long-running processes such as servers. */
export interface SpawnOptions {
  /** Working directory. */
  readonly cwd?: string;
  /** Extra environment variables, merged over the current environment. */
  readonly env?: Readonly<Record<string, string>>;
  /** File that receives stdout and stderr (appended). @default discarded */
  readonly logFile?: string;
}

/** A process started by {@linkcode Runner.spawn}. */
export interface SpawnedProcess {
  /** Operating-system process id. */
  readonly pid: number;
  /** The argv, redacted. */
  readonly argv: readonly string[];
  /** Resolves with the exit code once the process ends. */
  readonly exited: Promise<number>;
  /** Sends a signal to the process. @default "SIGTERM" */
  kill(signal?: Deno.Signal): void;
}

/**
 * Starts processes. The default implementation is {@linkcode defaultRunner};
 * tests pass a recording runner from `@bosun/sdk/testing`.
 */
export interface Runner {
  /** Runs `cmd` with `args` to completion and captures its output. */
  run(cmd: string, args: readonly string[], options?: RunOptions): Promise<RunResult>;
  /** Starts `cmd` in the background and returns a handle to it. */
  spawn(cmd: string, args: readonly string[], options?: SpawnOptions): SpawnedProcess;
}

const decoder = new TextDecoder();

function tail(text: string): string {
  return text.length > OUTPUT_TAIL_CHARS ? `…${text.slice(-OUTPUT_TAIL_CHARS)}` : text;
}

/** Writes `bytes` to a child's stdin and closes it; a child that exits first is not an error. */
async function writeAll(stdin: WritableStream<Uint8Array>, bytes: Uint8Array): Promise<void> {
  const writer = stdin.getWriter();
  try {
    await writer.write(bytes);
    await writer.close();
  } catch {
    // The child closed its stdin (exited, or does not read it): its exit status tells the rest.
    await writer.abort().catch(() => {});
  }
}

/** Reads a stream to its end and decodes it as UTF-8. */
async function collect(stream: ReadableStream<Uint8Array>): Promise<string> {
  return decoder.decode(await new Response(stream).arrayBuffer());
}

/** A {@linkcode Runner} over `Deno.Command`. */
export class DenoRunner implements Runner {
  /** Runs a command; see {@linkcode Runner.run}. */
  async run(cmd: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
    const secrets = options.secrets ?? [];
    const shown = redactArgv([cmd, ...args], secrets);
    const started = performance.now();
    const controller = new AbortController();
    let reason: string | undefined;
    const onAbort = () => {
      reason ??= "was aborted";
      controller.abort();
    };
    options.signal?.addEventListener("abort", onAbort, { once: true });
    const timer = options.timeoutMs === undefined ? undefined : setTimeout(() => {
      reason = `timed out after ${options.timeoutMs} ms`;
      controller.abort();
    }, options.timeoutMs);
    try {
      if (options.signal?.aborted) onAbort();
      const inherit = options.inherit === true;
      let child: Deno.ChildProcess;
      try {
        child = new Deno.Command(cmd, {
          args: [...args],
          ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
          ...(options.env === undefined ? {} : { env: { ...options.env } }),
          stdin: options.stdin !== undefined ? "piped" : inherit ? "inherit" : "null",
          stdout: inherit ? "inherit" : "piped",
          stderr: inherit ? "inherit" : "piped",
          signal: controller.signal,
        }).spawn();
      } catch (cause) {
        throw new CommandError({
          argv: shown,
          code: undefined,
          stdout: "",
          stderr: "",
          reason: `could not be started: ${cause instanceof Error ? cause.message : cause}`,
        }, { cause });
      }
      // stdin is written while stdout and stderr are read: a child that answers as it reads
      // (cat, kubectl apply -f -) would otherwise fill its output pipe and stop reading.
      const feed = options.stdin === undefined ? Promise.resolve() : writeAll(
        child.stdin,
        typeof options.stdin === "string" ? new TextEncoder().encode(options.stdin) : options.stdin,
      );
      const out = inherit
        ? await Promise.all([child.status, feed]).then(([s]) => ({
          code: s.code,
          signal: s.signal,
          stdout: "",
          stderr: "",
        }))
        : await Promise.all([
          child.status,
          collect(child.stdout),
          collect(child.stderr),
          feed,
        ]).then(([s, stdout, stderr]) => ({ code: s.code, signal: s.signal, stdout, stderr }));
      const result: RunResult = {
        argv: shown,
        code: out.signal ? -1 : out.code,
        success: out.code === 0 && !out.signal && reason === undefined,
        stdout: out.stdout,
        stderr: out.stderr,
        durationMs: performance.now() - started,
      };
      if (reason !== undefined || (!result.success && options.throwOnError !== false)) {
        throw new CommandError({
          argv: shown,
          code: out.signal ? undefined : out.code,
          signal: out.signal ?? undefined,
          stdout: tail(redact(out.stdout, secrets)),
          stderr: tail(redact(out.stderr, secrets)),
          reason,
        });
      }
      return result;
    } finally {
      if (timer !== undefined) clearTimeout(timer);
      options.signal?.removeEventListener("abort", onAbort);
    }
  }

  /** Starts a background process; see {@linkcode Runner.spawn}. */
  spawn(cmd: string, args: readonly string[], options: SpawnOptions = {}): SpawnedProcess {
    let log: Deno.FsFile | undefined;
    if (options.logFile !== undefined) {
      log = Deno.openSync(options.logFile, { append: true, create: true, write: true });
    }
    const child = new Deno.Command(cmd, {
      args: [...args],
      ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
      ...(options.env === undefined ? {} : { env: { ...options.env } }),
      stdin: "null",
      stdout: log ? "piped" : "null",
      stderr: log ? "piped" : "null",
    }).spawn();
    const pumps: Promise<void>[] = [];
    if (log) {
      const file = log;
      const pump = async (stream: ReadableStream<Uint8Array>) => {
        for await (const chunk of stream) await file.write(chunk).catch(() => 0);
      };
      pumps.push(pump(child.stdout), pump(child.stderr));
    }
    const exited = child.status.then(async (s) => {
      await Promise.allSettled(pumps);
      log?.close();
      return s.signal ? -1 : s.code;
    });
    return {
      pid: child.pid,
      argv: redactArgv([cmd, ...args]),
      exited,
      kill(signal: Deno.Signal = "SIGTERM") {
        try {
          child.kill(signal);
        } catch {
          // already gone
        }
      },
    };
  }
}

/** The runner used when none is given. */
export const defaultRunner: Runner = new DenoRunner();
