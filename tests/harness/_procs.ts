// Private helpers: starting logged server processes through the Runner, stopping them, free
// loopback ports, and making sure nothing is left behind (test failure, SIGINT/SIGTERM, exit,
// or a previous run that was killed hard).

import { defaultRunner, type Runner, type SpawnedProcess, which } from "../../lib/exec/mod.ts";

/** A server process started by the harness. */
export interface Managed {
  /** Component name ("etcd", "kube-apiserver", …). */
  readonly name: string;
  /** Process id (the component itself: the wrapper execs it). */
  readonly pid: number;
  /** Absolute path of the executable (used to recognise it again by pid). */
  readonly cmd: string;
  /** Where stdout and stderr go. */
  readonly logFile: string;
  /** The Runner's handle, when started by this process. */
  readonly handle?: SpawnedProcess;
}

/** The testenv state directory. */
export function stateDir(): string {
  return `${Deno.env.get("HOME") ?? "/tmp"}/.cache/bosun/testenv`;
}

/** Whether anything (file, directory, /proc entry) is at a path. */
export function exists(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}

let setsidPath: string | undefined | null = null;

/**
 * Starts `cmd` in its own session with output appended to `logFile`. The process keeps running
 * if this Deno process exits (that is how `testenv up` detaches); the harness kills it on exit
 * unless it was told to detach.
 */
export async function spawnLogged(
  name: string,
  cmd: string,
  args: readonly string[],
  opts: { readonly logFile: string; readonly cwd?: string; readonly runner?: Runner },
): Promise<Managed> {
  if (setsidPath === null) setsidPath = await which("setsid");
  const runner = opts.runner ?? defaultRunner;
  const script = 'exec "$0" "$@" >>"$BOSUN_LOG_FILE" 2>&1 </dev/null';
  const argv = ["sh", "-c", script, cmd, ...args];
  const [bin, ...rest] = setsidPath ? [setsidPath, ...argv] : argv;
  const handle = runner.spawn(bin!, rest, {
    env: { BOSUN_LOG_FILE: opts.logFile },
    ...(opts.cwd === undefined ? {} : { cwd: opts.cwd }),
  });
  const managed: Managed = { name, pid: handle.pid, cmd, logFile: opts.logFile, handle };
  track(managed);
  return managed;
}

/** Whether `pid` is alive and still runs `cmd` (guards against pid reuse). */
export function isRunning(pid: number, cmd?: string): boolean {
  try {
    const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
    const state = stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
    if (state === "Z" || state === "X") return false;
    if (cmd === undefined) return true;
    const argv0 = Deno.readTextFileSync(`/proc/${pid}/cmdline`).split("\0")[0] ?? "";
    return argv0 === cmd || argv0.endsWith(`/${cmd.split("/").pop()}`);
  } catch {
    return false;
  }
}

function signal(pid: number, sig: Deno.Signal): void {
  try {
    Deno.kill(pid, sig);
  } catch {
    // already gone
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Stops processes one at a time in the order given (dependents first): SIGTERM, then SIGKILL
 * after `graceMs`. Sequential on purpose: an apiserver whose etcd is already gone hangs in
 * its graceful shutdown.
 */
export async function stopAll(procs: readonly Managed[], graceMs = 10_000): Promise<void> {
  for (const p of procs) {
    if (p.handle) p.handle.kill("SIGTERM");
    else if (isRunning(p.pid, p.cmd)) signal(p.pid, "SIGTERM");
    const deadline = Date.now() + graceMs;
    while (isRunning(p.pid, p.cmd) && Date.now() < deadline) await sleep(20);
    if (isRunning(p.pid, p.cmd)) signal(p.pid, "SIGKILL");
    while (isRunning(p.pid, p.cmd)) await sleep(20);
    if (p.handle) await p.handle.exited;
    untrack(p);
  }
}

/** Waits until `check` returns a value (not undefined), polling; throws on timeout. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined>,
  opts: {
    readonly timeoutMs: number;
    readonly intervalMs?: number;
    readonly failFast?: () => string | undefined;
  },
): Promise<T> {
  const deadline = Date.now() + opts.timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    const fatal = opts.failFast?.();
    if (fatal !== undefined) throw new TestEnvError(`Cannot start the test environment: ${fatal}`);
    try {
      const v = await check();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    await sleep(opts.intervalMs ?? 200);
  }
  const detail = last instanceof Error ? `: ${last.message}` : "";
  throw new TestEnvError(
    `Cannot start the test environment: timed out waiting for ${what}${detail}`,
  );
}

/** Raised when the test environment cannot start or stop. */
export class TestEnvError extends Error {
  /**
   * @param message What went wrong.
   * @param options Cause.
   */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "TestEnvError";
  }
}

/** Picks `n` distinct free TCP ports on 127.0.0.1. */
export function freePorts(n: number): number[] {
  const listeners = Array.from(
    { length: n },
    () => Deno.listen({ hostname: "127.0.0.1", port: 0 }),
  );
  const ports = listeners.map((l) => (l.addr as Deno.NetAddr).port);
  for (const l of listeners) l.close();
  return ports;
}

/** Tail of a log file, for error messages. */
export function logTail(file: string, lines = 15): string {
  try {
    return Deno.readTextFileSync(file).trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log)";
  }
}

// ---- process-exit safety net -------------------------------------------------------------

const live = new Set<Managed>();
let detached = false;
let installed = false;
const runFile = () => `${stateDir()}/owners/${Deno.pid}.json`;

function writeRunFile(): void {
  const file = runFile();
  if (live.size === 0) {
    try {
      Deno.removeSync(file);
    } catch { /* none */ }
    return;
  }
  Deno.mkdirSync(`${stateDir()}/owners`, { recursive: true });
  const body = JSON.stringify({
    owner: Deno.pid,
    processes: [...live].map(({ name, pid, cmd }) => ({ name, pid, cmd })),
  });
  Deno.writeTextFileSync(`${file}.tmp`, body);
  Deno.renameSync(`${file}.tmp`, file);
}

const cleanups = new Set<() => void>();

/** Registers a synchronous cleanup run at process exit (after the kills); returns its remover. */
export function onExitSync(fn: () => void): () => void {
  install();
  cleanups.add(fn);
  return () => cleanups.delete(fn);
}

function killAllNow(): void {
  if (detached) return;
  const victims = [...live].reverse();
  for (const p of victims) if (isRunning(p.pid, p.cmd)) signal(p.pid, "SIGKILL");
  live.clear();
  writeRunFile();
  for (const fn of cleanups) {
    try {
      fn();
    } catch {
      // best effort at exit
    }
  }
  cleanups.clear();
}

function install(): void {
  if (installed) return;
  installed = true;
  globalThis.addEventListener("unload", killAllNow);
  for (const sig of ["SIGINT", "SIGTERM"] as const) {
    try {
      Deno.addSignalListener(sig, () => {
        killAllNow();
        Deno.exit(sig === "SIGINT" ? 130 : 143);
      });
    } catch {
      // signals unsupported on this platform
    }
  }
}

function track(p: Managed): void {
  install();
  live.add(p);
  writeRunFile();
}

function untrack(p: Managed): void {
  live.delete(p);
  writeRunFile();
}

/** Stop killing the tracked processes when this process exits (for `testenv up`). */
export function detachAll(): void {
  detached = true;
  cleanups.clear();
  live.clear();
  writeRunFile();
}

/**
 * Kills processes left by earlier harness runs whose owner died without cleaning up
 * (for example after SIGKILL). Only pids still running the recorded executable are touched.
 */
export function reapOrphans(): void {
  let entries: Deno.DirEntry[];
  try {
    entries = [...Deno.readDirSync(`${stateDir()}/owners`)];
  } catch {
    return;
  }
  for (const e of entries) {
    const owner = Number(e.name.replace(/\.json$/, ""));
    if (!Number.isInteger(owner) || owner === Deno.pid || isRunning(owner)) continue;
    const file = `${stateDir()}/owners/${e.name}`;
    try {
      const data = JSON.parse(Deno.readTextFileSync(file)) as {
        processes: { pid: number; cmd: string }[];
      };
      for (const p of data.processes) if (isRunning(p.pid, p.cmd)) signal(p.pid, "SIGKILL");
      Deno.removeSync(file);
    } catch {
      // unreadable: leave it
    }
  }
}
