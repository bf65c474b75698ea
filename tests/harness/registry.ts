/**
 * A real OCI registry for tests: Debian's `docker-registry` (distribution 2.8) on a free
 * loopback port, plain HTTP, deletes enabled, temporary storage.
 *
 * @module
 */

import { stringify } from "yaml";
import type { Runner } from "../../lib/exec/mod.ts";
import {
  freePorts,
  isRunning,
  logTail,
  type Managed,
  onExitSync,
  spawnLogged,
  stateDir,
  stopAll,
  waitFor,
} from "./_procs.ts";
import { PeerMissingError, peerPath } from "./peers.ts";

/** A running registry. */
export interface TestRegistry {
  /** `127.0.0.1:<port>` (what image references use). */
  readonly host: string;
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** The registry's log file, or `undefined` when reused from elsewhere. */
  readonly logFile: string | undefined;
  /** The process id, or `undefined` when reused. */
  readonly pid: number | undefined;
  /** Stops the registry and removes its storage. Idempotent. */
  stop(): Promise<void>;
}

/** Options for {@linkcode startRegistry}. */
export interface StartRegistryOptions {
  /** Process runner. @default defaultRunner */
  readonly runner?: Runner;
  /** Readiness timeout. @default 30000 */
  readonly timeoutMs?: number;
}

/**
 * Starts `docker-registry` on 127.0.0.1 with a temporary config and storage.
 *
 * @param options Runner and timeout.
 * @returns The running registry.
 * @throws {PeerMissingError} When docker-registry is not installed.
 * @throws {TestEnvError} When it does not answer `/v2/` in time.
 *
 * @example
 * ```ts ignore
 * const reg = await startRegistry();
 * try { await fetch(`${reg.url}/v2/`); } finally { await reg.stop(); }
 * ```
 */
export async function startRegistry(options: StartRegistryOptions = {}): Promise<TestRegistry> {
  const bin = await peerPath("docker-registry");
  if (bin === undefined) {
    throw new PeerMissingError(
      ["docker-registry"],
      "Install it with `apt-get install docker-registry`.",
    );
  }
  const base = `${stateDir()}/registries`;
  Deno.mkdirSync(base, { recursive: true });
  const dir = Deno.makeTempDirSync({ dir: base });
  const [port] = freePorts(1) as [number];
  const config = `${dir}/config.yml`;
  Deno.writeTextFileSync(
    config,
    stringify({
      version: 0.1,
      log: { level: "warn", accesslog: { disabled: true } },
      storage: {
        filesystem: { rootdirectory: `${dir}/storage` },
        delete: { enabled: true },
        cache: { blobdescriptor: "inmemory" },
      },
      http: { addr: `127.0.0.1:${port}`, headers: { "X-Content-Type-Options": ["nosniff"] } },
    }),
  );
  const logFile = `${dir}/registry.log`;
  const proc: Managed = await spawnLogged("docker-registry", bin, ["serve", config], {
    logFile,
    ...(options.runner ? { runner: options.runner } : {}),
  });
  const removeDir = () => Deno.removeSync(dir, { recursive: true });
  const unregister = onExitSync(removeDir);
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await stopAll([proc], 5_000);
    unregister();
    removeDir();
  };
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitFor("docker-registry /v2/", async () => {
      const r = await fetch(`${url}/v2/`, { signal: AbortSignal.timeout(2000) });
      await r.body?.cancel();
      return r.status === 200 ? true : undefined;
    }, {
      timeoutMs: options.timeoutMs ?? 30_000,
      intervalMs: 100,
      failFast: () =>
        isRunning(proc.pid) ? undefined : `docker-registry exited:\n${logTail(logFile)}`,
    });
  } catch (e) {
    await stop();
    throw e;
  }
  return { host: `127.0.0.1:${port}`, url, logFile, pid: proc.pid, stop };
}
