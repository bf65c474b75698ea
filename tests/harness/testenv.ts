/**
 * A real Kubernetes control plane for tests: etcd, kube-apiserver and, in `full` mode,
 * kube-controller-manager, kube-scheduler and kwok (fake nodes whose pods become Ready).
 * Everything listens on 127.0.0.1 free ports; logs stay in the work directory.
 *
 * @module
 */

import { Document, parseAllDocuments, stringify } from "yaml";
import type { Runner } from "../../lib/exec/mod.ts";
import { type Reporter, silentReporter } from "../../lib/ui/mod.ts";
import { closeClients, type KubeConn, kubeRequest } from "./_kube.ts";
import { generatePki } from "./_pki.ts";
import {
  exists,
  freePorts,
  isRunning,
  logTail,
  type Managed,
  onExitSync,
  reapOrphans,
  spawnLogged,
  stateDir,
  stopAll,
  TestEnvError,
  waitFor,
} from "./_procs.ts";
import { peerGroupDir, PeerMissingError, type PeerName, peerPath } from "./peers.ts";

export { TestEnvError } from "./_procs.ts";

/** `api`: etcd + kube-apiserver. `full`: plus controller-manager, scheduler and kwok. */
export type TestEnvMode = "api" | "full";

/** A running test environment. */
export interface TestEnv {
  /** Path of a kubeconfig (token auth, embedded CA) for the admin user. */
  readonly kubeconfig: string;
  /** The apiserver URL, `https://127.0.0.1:<port>`. */
  readonly server: string;
  /** The apiserver's `gitVersion` (for example `v1.36.3`). */
  readonly version: string;
  /** The mode it runs in. */
  readonly mode: TestEnvMode;
  /** The admin bearer token. */
  readonly token: string;
  /** The cluster CA certificate (PEM). */
  readonly caPem: string;
  /** Work directory (pki, etcd data, kubeconfig), or `undefined` when reused from elsewhere. */
  readonly workDir: string | undefined;
  /** Directory with one `<component>.log` per component, or `undefined` when reused. */
  readonly logsDir: string | undefined;
  /** The processes (name, pid, log file). Empty when reused. */
  readonly processes: readonly {
    readonly name: string;
    readonly pid: number;
    readonly logFile: string;
  }[];
  /** Stops every process and removes the work directory except the logs. Idempotent. */
  stop(): Promise<void>;
}

/** Options for {@linkcode startTestEnv}. */
export interface StartTestEnvOptions {
  /** @default "api" */
  readonly mode?: TestEnvMode;
  /** Progress output. @default silentReporter */
  readonly reporter?: Reporter;
  /** Process runner. @default defaultRunner */
  readonly runner?: Runner;
  /** Number of fake nodes in full mode. @default 2 */
  readonly nodes?: number;
  /** Readiness timeout per phase. @default 120000 */
  readonly timeoutMs?: number;
}

const API_PEERS: readonly PeerName[] = ["etcd", "kube-apiserver"];
const FULL_PEERS: readonly PeerName[] = [
  ...API_PEERS,
  "kube-controller-manager",
  "kube-scheduler",
  "kwok",
];

async function resolvePeers(mode: TestEnvMode): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const missing: string[] = [];
  for (const n of mode === "full" ? FULL_PEERS : API_PEERS) {
    const p = await peerPath(n);
    if (p === undefined) missing.push(n);
    else out[n] = p;
  }
  if (missing.length) {
    throw new PeerMissingError(
      missing,
      "Build them with tools/build-peers.sh (or run `deno task test`).",
    );
  }
  return out;
}

function newWorkDir(): string {
  const base = `${stateDir()}/runs`;
  Deno.mkdirSync(base, { recursive: true });
  pruneRuns(base);
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  return Deno.makeTempDirSync({ dir: base, prefix: `${stamp}-` });
}

/** Keeps the logs of the ten newest stopped runs. */
function pruneRuns(base: string): void {
  const stopped = [...Deno.readDirSync(base)]
    .filter((e) => e.isDirectory && exists(`${base}/${e.name}/stopped`))
    .map((e) => e.name)
    .sort();
  for (const name of stopped.slice(0, Math.max(0, stopped.length - 10))) {
    Deno.removeSync(`${base}/${name}`, { recursive: true });
  }
}

function writeFileAtomic(path: string, text: string, mode = 0o600): void {
  Deno.writeTextFileSync(`${path}.tmp`, text, { mode });
  Deno.renameSync(`${path}.tmp`, path);
}

function kubeconfigYaml(server: string, caPem: string, token: string): string {
  const ca = btoa(String.fromCharCode(...new TextEncoder().encode(caPem)));
  return stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name: "bosun-test", cluster: { server, "certificate-authority-data": ca } }],
    users: [{ name: "admin", user: { token } }],
    contexts: [{ name: "bosun-test", context: { cluster: "bosun-test", user: "admin" } }],
    "current-context": "bosun-test",
  });
}

function fakeNode(name: string): unknown {
  const resources = { cpu: "32", memory: "256Gi", pods: "110" };
  return {
    apiVersion: "v1",
    kind: "Node",
    metadata: {
      name,
      labels: {
        "kubernetes.io/hostname": name,
        "kubernetes.io/os": "linux",
        "kubernetes.io/arch": "amd64",
        type: "kwok",
      },
      annotations: { "kwok.x-k8s.io/node": "fake", "node.alpha.kubernetes.io/ttl": "0" },
    },
    status: { allocatable: resources, capacity: resources },
  };
}

interface NodeList {
  items?: {
    spec?: { taints?: { key: string }[] };
    status?: { conditions?: { type: string; status: string }[] };
  }[];
}

/**
 * Starts a test control plane and waits until it is ready.
 *
 * @param options Mode, reporter, runner, node count, timeout.
 * @returns The running environment; call `stop()` when done.
 * @throws {PeerMissingError} When a binary is not built.
 * @throws {TestEnvError} When a component exits or does not become ready (the log tail is included).
 *
 * @example
 * ```ts ignore
 * const env = await startTestEnv({ mode: "full" });
 * try { console.log(env.kubeconfig); } finally { await env.stop(); }
 * ```
 */
export async function startTestEnv(options: StartTestEnvOptions = {}): Promise<TestEnv> {
  const mode = options.mode ?? "api";
  const reporter = options.reporter ?? silentReporter;
  const timeoutMs = options.timeoutMs ?? 120_000;
  const runnerOpt = options.runner ? { runner: options.runner } : {};
  const bins = await resolvePeers(mode);
  reapOrphans();

  const step = reporter.step(`Starting test environment (${mode} mode)`);
  const workDir = newWorkDir();
  const logsDir = `${workDir}/logs`;
  Deno.mkdirSync(logsDir);
  const procs: Managed[] = [];
  const cleanDir = () => {
    for (const d of ["etcd", "pki", "apiserver-certs"]) {
      try {
        Deno.removeSync(`${workDir}/${d}`, { recursive: true });
      } catch { /* absent */ }
    }
    Deno.writeTextFileSync(`${workDir}/stopped`, new Date().toISOString());
  };
  const unregister = onExitSync(cleanDir);
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await stopAll([...procs].reverse());
    closeClients();
    unregister();
    cleanDir();
  };
  const start = async (name: string, args: string[]) => {
    const p = await spawnLogged(name, bins[name]!, args, {
      logFile: `${logsDir}/${name}.log`,
      ...runnerOpt,
    });
    procs.push(p);
    return p;
  };
  const died = () => {
    const dead = procs.find((p) => !isRunning(p.pid));
    return dead ? `${dead.name} exited; last log lines:\n${logTail(dead.logFile)}` : undefined;
  };

  try {
    const [etcdPort, etcdPeer, apiPort, kcmPort, schedPort, kwokPort] = freePorts(6) as [
      number,
      number,
      number,
      number,
      number,
      number,
    ];
    const etcdUrl = `http://127.0.0.1:${etcdPort}`;
    const peerUrl = `http://127.0.0.1:${etcdPeer}`;
    await start("etcd", [
      "--name=node0",
      `--data-dir=${workDir}/etcd`,
      `--listen-client-urls=${etcdUrl}`,
      `--advertise-client-urls=${etcdUrl}`,
      `--listen-peer-urls=${peerUrl}`,
      `--initial-advertise-peer-urls=${peerUrl}`,
      `--initial-cluster=node0=${peerUrl}`,
      "--unsafe-no-fsync=true",
      "--auto-compaction-retention=1",
      "--log-level=warn",
    ]);
    const pki = await generatePki(`${workDir}/pki`, options.runner);
    const caPem = await Deno.readTextFile(pki.caCert);
    await waitFor("etcd /health", async () => {
      const r = await fetch(`${etcdUrl}/health`, { signal: AbortSignal.timeout(2000) });
      await r.body?.cancel();
      return r.ok ? true : undefined;
    }, { timeoutMs, intervalMs: 100, failFast: died });

    const server = `https://127.0.0.1:${apiPort}`;
    const kubeconfig = `${workDir}/kubeconfig`;
    writeFileAtomic(kubeconfig, kubeconfigYaml(server, caPem, pki.token));
    await start("kube-apiserver", [
      `--etcd-servers=${etcdUrl}`,
      "--bind-address=127.0.0.1",
      "--advertise-address=127.0.0.1",
      `--secure-port=${apiPort}`,
      `--tls-cert-file=${pki.serverCert}`,
      `--tls-private-key-file=${pki.serverKey}`,
      `--client-ca-file=${pki.caCert}`,
      `--token-auth-file=${pki.tokenFile}`,
      "--authorization-mode=RBAC",
      "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
      `--service-account-key-file=${pki.saPub}`,
      `--service-account-signing-key-file=${pki.saKey}`,
      "--service-cluster-ip-range=10.0.0.0/24",
      "--endpoint-reconciler-type=none",
      "--allow-privileged=true",
      `--cert-dir=${workDir}/apiserver-certs`,
      "--profiling=false",
      "--v=1",
      ...(mode === "api" ? ["--disable-admission-plugins=ServiceAccount"] : []),
    ]);
    const conn: KubeConn = { server, token: pki.token, caPem };
    await waitFor("kube-apiserver /readyz", async () => {
      const r = await kubeRequest(conn, "GET", "/readyz");
      return r.status === 200 ? true : undefined;
    }, { timeoutMs, intervalMs: 250, failFast: died });
    const version = await kubeRequest(conn, "GET", "/version");
    const gitVersion = (version.body as { gitVersion?: string }).gitVersion ?? "unknown";

    if (mode === "full") {
      const schedCfg = `${workDir}/scheduler.yaml`;
      writeFileAtomic(
        schedCfg,
        stringify({
          apiVersion: "kubescheduler.config.k8s.io/v1",
          kind: "KubeSchedulerConfiguration",
          clientConnection: { kubeconfig },
          leaderElection: { leaderElect: false },
        }),
      );
      const kwokCfg = `${workDir}/kwok.yaml`;
      const stages = parseAllDocuments(
        await Deno.readTextFile(`${peerGroupDir("kwok")}/stages.yaml`),
      )
        .map((d) => d.toJS() as unknown)
        .filter((d) => d !== null);
      const kwokDocs = [{
        apiVersion: "config.kwok.x-k8s.io/v1alpha1",
        kind: "KwokConfiguration",
        options: {
          manageAllNodes: true,
          nodeIP: "127.0.0.1",
          cidr: "10.0.0.0/24",
          nodeLeaseDurationSeconds: 40,
          // A config file gets no defaults for these: kwok 0.8.0 exits when they are 0.
          nodeLeaseParallelism: 4,
          podPlayStageParallelism: 4,
          nodePlayStageParallelism: 4,
          podsOnNodeSyncParallelism: 4,
        },
      }, ...stages];
      writeFileAtomic(kwokCfg, kwokDocs.map((d) => new Document(d).toString()).join("---\n"));
      const tls = [`--tls-cert-file=${pki.serverCert}`, `--tls-private-key-file=${pki.serverKey}`];
      await start("kube-controller-manager", [
        `--kubeconfig=${kubeconfig}`,
        "--bind-address=127.0.0.1",
        `--secure-port=${kcmPort}`,
        ...tls,
        "--leader-elect=false",
        `--service-account-private-key-file=${pki.saKey}`,
        `--root-ca-file=${pki.caCert}`,
        "--controllers=*",
        "--v=1",
      ]);
      await start("kube-scheduler", [
        `--config=${schedCfg}`,
        "--bind-address=127.0.0.1",
        `--secure-port=${schedPort}`,
        ...tls,
        "--v=1",
      ]);
      await start("kwok", [
        `--kubeconfig=${kubeconfig}`,
        `--config=${kwokCfg}`,
        `--server-address=127.0.0.1:${kwokPort}`,
      ]);
      for (let i = 0; i < (options.nodes ?? 2); i++) {
        const r = await kubeRequest(conn, "POST", "/api/v1/nodes", fakeNode(`kwok-node-${i}`));
        if (r.status !== 201) {
          throw new TestEnvError(
            `Cannot create fake node: HTTP ${r.status} ${JSON.stringify(r.body)}`,
          );
        }
      }
      using hc = Deno.createHttpClient({ caCerts: [caPem] });
      const healthy = async (port: number) => {
        const r = await fetch(`https://127.0.0.1:${port}/healthz`, {
          client: hc,
          signal: AbortSignal.timeout(2000),
        }).catch(() => undefined);
        await r?.body?.cancel();
        return r?.ok === true;
      };
      await waitFor("controller-manager, scheduler, kwok and Ready fake nodes", async () => {
        if (!(await healthy(kcmPort)) || !(await healthy(schedPort))) return undefined;
        const sa = await kubeRequest(
          conn,
          "GET",
          "/api/v1/namespaces/default/serviceaccounts/default",
        );
        if (sa.status !== 200) return undefined;
        const nodes = (await kubeRequest(conn, "GET", "/api/v1/nodes")).body as NodeList;
        const ready = (nodes.items ?? []).every((n) =>
          (n.status?.conditions ?? []).some((c) => c.type === "Ready" && c.status === "True") &&
          !(n.spec?.taints ?? []).some((t) => t.key.startsWith("node.kubernetes.io/"))
        );
        return ready && (nodes.items ?? []).length > 0 ? true : undefined;
      }, { timeoutMs, intervalMs: 250, failFast: died });
    }

    step.succeed(`${gitVersion}, ${server}`);
    return {
      kubeconfig,
      server,
      version: gitVersion,
      mode,
      token: pki.token,
      caPem,
      workDir,
      logsDir,
      processes: procs.map(({ name, pid, logFile }) => ({ name, pid, logFile })),
      stop,
    };
  } catch (error) {
    step.fail(error);
    await stop();
    throw error;
  }
}
