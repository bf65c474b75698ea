/**
 * The real-peer test harness: a live control plane ({@linkcode useTestEnv}), a live OCI
 * registry ({@linkcode useRegistry}), peer provisioning (`./peers.ts`), and the shared
 * environment the test task starts once for the whole run ({@linkcode startSharedEnvironment}).
 *
 * Shared environment variables (set by `tasks/test.ts`, or by hand after `deno task testenv up`):
 * - `BOSUN_TESTENV_KUBECONFIG`, `BOSUN_TESTENV_MODE` (`api` | `full`)
 * - `BOSUN_TEST_REGISTRY` (`127.0.0.1:<port>`)
 *
 * @module
 */

import { type Reporter, silentReporter } from "../../lib/ui/mod.ts";
import type { Runner } from "../../lib/exec/mod.ts";
import { connFromKubeconfig, kubeRequest } from "./_kube.ts";
import { isCI, peerPath } from "./peers.ts";
import { startRegistry, type TestRegistry } from "./registry.ts";
import { startTestEnv, type TestEnv, type TestEnvMode } from "./testenv.ts";

export * from "./peers.ts";
export { startRegistry, type StartRegistryOptions, type TestRegistry } from "./registry.ts";
export {
  startTestEnv,
  type StartTestEnvOptions,
  type TestEnv,
  TestEnvError,
  type TestEnvMode,
} from "./testenv.ts";
export { kubeRequest } from "./_kube.ts";

/** Options for {@linkcode useTestEnv}. */
export interface UseTestEnvOptions {
  /** `full` also runs controllers, scheduler and kwok. @default "api" */
  readonly mode?: TestEnvMode;
}

interface Shared<T> {
  promise: Promise<T>;
  refs: number;
}

const envs = new Map<TestEnvMode, Shared<TestEnv>>();
let registry: Shared<TestRegistry> | undefined;

async function reusedEnv(kubeconfig: string, mode: TestEnvMode): Promise<TestEnv> {
  const conn = await connFromKubeconfig(kubeconfig);
  const r = await kubeRequest(conn, "GET", "/version");
  const version = (r.body as { gitVersion?: string }).gitVersion ?? "unknown";
  return {
    kubeconfig,
    server: conn.server,
    version,
    mode,
    token: conn.token,
    caPem: conn.caPem,
    workDir: undefined,
    logsDir: undefined,
    processes: [],
    stop: () => Promise.resolve(),
  };
}

/**
 * A live test control plane. Reuses the one named by `BOSUN_TESTENV_KUBECONFIG` when it is set
 * (its `stop()` is then a no-op); otherwise starts one for this test process, shared by every
 * caller in it and stopped when the last caller calls `stop()` or the process exits.
 * Call it at module top level (guarded by `requirePeers`), not inside a test, so Deno's
 * op sanitizer does not count the server processes.
 *
 * @param options The mode needed (`full` satisfies `api` too).
 * @returns The environment.
 * @throws {PeerMissingError} When the binaries are not built.
 * @throws {TestEnvError} When it cannot start.
 *
 * @example
 * ```ts ignore
 * const peers = await requirePeers("kube-apiserver", "etcd");
 * const env = peers ? await useTestEnv({ mode: "api" }) : undefined;
 * ```
 */
export async function useTestEnv(options: UseTestEnvOptions = {}): Promise<TestEnv> {
  const mode = options.mode ?? "api";
  const sharedPath = Deno.env.get("BOSUN_TESTENV_KUBECONFIG");
  const sharedMode = (Deno.env.get("BOSUN_TESTENV_MODE") ?? "api") as TestEnvMode;
  if (sharedPath && (mode === "api" || sharedMode === "full")) {
    return await reusedEnv(sharedPath, sharedMode);
  }
  const key: TestEnvMode = mode === "api" && envs.has("full") ? "full" : mode;
  let shared = envs.get(key);
  if (!shared) {
    const promise = startTestEnv({ mode: key });
    shared = { promise, refs: 0 };
    envs.set(key, shared);
    promise.catch(() => envs.delete(key));
  }
  shared.refs++;
  const env = await shared.promise;
  const entry = shared;
  let released = false;
  return {
    ...env,
    stop: async () => {
      if (released) return;
      released = true;
      if (--entry.refs === 0) {
        envs.delete(key);
        await env.stop();
      }
    },
  };
}

/**
 * A live OCI registry. Reuses `BOSUN_TEST_REGISTRY` when set (its `stop()` is a no-op),
 * otherwise starts `docker-registry` for this process (shared, reference-counted).
 *
 * @returns `{host, url, stop()}`.
 * @throws {PeerMissingError} When docker-registry is not installed.
 *
 * @example
 * ```ts ignore
 * const reg = await useRegistry();
 * await fetch(`${reg.url}/v2/`);
 * ```
 */
export async function useRegistry(): Promise<TestRegistry> {
  const shared = Deno.env.get("BOSUN_TEST_REGISTRY");
  if (shared) {
    return {
      host: shared,
      url: `http://${shared}`,
      logFile: undefined,
      pid: undefined,
      stop: () => Promise.resolve(),
    };
  }
  if (!registry) {
    const promise = startRegistry();
    registry = { promise, refs: 0 };
    promise.catch(() => (registry = undefined));
  }
  registry.refs++;
  const entry = registry;
  const reg = await entry.promise;
  let released = false;
  return {
    ...reg,
    stop: async () => {
      if (released) return;
      released = true;
      if (--entry.refs === 0) {
        registry = undefined;
        await reg.stop();
      }
    },
  };
}

/** Options for {@linkcode startSharedEnvironment}. */
export interface SharedEnvironmentOptions {
  /** Progress output. @default silentReporter */
  readonly reporter?: Reporter;
  /** Process runner. @default defaultRunner */
  readonly runner?: Runner;
  /** Control-plane mode; by default `full` when its peers exist, else `api`. */
  readonly mode?: TestEnvMode;
}

/** What {@linkcode startSharedEnvironment} started. */
export interface SharedEnvironment {
  /** Environment variables to pass to the `deno test` subprocess. */
  readonly env: Readonly<Record<string, string>>;
  /** Human-readable notes on what could not be started (outside CI). */
  readonly skipped: readonly string[];
  /** Stops everything started. Idempotent. */
  stop(): Promise<void>;
}

/**
 * Starts one control plane and one registry for a whole test run, for `tasks/test.ts`.
 * Outside CI a missing peer only skips that part (and says so); under `CI=true` it throws.
 *
 * @param options Reporter, runner and mode.
 * @returns The variables to export to the tests and a stop function.
 * @throws {PeerMissingError} Under CI when a needed peer is missing.
 * @throws {TestEnvError} When a component fails to start.
 *
 * @example
 * ```ts ignore
 * await provisionPeers({ reporter });
 * const shared = await startSharedEnvironment({ reporter });
 * try { // run `deno test` with { env: shared.env } } finally { await shared.stop(); }
 * ```
 */
export async function startSharedEnvironment(
  options: SharedEnvironmentOptions = {},
): Promise<SharedEnvironment> {
  const reporter = options.reporter ?? silentReporter;
  const env: Record<string, string> = {};
  const skipped: string[] = [];
  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    while (stops.length) await stops.pop()!();
  };
  const has = async (...names: Parameters<typeof peerPath>[0][]) => {
    for (const n of names) if (await peerPath(n) === undefined) return false;
    return true;
  };
  try {
    const full = await has(
      "etcd",
      "kube-apiserver",
      "kube-controller-manager",
      "kube-scheduler",
      "kwok",
    );
    const api = full || await has("etcd", "kube-apiserver");
    const mode = options.mode ?? (full || isCI() ? "full" : "api");
    if ((mode === "full" ? full : api) || isCI()) {
      const te = await startTestEnv({
        mode,
        reporter,
        ...(options.runner ? { runner: options.runner } : {}),
      });
      stops.push(te.stop);
      env["BOSUN_TESTENV_KUBECONFIG"] = te.kubeconfig;
      env["BOSUN_TESTENV_MODE"] = te.mode;
    } else {
      skipped.push("control plane: kube-apiserver/etcd (or the full-mode peers) are not built");
    }
    if (await has("docker-registry") || isCI()) {
      const step = reporter.step("Starting test registry");
      try {
        const reg = await startRegistry(options.runner ? { runner: options.runner } : {});
        stops.push(reg.stop);
        env["BOSUN_TEST_REGISTRY"] = reg.host;
        step.succeed(reg.host);
      } catch (e) {
        step.fail(e);
        throw e;
      }
    } else {
      skipped.push("registry: docker-registry is not installed");
    }
  } catch (e) {
    await stop();
    throw e;
  }
  for (const s of skipped) reporter.log("warn", `shared test environment: ${s}`);
  return { env, skipped, stop };
}
