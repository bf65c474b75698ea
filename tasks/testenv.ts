/**
 * `deno task testenv up [--mode api|full] [--no-registry]` starts a long-lived test control
 * plane (and a registry) that keeps running after this command exits, and prints
 * `KUBECONFIG=<path>` (and `BOSUN_TEST_REGISTRY=<host>`) on stdout.
 * `deno task testenv down` stops it (no process or port left). `deno task testenv status`.
 *
 * @module
 */

import { createTerminalReporter } from "../lib/ui/mod.ts";
import {
  detachAll,
  exists,
  isRunning,
  type Managed,
  stateDir,
  stopAll,
} from "../tests/harness/_procs.ts";
import {
  provisionPeers,
  startRegistry,
  startTestEnv,
  type TestEnvMode,
} from "../tests/harness/mod.ts";

interface State {
  readonly mode: TestEnvMode;
  readonly kubeconfig: string;
  readonly server: string;
  readonly version: string;
  readonly workDir: string;
  readonly registry?: string;
  readonly registryDir?: string;
  readonly processes: { name: string; pid: number; cmd: string }[];
}

const stateFile = `${stateDir()}/state.json`;

function readState(): State | undefined {
  try {
    return JSON.parse(Deno.readTextFileSync(stateFile)) as State;
  } catch {
    return undefined;
  }
}

function alive(state: State): boolean {
  return state.processes.some((p) => isRunning(p.pid, p.cmd));
}

function printEnv(state: State): void {
  console.log(`KUBECONFIG=${state.kubeconfig}`);
  if (state.registry) console.log(`BOSUN_TEST_REGISTRY=${state.registry}`);
  console.log(`BOSUN_TESTENV_KUBECONFIG=${state.kubeconfig}`);
  console.log(`BOSUN_TESTENV_MODE=${state.mode}`);
}

async function up(args: string[]): Promise<number> {
  const reporter = createTerminalReporter();
  const modeIdx = args.indexOf("--mode");
  const modeArg = modeIdx >= 0
    ? args[modeIdx + 1]
    : args.find((a) => a.startsWith("--mode="))?.slice(7);
  const mode = (modeArg ?? "api") as TestEnvMode;
  if (mode !== "api" && mode !== "full") {
    console.error(`Cannot start the test environment: unknown mode "${modeArg}" (use api or full)`);
    return 2;
  }
  const existing = readState();
  if (existing && alive(existing)) {
    if (existing.mode === mode || existing.mode === "full") {
      reporter.log("info", `test environment already running (${existing.mode} mode)`);
      printEnv(existing);
      return 0;
    }
    console.error(
      `A test environment is already running in ${existing.mode} mode; run \`deno task testenv down\` first.`,
    );
    return 1;
  }
  const needed = mode === "full"
    ? [
      "etcd",
      "kube-apiserver",
      "kube-controller-manager",
      "kube-scheduler",
      "kwok",
      "docker-registry",
    ] as const
    : ["etcd", "kube-apiserver", "docker-registry"] as const;
  await provisionPeers({ reporter, names: [...needed], strict: true });
  const started = performance.now();
  const env = await startTestEnv({ mode, reporter });
  let registry: Awaited<ReturnType<typeof startRegistry>> | undefined;
  if (!args.includes("--no-registry")) registry = await startRegistry();
  const cmdOf = (pid: number) => Deno.readTextFileSync(`/proc/${pid}/cmdline`).split("\0")[0] ?? "";
  const procs = [
    ...env.processes,
    ...(registry?.pid ? [{ name: "docker-registry", pid: registry.pid }] : []),
  ];
  const state: State = {
    mode,
    kubeconfig: env.kubeconfig,
    server: env.server,
    version: env.version,
    workDir: env.workDir!,
    ...(registry
      ? { registry: registry.host, registryDir: registry.logFile!.replace(/\/[^/]+$/, "") }
      : {}),
    processes: procs.map((p) => ({ name: p.name, pid: p.pid, cmd: cmdOf(p.pid) })),
  };
  Deno.mkdirSync(stateDir(), { recursive: true });
  Deno.writeTextFileSync(`${stateFile}.tmp`, JSON.stringify(state, null, 2));
  Deno.renameSync(`${stateFile}.tmp`, stateFile);
  detachAll();
  reporter.log(
    "info",
    `${env.version} ready in ${
      ((performance.now() - started) / 1000).toFixed(1)
    } s; logs in ${env.logsDir}`,
  );
  printEnv(state);
  return 0;
}

async function down(): Promise<number> {
  const state = readState();
  if (!state) {
    console.error("No test environment is recorded as running.");
    return 0;
  }
  const procs: Managed[] = state.processes.map((p) => ({ ...p, logFile: "" }));
  await stopAll([...procs].reverse());
  for (const d of ["etcd", "pki", "apiserver-certs"]) {
    try {
      Deno.removeSync(`${state.workDir}/${d}`, { recursive: true });
    } catch { /* absent */ }
  }
  try {
    Deno.writeTextFileSync(`${state.workDir}/stopped`, new Date().toISOString());
  } catch { /* work dir gone */ }
  if (state.registryDir) {
    try {
      Deno.removeSync(state.registryDir, { recursive: true });
    } catch { /* absent */ }
  }
  Deno.removeSync(stateFile);
  // Give init a moment to reap the (now orphaned) children so no zombie is left either.
  const until = Date.now() + 3000;
  while (Date.now() < until && state.processes.some((p) => exists(`/proc/${p.pid}`))) {
    await new Promise((r) => setTimeout(r, 50));
  }
  const left = state.processes.filter((p) => isRunning(p.pid, p.cmd));
  if (left.length) {
    console.error(`Still running: ${left.map((p) => `${p.name} (${p.pid})`).join(", ")}`);
    return 1;
  }
  console.error(`Stopped ${state.processes.length} processes; logs kept in ${state.workDir}/logs`);
  return 0;
}

function status(): number {
  const state = readState();
  if (!state || !alive(state)) {
    console.log("down");
    return 1;
  }
  for (const p of state.processes) {
    console.error(
      `${p.name.padEnd(24)} pid ${p.pid} ${isRunning(p.pid, p.cmd) ? "running" : "EXITED"}`,
    );
  }
  printEnv(state);
  return 0;
}

if (import.meta.main) {
  const [cmd, ...rest] = Deno.args;
  let code: number;
  try {
    code = cmd === "up"
      ? await up(rest)
      : cmd === "down"
      ? await down()
      : cmd === "status"
      ? status()
      : -1;
  } catch (e) {
    console.error(e instanceof Error ? e.message : String(e));
    code = 1;
  }
  if (code === -1) {
    console.error("usage: deno task testenv up [--mode api|full] [--no-registry] | down | status");
    code = 2;
  }
  Deno.exit(code);
}
