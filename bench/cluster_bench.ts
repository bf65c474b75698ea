/**
 * Cluster creation: Bosun's `createCluster` (Kind, 1 control plane + 1 worker,
 * local registry, no mirrors) against a plain script doing the same by hand —
 * `kind create cluster` with the kind.yaml Bosun renders, the registry's
 * `docker volume create` / `docker run … --network kind` from Bosun's plan,
 * kind's kubeconfig, and `kubectl wait --for=condition=Ready nodes --all`
 * (Bosun waits for every node too). Goal: Bosun ≤ 1.10× the plain script.
 *
 * Rounds run in the order bosun, plain, plain, bosun (ABBA) so drift on the
 * machine falls on both sides alike; each cluster, with its registry container
 * and volume, is deleted right after its measurement, so one bench cluster
 * exists at a time. Needs Docker, kind, kubectl, `kindest/node:v1.36.3` and
 * `registry:3`. `BOSUN_BENCH_CLUSTER_ROUNDS` sets the rounds per side (default 2).
 *
 * @module
 */

import { createCluster, deleteCluster, planCluster } from "../lib/cluster/mod.ts";
import type { BosunConfig } from "../lib/config/mod.ts";
import { defaultRunner } from "../lib/exec/mod.ts";
import { median, report } from "./_measure.ts";

const BOSUN_NAME = "bosun-bench-a";
const PLAIN_NAME = "bosun-bench-b";
const KUBERNETES_VERSION = "v1.36.3";
/** Lets kubelet run on this cgroup-v1 host. */
const KIND_YAML = `kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
kubeadmConfigPatches:
- |
  kind: KubeletConfiguration
  failCgroupV1: false
`;
const PEERS = `${Deno.env.get("HOME")}/.cache/bosun/peers`;
const PEER_BINS = [`${PEERS}/kind-v0.33.0/bin`, `${PEERS}/kubectl-layer-2.2.2/bin`];

/** Puts the peer kind and kubectl first on PATH when `kind` is not on it. */
async function ensureTools(): Promise<void> {
  const found = await defaultRunner.run("sh", ["-c", "command -v kind"], { throwOnError: false });
  if (found.success) return;
  Deno.env.set("PATH", [...PEER_BINS, Deno.env.get("PATH") ?? ""].join(":"));
}

/** A loopback port nothing listens on (the lead's clusters hold some). */
function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

function config(name: string, dir: string, hostPort: number): BosunConfig {
  return {
    metadata: { name },
    spec: {
      distribution: "Kind",
      nodes: { controlPlanes: 1, workers: 1 },
      kubernetesVersion: KUBERNETES_VERSION,
      distributionConfig: `${dir}/kind.yaml`,
      kubeconfig: `${dir}/kubeconfig`,
      registry: { local: { enabled: true, hostPort }, mirrors: {} },
    },
  };
}

/** One `createCluster`, timed; the cluster and its registry volume are deleted after. */
async function bosunRound(dir: string, hostPort: number): Promise<number> {
  const stateDir = `${dir}/state`;
  const started = performance.now();
  try {
    await createCluster(config(BOSUN_NAME, dir, hostPort), { stateDir });
    return performance.now() - started;
  } finally {
    await deleteCluster(config(BOSUN_NAME, dir, hostPort), { stateDir, deleteVolumes: true });
  }
}

/** The same cluster by hand, from the commands and files of Bosun's plan; deleted after. */
async function plainRound(dir: string, hostPort: number): Promise<number> {
  const stateDir = `${dir}/state`;
  const kubeconfig = `${dir}/kubeconfig`;
  const plan = await planCluster(config(PLAIN_NAME, dir, hostPort), { stateDir });
  // Bosun's kind.yaml and the containerd hosts.toml files its kind.yaml mounts.
  const files = plan.steps.flatMap((s) => s.kind === "file" ? [s] : []);
  // The registry's `docker volume create` and `docker run … --network kind`.
  const registry = plan.steps.flatMap((s) =>
    s.kind === "command" && s.cmd === "docker" && (s.args[0] === "volume" || s.args[0] === "run")
      ? [s]
      : []
  );
  if (registry.length !== 2) {
    throw new TypeError(`Expected 2 registry docker commands in the plan, got ${registry.length}`);
  }
  const run = (cmd: string, args: readonly string[]) =>
    defaultRunner.run(cmd, args, { timeoutMs: 900_000 });
  const started = performance.now();
  try {
    for (const f of files) {
      await Deno.mkdir(f.path.slice(0, f.path.lastIndexOf("/")), { recursive: true });
      await Deno.writeTextFile(f.path, f.content);
    }
    await run("kind", [
      "create",
      "cluster",
      "--name",
      PLAIN_NAME,
      "--config",
      `${stateDir}/kind.yaml`,
      "--kubeconfig",
      kubeconfig,
    ]);
    for (const step of registry) await run("docker", step.args);
    await run("kubectl", [
      "--kubeconfig",
      kubeconfig,
      "wait",
      "--for=condition=Ready",
      "nodes",
      "--all",
      "--timeout=180s",
    ]);
    return performance.now() - started;
  } finally {
    await removePlain(kubeconfig);
  }
}

async function removePlain(kubeconfig: string): Promise<void> {
  const opts = { throwOnError: false, timeoutMs: 300_000 };
  await defaultRunner.run(
    "kind",
    ["delete", "cluster", "--name", PLAIN_NAME, "--kubeconfig", kubeconfig],
    opts,
  );
  const reg = `${PLAIN_NAME}-registry`;
  await defaultRunner.run("docker", ["rm", "--force", "--volumes", reg], opts);
  await defaultRunner.run("docker", ["volume", "rm", "--force", reg], opts);
}

/**
 * Creates and deletes the two clusters in turn and prints both medians and
 * the ratio Bosun / plain.
 *
 * @returns The ratio of Bosun's median to the plain script's.
 */
export async function benchCluster(): Promise<number> {
  await ensureTools();
  const rounds = Number(Deno.env.get("BOSUN_BENCH_CLUSTER_ROUNDS") ?? "2");
  const hostPort = freePort();
  const root = await Deno.makeTempDir({ prefix: "bosun-cluster-bench-" });
  await Deno.writeTextFile(`${root}/kind.yaml`, KIND_YAML);
  const bosun: number[] = [];
  const plain: number[] = [];
  try {
    for (let i = 0; i < rounds; i++) {
      // ABBA: bosun, plain, plain, bosun, …
      const order = i % 2 === 0 ? ["bosun", "plain"] : ["plain", "bosun"];
      for (const side of order) {
        const dir = `${root}/${side}-${i}`;
        await Deno.mkdir(dir);
        await Deno.copyFile(`${root}/kind.yaml`, `${dir}/kind.yaml`);
        const ms = side === "bosun"
          ? await bosunRound(dir, hostPort)
          : await plainRound(dir, hostPort);
        (side === "bosun" ? bosun : plain).push(ms);
        console.log(`  round ${i + 1} ${side}: ${(ms / 1000).toFixed(1)} s`);
      }
    }
  } finally {
    await Deno.remove(root, { recursive: true }).catch(() => {});
  }
  const fmt = (xs: number[]) => xs.map((x) => (x / 1000).toFixed(1)).join(", ");
  console.log(`bosun samples (s): ${fmt(bosun)}; plain samples (s): ${fmt(plain)}`);
  const ratio = report(
    `createCluster Kind 1+1, registry (${rounds} rounds each, median)`,
    median(bosun),
    median(plain),
    "kind+docker+kubectl",
    "≤ 1.10×",
  );
  console.log(ratio <= 1.10 ? "✓ within goal" : "✗ over goal");
  return ratio;
}

if (import.meta.main) await benchCluster();
