/**
 * The lifecycle as a declarative apply, against the stub tools of ./stubs: the handle
 * `createCluster` returns round-trips through every lifecycle function; an existing cluster
 * is brought in line (started, registries re-created, context merged) instead of "exists
 * means done"; a failed repair undoes only what it made; the per-cluster lock keeps a second
 * run out with an error naming the other process.
 */

import assert from "node:assert/strict";
import { parse } from "yaml";
import {
  type Cluster,
  ClusterCreateError,
  ClusterLockedError,
  createCluster,
  deleteCluster,
  describeCluster,
  planCluster,
  startCluster,
  stopCluster,
} from "../../lib/cluster/mod.ts";
import {
  certManager,
  installCilium,
  installComponent,
  installComponents,
} from "../../lib/components/mod.ts";
import type { BosunConfig } from "../../lib/config/mod.ts";
import {
  bootstrapArgoCD,
  bootstrapFlux,
  configureArgoCD,
  configureFlux,
  pushSource,
  reconcile,
} from "../../lib/gitops/mod.ts";
import { defaultRunner } from "../../lib/exec/mod.ts";
import { type Kube, removeKubeconfigContext } from "../../lib/kube/mod.ts";
import { type FakeWorld, fakeWorld, freePort } from "./_fake.ts";

const noApply = () => Promise.resolve();

function configFor(world: FakeWorld): BosunConfig {
  return {
    metadata: { name: "dev" },
    spec: {
      distribution: "Kind",
      nodes: { controlPlanes: 1, workers: 1 },
      kubeconfig: world.kubeconfig,
      registry: {
        local: { enabled: true, hostPort: freePort() },
        mirrors: { "docker.io": "https://registry-1.docker.io" },
      },
    },
  };
}

function contexts(path: string): string[] {
  const data = parse(Deno.readTextFileSync(path)) as { contexts?: { name: string }[] };
  return (data.contexts ?? []).map((c) => c.name).sort();
}

function ours(world: FakeWorld) {
  return world.state().containers.filter((c) =>
    c.labels["io.x-k8s.kind.cluster"] === "dev" || c.labels["dev.bosun.cluster"] === "dev"
  );
}

function mutations(world: FakeWorld): string[] {
  return world.mutatingCalls().map((c) => `${c.tool} ${c.args.join(" ")}`);
}

async function withWorld(fn: (world: FakeWorld) => Promise<void>): Promise<void> {
  const world = await fakeWorld();
  try {
    await fn(world);
  } finally {
    await world.dispose();
  }
}

Deno.test("the Cluster handle round-trips: stop, start, describe, plan and delete accept it", async () => {
  await withWorld(async (world) => {
    const before = world.snapshot();
    const cluster: Cluster = await createCluster(configFor(world), { applyObjects: noApply });
    await stopCluster(cluster);
    assert.ok(ours(world).every((c) => c.state === "exited"), "stopped");
    const started = await startCluster(cluster);
    assert.equal(started.kubeconfig, cluster.kubeconfig);
    assert.ok(ours(world).every((c) => c.state === "running"), "running");
    const described = await describeCluster(cluster);
    assert.equal(described.exists, true);
    assert.equal(described.kubeconfig, world.kubeconfig);
    const plan = await planCluster(cluster, { operation: "delete" });
    assert.equal(plan.context, "kind-dev");
    const removed = await deleteCluster(await Promise.resolve(cluster), { deleteVolumes: true });
    assert.equal(removed.deleted, true);
    assert.equal(removed.contextRemoved, true);
    assert.deepEqual(world.snapshot(), before);
    assert.deepEqual(contexts(world.kubeconfig), ["prod"]);
  });
});

Deno.test("every lifecycle, component and GitOps function takes the handle (checked by the compiler)", () => {
  // Never called: the test is that this type-checks.
  const uses = (c: Cluster, kube: Kube): readonly Promise<unknown>[] => [
    createCluster(c),
    deleteCluster(c),
    startCluster(c),
    stopCluster(c),
    describeCluster(c),
    planCluster(c),
    installComponents(c),
    installComponent(certManager, c),
    installCilium(c),
    bootstrapFlux(c, { source: { localRegistry: true, path: "k8s" } }),
    bootstrapArgoCD(c),
    configureFlux(c, kube),
    configureArgoCD(c, kube),
    pushSource(c),
    reconcile(c),
  ];
  assert.equal(typeof uses, "function");
});

Deno.test("deleteCluster(await createCluster(…)) works with the short form too", async () => {
  await withWorld(async (world) => {
    const cluster = await createCluster({
      name: "dev",
      distribution: "K3d",
      kubeconfig: world.kubeconfig,
      registry: { local: { enabled: true, hostPort: freePort() } },
    }, { applyObjects: noApply });
    assert.equal((await deleteCluster(cluster)).deleted, true);
  });
});

Deno.test("create starts an existing but stopped cluster (registries first), creating nothing", async () => {
  await withWorld(async (world) => {
    const config = configFor(world);
    await createCluster(config, { applyObjects: noApply });
    await stopCluster(config);
    world.clearCalls();
    const again = await createCluster(config, { applyObjects: noApply });
    assert.equal(again.created, false);
    assert.deepEqual(again.changes, [
      "started dev-registry, dev-mirror-docker.io",
      "started the cluster",
    ]);
    assert.ok(ours(world).every((c) => c.state === "running"), JSON.stringify(ours(world)));
    const calls = mutations(world);
    assert.ok(calls.every((c) => c.startsWith("docker start")), calls.join("\n"));
    const registry = calls.findIndex((c) => c.includes("dev-registry"));
    const nodes = calls.findIndex((c) => c.includes("dev-control-plane"));
    assert.ok(registry >= 0 && nodes > registry, calls.join("\n"));
  });
});

Deno.test("create merges a missing context into an existing cluster's kubeconfig", async () => {
  await withWorld(async (world) => {
    const config = configFor(world);
    await createCluster(config, { applyObjects: noApply });
    await removeKubeconfigContext("kind-dev", { kubeconfig: world.kubeconfig });
    world.clearCalls();
    const again = await createCluster(config, { applyObjects: noApply });
    assert.equal(again.created, false);
    assert.deepEqual(again.changes, ["merged context kind-dev"]);
    assert.deepEqual(contexts(world.kubeconfig), ["kind-dev", "prod"]);
    assert.deepEqual(mutations(world), [], "no container was touched");
  });
});

Deno.test("create re-creates and connects a missing registry, and publishes its ConfigMap again", async () => {
  await withWorld(async (world) => {
    const config = configFor(world);
    const applied: string[] = [];
    const applyObjects = (_o: unknown, t: { context: string }) => {
      applied.push(t.context);
      return Promise.resolve();
    };
    await createCluster(config, { applyObjects });
    const s = world.state();
    s.containers = s.containers.filter((c) => c.name !== "dev-registry");
    world.setState(s);
    world.clearCalls();
    const again = await createCluster(config, { applyObjects });
    assert.equal(again.created, false);
    const reg = world.state().containers.find((c) => c.name === "dev-registry");
    assert.ok(reg, "the registry exists again");
    assert.ok(reg.networks.includes("kind"), `connected to the cluster network: ${reg.networks}`);
    const calls = mutations(world);
    assert.ok(calls.some((c) => /^docker run .*--name dev-registry/.test(c)), calls.join("\n"));
    assert.ok(!calls.some((c) => /^kind /.test(c)), "the cluster is left alone");
    assert.ok(!calls.some((c) => c.includes("dev-mirror")), "the mirror is left alone");
    assert.deepEqual(applied, ["kind-dev", "kind-dev"]);
  });
});

Deno.test("a failed repair undoes only what it made: the existing cluster and context stay", async () => {
  await withWorld(async (world) => {
    const config = configFor(world);
    await createCluster(config, { applyObjects: noApply });
    const s = world.state();
    s.containers = s.containers.filter((c) => c.name !== "dev-registry");
    world.setState(s);
    const nodes = ours(world).filter((c) => c.labels["io.x-k8s.kind.cluster"] === "dev");
    world.clearCalls();
    // The registry is re-created, then publishing its ConfigMap fails.
    const error = await createCluster(config, {
      applyObjects: () => Promise.reject(new Error("apiserver down")),
    }).then(() => undefined, (e) => e);
    assert.ok(error instanceof ClusterCreateError, String(error));
    assert.deepEqual(error.cleanupFailures, []);
    const calls = mutations(world);
    assert.ok(calls.some((c) => /^docker run .*--name dev-registry/.test(c)), calls.join("\n"));
    const undone = calls.filter((c) =>
      /^(docker (rm|volume rm|network (rm|disconnect))|kind delete)/.test(c)
    );
    assert.ok(undone.length > 0, calls.join("\n"));
    assert.ok(undone.every((c) => c.includes("dev-registry")), undone.join("\n"));
    assert.ok(!world.state().containers.some((c) => c.name === "dev-registry"), "removed again");
    assert.deepEqual(
      ours(world).filter((c) => c.labels["io.x-k8s.kind.cluster"] === "dev").map((c) => c.name),
      nodes.map((c) => c.name),
      "the cluster's nodes are untouched",
    );
    assert.ok(
      world.state().containers.some((c) => c.name === "dev-mirror-docker.io"),
      "mirror kept",
    );
    assert.deepEqual(contexts(world.kubeconfig), ["kind-dev", "prod"], "context kept");
  });
});

/** Writes the lock file as another Bosun process would. */
async function holdLock(world: FakeWorld, pid: number): Promise<string> {
  const path = `${world.home}/clusters/dev.lock`;
  await Deno.mkdir(`${world.home}/clusters`, { recursive: true });
  await Deno.writeTextFile(
    path,
    JSON.stringify({
      pid,
      hostname: Deno.hostname(),
      operation: "create",
      since: "2025-01-01T10:00:00.000Z",
      token: "other",
    }),
  );
  return path;
}

Deno.test("a second run on a locked cluster fails at once, naming the cluster and the other process", async () => {
  await withWorld(async (world) => {
    const other = defaultRunner.spawn("sleep", ["30"]);
    try {
      const before = world.snapshot();
      const lock = await holdLock(world, other.pid);
      for (
        const run of [
          () => createCluster(configFor(world), { applyObjects: noApply }),
          () => deleteCluster(configFor(world)),
          () => startCluster(configFor(world)),
        ]
      ) {
        const error = await run().then(() => undefined, (e) => e);
        assert.ok(error instanceof ClusterLockedError, String(error));
        assert.equal(error.cluster, "dev");
        assert.equal(error.holder?.pid, other.pid);
        assert.equal(error.lockFile, lock);
        assert.match(
          error.message,
          /^Cannot \w+ cluster "dev": another Bosun process \(pid \d+ on /,
        );
        assert.ok(error.message.includes(`pid ${other.pid}`), error.message);
      }
      assert.deepEqual(world.calls(), [], "nothing ran, not even a version check");
      assert.deepEqual(world.snapshot(), before);
      assert.ok(await Deno.stat(lock), "the other run's lock is left alone");
    } finally {
      other.kill();
      await other.exited;
    }
  });
});

Deno.test("a stale lock (its process is gone) is taken over; the lock is released after", async () => {
  await withWorld(async (world) => {
    const gone = defaultRunner.spawn("true", []);
    await gone.exited;
    const lock = await holdLock(world, gone.pid);
    const cluster = await createCluster(configFor(world), { applyObjects: noApply });
    assert.equal(cluster.created, true);
    await assert.rejects(Deno.stat(lock), Deno.errors.NotFound);
  });
});

Deno.test("two creates racing on one name: one wins, the loser fails and deletes nothing", async () => {
  await withWorld(async (world) => {
    const config = configFor(world);
    const results = await Promise.allSettled([
      createCluster(config, { applyObjects: noApply }),
      createCluster(config, { applyObjects: noApply }),
    ]);
    const won = results.filter((r) => r.status === "fulfilled");
    const lost = results.filter((r) => r.status === "rejected");
    assert.equal(won.length, 1);
    assert.equal(lost.length, 1);
    assert.ok((lost[0] as PromiseRejectedResult).reason instanceof ClusterLockedError);
    const removals = mutations(world).filter((c) =>
      /^(docker rm|docker volume rm|kind delete)/.test(c)
    );
    assert.deepEqual(removals, []);
    const names = ours(world).map((c) => c.name).sort();
    assert.deepEqual(names, [
      "dev-control-plane",
      "dev-mirror-docker.io",
      "dev-registry",
      "dev-worker",
    ]);
    world.clearCalls();
    const third = await createCluster(config, { applyObjects: noApply });
    assert.equal(third.created, false);
    assert.deepEqual(third.changes, []);
    assert.deepEqual(mutations(world), []);
  });
});
