/**
 * The Docker engine and the offline images for the real Kind e2e tests.
 *
 * {@linkcode provisionDocker} uses an engine that already answers as it is (never reconfigured).
 * When none answers, it installs Debian's `docker.io` (as root), starts `dockerd` itself with its
 * log under `~/.cache/bosun/docker/`, builds the images (`tools/build-images.sh`), and probes
 * `docker run --privileged`. Only when that probe fails for missing capabilities (our VMs lack
 * `CAP_SYS_RESOURCE` in every bounding set) and only on the engine it started, it restarts that
 * engine with Bosun's runtime wrapper (`tools/images/runtime-wrapper`) as the default runtime.
 * `stop()` stops an engine it started and restores the host sysctls that kind's kubelets change.
 *
 * @module
 */

import { defaultRunner, type Runner, which } from "../../lib/exec/mod.ts";
import { type Reporter, silentReporter } from "../../lib/ui/mod.ts";
import { isRunning, logTail, spawnLogged, waitFor } from "./_procs.ts";
import { isCI, REPO_ROOT } from "./peers.ts";

/** The workload image the e2e tests run (built by tools/build-images.sh). */
export const E2E_IMAGE = "bosun.test/busybox:1";
/** The kind node image tools/build-images.sh builds. */
export const E2E_NODE_IMAGE = "kindest/node:v1.36.3";
/** Name prefix of every cluster the e2e tests create (the reaper removes leftovers by it). */
export const E2E_PREFIX = "bosun-e2e";

/** Host sysctls that the kubelet inside privileged kind nodes changes. */
const SYSCTLS = [
  "vm/overcommit_memory",
  "kernel/panic",
  "kernel/panic_on_oops",
  "fs/inotify/max_user_instances",
  "fs/inotify/max_user_watches",
];
/**
 * What kind's known-issues page asks of the host ("too many open files" otherwise: kube-proxy
 * and kubelets exhaust the default 128 inotify instances). Raised while the e2e tests run.
 */
const INOTIFY_MINIMUM: Readonly<Record<string, number>> = {
  "fs/inotify/max_user_instances": 512,
  "fs/inotify/max_user_watches": 524288,
};
const RUNTIME = "bosun-runc";

/** What {@linkcode provisionDocker} set up. */
export interface DockerEngine {
  /** Whether an engine answers and privileged containers run: the e2e tests can run. */
  readonly ready: boolean;
  /** Why not, when not ready. */
  readonly reason?: string;
  /** Whether this process started dockerd (and will stop it). */
  readonly started: boolean;
  /** Whether the runtime wrapper is the default runtime. */
  readonly wrapped: boolean;
  /** Directories to put first on PATH for the tests (kind; kubectl and helm). */
  readonly path: readonly string[];
  /** Stops an engine this process started and restores the host sysctls. Idempotent. */
  stop(): Promise<void>;
}

/** Options for {@linkcode provisionDocker}. */
export interface ProvisionDockerOptions {
  /** Progress. @default silentReporter */
  readonly reporter?: Reporter;
  /** Process runner. @default defaultRunner */
  readonly runner?: Runner;
}

function cacheDir(): string {
  return `${Deno.env.get("HOME") ?? "/tmp"}/.cache/bosun/docker`;
}

/**
 * The host's values of {@linkcode SYSCTLS} before any kind node changed them: read once and kept
 * in `~/.cache/bosun/docker/sysctls.json`, so a run after one that was killed (or after e2e tests
 * run by hand) still restores the originals, not the kubelets' values.
 */
function readSysctls(): Map<string, string> {
  const file = `${cacheDir()}/sysctls.json`;
  let out = new Map<string, string>();
  try {
    out = new Map(
      Object.entries(JSON.parse(Deno.readTextFileSync(file)) as Record<string, string>),
    );
  } catch {
    // first run on this machine: record them
  }
  if (SYSCTLS.every((s) => out.has(s))) return out;
  for (const s of SYSCTLS.filter((s) => !out.has(s))) {
    try {
      out.set(s, Deno.readTextFileSync(`/proc/sys/${s}`).trim());
    } catch {
      // not readable here: nothing to restore
    }
  }
  try {
    Deno.mkdirSync(cacheDir(), { recursive: true });
    Deno.writeTextFileSync(file, JSON.stringify(Object.fromEntries(out)));
  } catch {
    // not writable: restore this run's values only
  }
  return out;
}

function restoreSysctls(saved: Map<string, string>, reporter: Reporter): void {
  for (const [s, v] of saved) {
    try {
      if (Deno.readTextFileSync(`/proc/sys/${s}`).trim() === v) continue;
      Deno.writeTextFileSync(`/proc/sys/${s}`, v);
      reporter.log("info", `restored ${s.replaceAll("/", ".")} = ${v}`);
    } catch (e) {
      reporter.log("warn", `could not restore ${s.replace("/", ".")} = ${v}: ${e}`);
    }
  }
}

async function engineAnswers(runner: Runner): Promise<boolean> {
  if (await which("docker") === undefined) return false;
  const r = await runner.run("docker", ["info", "--format", "{{.ServerVersion}}"], {
    throwOnError: false,
    timeoutMs: 20_000,
  });
  return r.success;
}

/** `tools/build-peers.sh --list` as group → bin dir, for the groups that are built. */
async function builtGroups(runner: Runner): Promise<Map<string, string>> {
  const r = await runner.run("bash", [`${REPO_ROOT}/tools/build-peers.sh`, "--list"]);
  const out = new Map<string, string>();
  for (const line of r.stdout.split("\n")) {
    const [group, , dir, state] = line.split(" ");
    if (group && dir && state === "ok") out.set(group, dir);
  }
  return out;
}

/** Runs a privileged container; returns the error text when it cannot. */
async function probePrivileged(runner: Runner): Promise<string | undefined> {
  const r = await runner.run(
    "docker",
    ["run", "--rm", "--privileged", "--network", "none", E2E_IMAGE, "true"],
    { throwOnError: false, timeoutMs: 60_000 },
  );
  return r.success ? undefined : (r.stderr.trim() || `exit ${r.code}`);
}

interface Daemon {
  readonly pid: number;
  readonly stop: () => Promise<void>;
}

async function startDockerd(
  runner: Runner,
  extra: readonly string[],
  reporter: Reporter,
): Promise<Daemon> {
  const dir = cacheDir();
  await Deno.mkdir(dir, { recursive: true });
  const logFile = `${dir}/dockerd.log`;
  const dockerd = await which("dockerd") ?? "/usr/sbin/dockerd";
  const step = reporter.step(`Starting dockerd${extra.length ? ` (${extra.join(" ")})` : ""}`);
  const proc = await spawnLogged("dockerd", dockerd, [
    "--host",
    "unix:///var/run/docker.sock",
    "--pidfile",
    `${dir}/dockerd.pid`,
    ...extra,
  ], { logFile, runner });
  try {
    await waitFor("dockerd to answer", async () => (await engineAnswers(runner)) || undefined, {
      timeoutMs: 60_000,
      intervalMs: 500,
      failFast: () => isRunning(proc.pid) ? undefined : `dockerd exited: ${logTail(logFile)}`,
    });
  } catch (e) {
    step.fail(e);
    throw e;
  }
  step.succeed(`log: ${logFile}`);
  return {
    pid: proc.pid,
    stop: async () => {
      try {
        Deno.kill(proc.pid, "SIGTERM");
      } catch {
        return;
      }
      const deadline = Date.now() + 30_000;
      while (isRunning(proc.pid) && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 100));
      }
      if (isRunning(proc.pid)) Deno.kill(proc.pid, "SIGKILL");
      await proc.handle?.exited;
    },
  };
}

async function aptInstall(runner: Runner, pkgs: readonly string[], reporter: Reporter) {
  const step = reporter.step(`Installing Debian packages: ${pkgs.join(" ")}`);
  try {
    const env = { DEBIAN_FRONTEND: "noninteractive" };
    await runner.run("apt-get", ["update", "-qq"], { env, timeoutMs: 600_000 });
    await runner.run("apt-get", ["install", "-y", "-qq", "--no-install-recommends", ...pkgs], {
      env,
      timeoutMs: 900_000,
    });
    step.succeed();
  } catch (e) {
    step.fail(e);
    throw e;
  }
}

/**
 * Makes a Docker engine and the offline e2e images available, as described in the module doc.
 * Never throws for a missing engine: the result says why it is not ready, and the caller decides
 * (under `CI=true` the test task fails).
 *
 * @param options Reporter and runner.
 * @returns The engine, with `stop()`.
 */
export async function provisionDocker(options: ProvisionDockerOptions = {}): Promise<DockerEngine> {
  const reporter = options.reporter ?? silentReporter;
  const runner = options.runner ?? defaultRunner;
  const sysctls = readSysctls();
  let daemon: Daemon | undefined;
  let wrapped = false;
  const notReady = (reason: string): DockerEngine => ({
    ready: false,
    reason,
    started: daemon !== undefined,
    wrapped,
    path: [],
    stop: async () => {
      await daemon?.stop();
      daemon = undefined;
    },
  });
  try {
    const running = await engineAnswers(runner);
    if (!running) {
      if (Deno.uid() !== 0) return notReady("no Docker engine answers and this is not root");
      const missing = [];
      if (await which("dockerd") === undefined) missing.push("docker.io");
      if (await which("debootstrap") === undefined) missing.push("debootstrap");
      if (await which("busybox") === undefined) missing.push("busybox-static");
      if (missing.length) await aptInstall(runner, missing, reporter);
      daemon = await startDockerd(runner, [], reporter);
    } else {
      reporter.log("info", "using the Docker engine that is already running (left as it is)");
    }

    const images = reporter.step("Building the offline e2e images (tools/build-images.sh)");
    const t0 = performance.now();
    try {
      await runner.run("bash", [`${REPO_ROOT}/tools/build-images.sh`], {
        timeoutMs: 3_600_000,
        inherit: true,
      });
      images.succeed(`${Math.round((performance.now() - t0) / 1000)} s`);
    } catch (e) {
      images.fail(e);
      throw e;
    }

    let probe = await probePrivileged(runner);
    if (probe !== undefined && /unable to apply caps|operation not permitted/.test(probe)) {
      if (daemon === undefined) {
        return notReady(
          `docker run --privileged fails on the running engine (${probe}); Bosun does not ` +
            `reconfigure an engine it did not start`,
        );
      }
      const groups = await builtGroups(runner);
      const dir = groups.get("runtime-wrapper");
      if (dir === undefined) return notReady("the runtime wrapper (bosun-runc) is not built");
      reporter.log("info", `privileged containers fail here (${probe}): using ${RUNTIME}`);
      await daemon.stop();
      daemon = await startDockerd(runner, [
        "--add-runtime",
        `${RUNTIME}=${dir}/${RUNTIME}`,
        "--default-runtime",
        RUNTIME,
      ], reporter);
      wrapped = true;
      probe = await probePrivileged(runner);
    }
    if (probe !== undefined) return notReady(`docker run --privileged fails: ${probe}`);

    for (const [key, minimum] of Object.entries(INOTIFY_MINIMUM)) {
      try {
        const now = Number(Deno.readTextFileSync(`/proc/sys/${key}`).trim());
        if (now < minimum) Deno.writeTextFileSync(`/proc/sys/${key}`, String(minimum));
      } catch (e) {
        reporter.log("warn", `could not raise ${key.replaceAll("/", ".")} to ${minimum}: ${e}`);
      }
    }
    const groups = await builtGroups(runner);
    const kind = groups.get("kind");
    if (kind === undefined) return notReady("kind is not built (tools/build-peers.sh kind)");
    const kubectl = groups.get("kubectl-layer");
    if (kubectl === undefined) return notReady("kubectl is not fetched (tools/build-peers.sh)");
    return {
      ready: true,
      started: daemon !== undefined,
      wrapped,
      path: [kind, kubectl],
      stop: async () => {
        restoreSysctls(sysctls, reporter);
        await daemon?.stop();
        daemon = undefined;
      },
    };
  } catch (e) {
    if (isCI()) {
      await daemon?.stop();
      throw e;
    }
    return notReady(e instanceof Error ? e.message : String(e));
  }
}

/**
 * Removes what an earlier, killed e2e run left behind: kind clusters whose name starts with
 * {@linkcode E2E_PREFIX}, and the containers, volumes and networks Bosun labelled for them
 * (`dev.bosun.cluster=<name>`). Touches nothing else.
 *
 * @param options Reporter and runner.
 * @returns The names of the clusters it removed something of.
 */
export async function reapE2E(options: ProvisionDockerOptions = {}): Promise<string[]> {
  const reporter = options.reporter ?? silentReporter;
  const runner = options.runner ?? defaultRunner;
  const ours = (n: string) => n.startsWith(E2E_PREFIX);
  const reaped = new Set<string>();
  const kind = (await builtGroups(runner)).get("kind");
  if (kind !== undefined) {
    const r = await runner.run(`${kind}/kind`, ["get", "clusters"], { throwOnError: false });
    for (const name of r.stdout.split("\n").map((l) => l.trim()).filter(ours)) {
      await runner.run(`${kind}/kind`, ["delete", "cluster", "--name", name], {
        throwOnError: false,
      });
      reaped.add(name);
    }
  }
  const labelled = async (what: "ps" | "volume" | "network", format: string) => {
    const args = what === "ps"
      ? ["ps", "--all", "--format", format]
      : [what, "ls", "--format", format];
    const r = await runner.run("docker", [...args, "--filter", "label=dev.bosun.cluster"], {
      throwOnError: false,
    });
    return r.stdout.split("\n").map((l) => l.trim().split(" ")).filter((p) =>
      p.length === 2 && ours(p[1]!)
    ) as [string, string][];
  };
  for (const [id, name] of await labelled("ps", `{{.ID}} {{.Label "dev.bosun.cluster"}}`)) {
    await runner.run("docker", ["rm", "--force", "--volumes", id], { throwOnError: false });
    reaped.add(name);
  }
  for (const [id, name] of await labelled("volume", `{{.Name}} {{.Label "dev.bosun.cluster"}}`)) {
    await runner.run("docker", ["volume", "rm", "--force", id], { throwOnError: false });
    reaped.add(name);
  }
  for (const [id, name] of await labelled("network", `{{.ID}} {{.Label "dev.bosun.cluster"}}`)) {
    await runner.run("docker", ["network", "rm", id], { throwOnError: false });
    reaped.add(name);
  }
  if (reaped.size) reporter.log("info", `reaped leftovers of ${[...reaped].join(", ")}`);
  return [...reaped];
}
