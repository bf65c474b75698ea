/**
 * The per-cluster lock: one lifecycle operation at a time on a cluster name.
 * The lock is the file `<state dir>.lock` beside the cluster's state directory
 * (`$BOSUN_HOME/clusters/<name>.lock`), created atomically with its full
 * content (a hard link of a finished temporary file), and holding the pid, the
 * host and the operation of its owner. A lock whose owner is gone — same host,
 * and no process with that pid (or one started later, so the pid was reused) —
 * is stale and taken over.
 *
 * @module
 */

import { ClusterLockedError, type ClusterOperation, type LockHolder } from "./errors.ts";

/** A held lock. */
export interface ClusterLock {
  /** The lock file. */
  readonly path: string;
  /** Removes the lock file, if it is still this holder's. Never throws. */
  release(): Promise<void>;
}

interface LockContent extends LockHolder {
  /** Tells this holder's file from a later one with the same pid. */
  readonly token: string;
}

/** The lock file of a cluster whose state directory is `stateDir`. */
export function lockPath(stateDir: string): string {
  return `${stateDir.replace(/\/+$/, "")}.lock`;
}

function hostname(): string {
  try {
    return Deno.hostname();
  } catch {
    return "unknown";
  }
}

/** The start time of a process, in clock ticks since boot (Linux), when it can be read. */
function startTime(pid: number): string | undefined {
  try {
    const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
    // Fields after the command name (which may hold spaces and parentheses); field 22 is starttime.
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19];
  } catch {
    return undefined;
  }
}

/** Whether the holder's process is still running (unknowable for another host: assumed so). */
function alive(holder: LockContent): boolean {
  if (holder.hostname !== hostname()) return true;
  if (holder.pid === Deno.pid) return true;
  let procfs = false;
  try {
    procfs = Deno.statSync("/proc/self/stat").isFile;
  } catch {
    procfs = false;
  }
  if (procfs) {
    const started = startTime(holder.pid);
    if (started === undefined) return false;
    return holder.started === undefined || holder.started === started;
  }
  // No procfs (macOS): signal 0 would tell, but Deno cannot send it; keep the lock.
  return true;
}

function read(path: string): LockContent | undefined {
  try {
    const value = JSON.parse(Deno.readTextFileSync(path)) as Partial<LockContent>;
    if (typeof value.pid !== "number" || typeof value.token !== "string") return undefined;
    return value as LockContent;
  } catch {
    return undefined;
  }
}

/**
 * Takes the cluster's lock, or fails at once when another run holds it.
 *
 * @param cluster The cluster name (for the error).
 * @param stateDir The cluster's state directory; the lock is `<stateDir>.lock`.
 * @param operation What this run does (recorded, and named in the other run's error).
 * @returns The lock; call `release()` when done.
 * @throws {ClusterLockedError} Another live process holds the lock; names it.
 */
export async function acquireClusterLock(
  cluster: string,
  stateDir: string,
  operation: ClusterOperation,
): Promise<ClusterLock> {
  const path = lockPath(stateDir);
  const dir = path.slice(0, path.lastIndexOf("/")) || "/";
  await Deno.mkdir(dir, { recursive: true, mode: 0o700 });
  const started = startTime(Deno.pid);
  const mine: LockContent = {
    pid: Deno.pid,
    hostname: hostname(),
    operation,
    since: new Date().toISOString(),
    ...(started === undefined ? {} : { started }),
    token: crypto.randomUUID(),
  };
  const tmp = `${path}.${mine.token.slice(0, 8)}.tmp`;
  await Deno.writeTextFile(tmp, JSON.stringify(mine), { mode: 0o600 });
  try {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        await Deno.link(tmp, path);
        return {
          path,
          release: async () => {
            if (read(path)?.token === mine.token) await Deno.remove(path).catch(() => {});
          },
        };
      } catch (error) {
        if (!(error instanceof Deno.errors.AlreadyExists)) throw error;
      }
      const holder = read(path);
      if (holder !== undefined && alive(holder)) {
        throw new ClusterLockedError(operation, cluster, path, holder);
      }
      if (holder === undefined) {
        // Being written right now, or not Bosun's: never taken over blindly.
        throw new ClusterLockedError(operation, cluster, path, undefined);
      }
      // Stale: move it aside, and only drop it when it is still the one judged stale.
      const aside = `${path}.${mine.token.slice(0, 8)}.stale`;
      try {
        await Deno.rename(path, aside);
      } catch {
        continue;
      }
      const moved = read(aside);
      if (moved?.token !== holder.token) {
        await Deno.link(aside, path).catch(() => {});
        await Deno.remove(aside).catch(() => {});
        throw new ClusterLockedError(operation, cluster, path, moved);
      }
      await Deno.remove(aside).catch(() => {});
    }
    throw new ClusterLockedError(operation, cluster, path, read(path));
  } finally {
    await Deno.remove(tmp).catch(() => {});
  }
}
