/**
 * The shared contract every ClusterProvider must meet, run against all four
 * providers with stub executables (tests/cluster/stubs) standing in for
 * docker, kind, k3d, talosctl and eksctl.
 */

import assert from "node:assert/strict";
import { parse } from "yaml";
import {
  ClusterCreateError,
  ClusterExistsError,
  ClusterInputError,
  createCluster,
  deleteCluster,
  getProvider,
  listClusters,
  startCluster,
  stopCluster,
} from "../../lib/cluster/mod.ts";
import type { BosunConfig, Distribution } from "../../lib/config/mod.ts";
import { DISTRIBUTIONS } from "../../lib/config/mod.ts";
import { type FakeWorld, fakeWorld, freePort } from "./_fake.ts";

const NODE_LABEL: Record<Distribution, string> = {
  Kind: "io.x-k8s.kind.cluster",
  K3d: "k3d.cluster",
  Talos: "talos.cluster.name",
  EKSAnywhere: "io.x-k8s.kind.cluster",
};

function configFor(distribution: Distribution, world: FakeWorld, port: number): BosunConfig {
  return {
    metadata: { name: "dev" },
    spec: {
      distribution,
      nodes: { controlPlanes: 1, workers: 1 },
      kubeconfig: world.kubeconfig,
      registry: {
        local: { enabled: true, hostPort: port },
        mirrors: { "docker.io": "https://registry-1.docker.io" },
      },
    },
  };
}

interface Applied {
  objects: readonly Record<string, unknown>[];
  context: string;
}

function recorder(): {
  applied: Applied[];
  applyObjects: (o: readonly Record<string, unknown>[], t: { context: string }) => Promise<void>;
} {
  const applied: Applied[] = [];
  return {
    applied,
    applyObjects: (objects, target) => {
      applied.push({ objects, context: target.context });
      return Promise.resolve();
    },
  };
}

function contexts(path: string): { names: string[]; current: string | undefined } {
  const data = parse(Deno.readTextFileSync(path)) as {
    contexts?: { name: string }[];
    "current-context"?: string;
  };
  return {
    names: (data.contexts ?? []).map((c) => c.name).sort(),
    current: data["current-context"],
  };
}

async function withWorld(fn: (world: FakeWorld) => Promise<void>): Promise<void> {
  const world = await fakeWorld();
  try {
    await fn(world);
  } finally {
    await world.dispose();
  }
}

for (const distribution of DISTRIBUTIONS) {
  const provider = getProvider(distribution);
  const context = provider.contextName("dev");

  Deno.test(`${distribution}: create wires registries, names, context; a second create changes nothing`, async () => {
    await withWorld(async (world) => {
      const before = world.snapshot();
      const rec = recorder();
      const config = configFor(distribution, world, freePort());
      const cluster = await createCluster(config, { applyObjects: rec.applyObjects });
      assert.equal(cluster.created, true);
      assert.equal(cluster.context, context);
      assert.deepEqual(cluster.registry, {
        host: `localhost:${config.spec!.registry!.local!.hostPort}`,
        inCluster: "dev-registry:5000",
      });

      const state = world.state();
      const reg = state.containers.find((c) => c.name === "dev-registry");
      const mirror = state.containers.find((c) => c.name === "dev-mirror-docker.io");
      assert.ok(reg && mirror, "registry and mirror containers exist");
      assert.equal(reg.labels["dev.bosun.cluster"], "dev");
      assert.equal(mirror.labels["dev.bosun.cluster"], "dev");
      assert.ok(mirror.env.includes("REGISTRY_PROXY_REMOTEURL=https://registry-1.docker.io"));
      assert.deepEqual(reg.ports, [config.spec!.registry!.local!.hostPort]);
      const network = provider.plan({
        config: { ...config, spec: { ...config.spec } } as never,
        registries: [],
        routes: [],
        stateDir: "/x",
      }).network;
      for (const c of [reg, mirror]) {
        assert.ok(c.networks.includes(network), `${c.name} on ${network}`);
      }
      const nodes = state.containers.filter((c) => c.labels[NODE_LABEL[distribution]] === "dev");
      assert.ok(nodes.length >= 2, "control plane and worker nodes exist");

      const kc = contexts(world.kubeconfig);
      assert.deepEqual(kc.names, [context, "prod"].sort(), "merged, other context kept");
      assert.equal(kc.current, context);
      assert.equal(rec.applied.length, 1);
      const cm = rec.applied[0]!.objects[0] as { metadata: { name: string; namespace: string } };
      assert.deepEqual([cm.metadata.namespace, cm.metadata.name], [
        "kube-public",
        "local-registry-hosting",
      ]);
      assert.equal(rec.applied[0]!.context, context);

      // The other cluster's resources are untouched.
      const after = world.snapshot();
      for (const name of before.containers) assert.ok(after.containers.includes(name));

      world.clearCalls();
      const again = await createCluster(config, { applyObjects: rec.applyObjects });
      assert.equal(again.created, false);
      assert.deepEqual(world.mutatingCalls(), [], "second create makes no mutating call");
      assert.equal(rec.applied.length, 1);
      await assert.rejects(
        createCluster(config, { errorIfExists: true, applyObjects: rec.applyObjects }),
        ClusterExistsError,
      );
      assert.deepEqual(
        await listClusters({ distributions: [distribution] }).then((l) => l.map((c) => c.name))
          .then((n) => n.includes("dev")),
        true,
      );
    });
  });

  Deno.test(`${distribution}: stop and start act on nodes and registries`, async () => {
    await withWorld(async (world) => {
      const rec = recorder();
      const config = configFor(distribution, world, freePort());
      await createCluster(config, { applyObjects: rec.applyObjects });
      const ours = (s = world.state()) =>
        s.containers.filter((c) =>
          c.labels[NODE_LABEL[distribution]] === "dev" || c.labels["dev.bosun.cluster"] === "dev"
        );
      await stopCluster(config);
      assert.ok(ours().every((c) => c.state === "exited"), "all stopped");
      assert.equal(
        world.state().containers.find((c) => c.name === "other-registry")!.state,
        "running",
      );
      await startCluster(config);
      assert.ok(ours().every((c) => c.state === "running"), "all running");
    });
  });

  Deno.test(`${distribution}: delete removes only what is labelled for the cluster; missing is a no-op`, async () => {
    await withWorld(async (world) => {
      const before = world.snapshot();
      const rec = recorder();
      const config = configFor(distribution, world, freePort());
      await createCluster(config, { applyObjects: rec.applyObjects });
      const result = await deleteCluster(config, { deleteVolumes: true });
      assert.equal(result.deleted, true);
      assert.deepEqual([...result.removed.containers].sort(), [
        "dev-mirror-docker.io",
        "dev-registry",
      ]);
      assert.deepEqual(world.snapshot(), before, "exactly the pre-existing resources remain");
      assert.deepEqual(contexts(world.kubeconfig).names, ["prod"]);

      world.clearCalls();
      const again = await deleteCluster(config);
      assert.equal(again.deleted, false);
      assert.deepEqual(
        world.mutatingCalls(),
        [],
        "deleting a missing cluster makes no mutating call",
      );
    });
  });

  Deno.test(`${distribution}: a failure at any step removes what that call created`, async () => {
    let steps = 0;
    await withWorld(async (world) => {
      const rec = recorder();
      await createCluster(configFor(distribution, world, freePort()), {
        applyObjects: rec.applyObjects,
      });
      steps = world.mutatingCalls().length;
    });
    assert.ok(steps >= 5, `create makes several mutating calls (${steps})`);
    for (let i = 1; i <= steps + 1; i++) {
      await withWorld(async (world) => {
        const before = world.snapshot();
        const config = configFor(distribution, world, freePort());
        const applyObjects = i <= steps
          ? recorder().applyObjects
          : () => Promise.reject(new Error("apiserver down"));
        if (i <= steps) world.failAt(i);
        const error = await createCluster(config, { applyObjects }).then(() => undefined, (e) => e);
        assert.ok(error instanceof ClusterCreateError, `step ${i}: ${error}`);
        assert.deepEqual(error.cleanupFailures, [], `step ${i}: cleanup succeeded`);
        assert.match(error.message, /Cannot create cluster "dev"/);
        assert.deepEqual(world.snapshot(), before, `step ${i}: nothing left behind`);
        assert.deepEqual(
          contexts(world.kubeconfig).names,
          ["prod"],
          `step ${i}: kubeconfig as before`,
        );
      });
    }
  });

  Deno.test(`${distribution}: bad input fails before any container exists, naming the field`, async () => {
    await withWorld(async (world) => {
      const cases: [BosunConfig, string][] = [
        [{ spec: { distribution: "Minikube" as Distribution } }, "spec.distribution"],
        [{ spec: { distribution, nodes: { controlPlanes: 0 } } }, "spec.nodes.controlPlanes"],
        [
          {
            spec: { distribution, registry: { mirrors: { "docker.io": "registry-1.docker.io" } } },
          },
          'spec.registry.mirrors["docker.io"]',
        ],
      ];
      for (const [config, field] of cases) {
        const error = await createCluster(config).then(() => undefined, (e) => e);
        assert.equal(error?.name, "ConfigError", field);
        assert.ok(error.message.includes(field), `${error.message} names ${field}`);
      }
      const busy = Deno.listen({ hostname: "127.0.0.1", port: 0 });
      try {
        const port = (busy.addr as Deno.NetAddr).port;
        const error = await createCluster(configFor(distribution, world, port)).then(
          () => undefined,
          (e) => e,
        );
        assert.ok(error instanceof ClusterInputError, String(error));
        assert.equal(error.field, "spec.registry.local.hostPort");
      } finally {
        busy.close();
      }
      assert.deepEqual(world.mutatingCalls(), [], "no mutating call for bad input");
    });
  });
}

Deno.test("missing tool: ToolNotFoundError naming the tool, before anything is created", async () => {
  await withWorld(async (world) => {
    const bin = `${world.dir}/bin`;
    await Deno.mkdir(bin);
    await Deno.symlink(`${new URL("./stubs/docker", import.meta.url).pathname}`, `${bin}/docker`);
    Deno.env.set("PATH", `${bin}:/usr/bin:/bin`);
    const error = await createCluster({
      name: "dev",
      distribution: "K3d",
      kubeconfig: world.kubeconfig,
    }).then(
      () => undefined,
      (e) => e,
    );
    assert.equal(error?.name, "ToolNotFoundError");
    assert.match(error.message, /k3d is not installed/);
    assert.deepEqual(world.mutatingCalls(), []);
  });
});

Deno.test("Talos: talosctl merges its kubeconfig into a private file; the user's file only gets Bosun's merge", async () => {
  await withWorld(async (world) => {
    const config = configFor("Talos", world, freePort());
    await createCluster(config, { applyObjects: recorder().applyObjects });
    const merged = world.state().files["talos:dev:kubeconfig-merged-into"];
    assert.ok(merged?.startsWith(`${world.home}/clusters/dev/`), `talosctl merged into ${merged}`);
    assert.deepEqual(contexts(world.kubeconfig).names, ["admin@dev", "prod"]);
  });
});

Deno.test("Kind and EKS Anywhere never list, stop or delete each other's clusters of the same name", async () => {
  await withWorld(async (world) => {
    const eksa = configFor("EKSAnywhere", world, freePort());
    await createCluster(eksa, { applyObjects: recorder().applyObjects });
    const eksaNodes = () =>
      world.state().containers.filter((c) =>
        c.labels["io.x-k8s.kind.cluster"] === "dev" && c.labels["io.x-k8s.kind.role"] !== undefined
      );
    assert.ok(eksaNodes().length >= 3);

    const kinds = await listClusters({ distributions: ["Kind"] });
    assert.deepEqual(kinds.map((c) => c.name), ["other"], "kind get clusters lists dev too");
    const eksas = await listClusters({ distributions: ["EKSAnywhere"] });
    assert.deepEqual(eksas.map((c) => c.name), ["dev"]);

    const kind = configFor("Kind", world, freePort());
    world.clearCalls();
    for (
      const op of [() => stopCluster(kind), () => deleteCluster(kind), () => createCluster(kind)]
    ) {
      const error = await op().then(() => undefined, (e) => e);
      assert.ok(error instanceof ClusterInputError, String(error));
      assert.equal(error.field, "metadata.name");
      assert.match(error.message, /EKS Anywhere cluster named "dev"/);
    }
    assert.deepEqual(world.mutatingCalls(), [], "nothing touched");
    assert.ok(eksaNodes().every((c) => c.state === "running"));
  });
  await withWorld(async (world) => {
    // The other way round: "other" is a Kind cluster in every world.
    const error = await createCluster({
      ...configFor("EKSAnywhere", world, freePort()),
      metadata: { name: "other" },
    }).then(() => undefined, (e) => e);
    assert.ok(error instanceof ClusterInputError, String(error));
    assert.match(error.message, /Kind cluster named "other"/);
    assert.deepEqual(world.mutatingCalls(), []);
  });
});
