// Registry containers, their docker arguments, the per-distribution wiring,
// label-scoped removal (against the stub docker), and the KEP-1755 ConfigMap
// applied to the real apiserver.

import assert from "node:assert/strict";
import { parse } from "yaml";
import { applyDefaults, type BosunConfig, validateConfig } from "../../lib/config/mod.ts";
import { planCluster } from "../../lib/cluster/mod.ts";
import { applyManifests, connectKube, type KubeObject } from "../../lib/kube/mod.ts";
import {
  containerdHostsFiles,
  k3sRegistries,
  localRegistryHostingConfigMap,
  mirrorContainerName,
  NOTHING_EXISTS,
  observeRegistries,
  planRegistries,
  RegistryConfigError,
  RegistryConflictError,
  registryConnectActions,
  registryCreateActions,
  registryRoutes,
  registryRunArgs,
  removeClusterResources,
  setRegistriesRunning,
  talosRegistryMirrors,
} from "../../lib/registry/mod.ts";
import { fakeWorld } from "../cluster/_fake.ts";
import { requirePeers, useTestEnv } from "../harness/mod.ts";

const cfg = (c: BosunConfig) => applyDefaults({ metadata: { name: "dev" }, ...c });
const MIRRORS = {
  "ghcr.io": "https://ghcr.io",
  "docker.io": "https://registry-1.docker.io",
  "localhost:5001": "http://host.docker.internal:5001",
};

Deno.test("planRegistries: local registry then mirrors sorted by host, with the naming contract", () => {
  const regs = planRegistries(cfg({ spec: { registry: { mirrors: MIRRORS } } }));
  assert.deepEqual(regs.map((r) => r.name), [
    "dev-registry",
    "dev-mirror-docker.io",
    "dev-mirror-ghcr.io",
    "dev-mirror-localhost-5001",
  ]);
  assert.equal(regs[0]!.hostPort, 5050);
  assert.equal(regs[1]!.endpoint, "http://dev-mirror-docker.io:5000");
  assert.equal(regs[1]!.hostPort, undefined, "mirrors publish no host port");
  assert.equal(mirrorContainerName("c", "quay.io/x:1"), "c-mirror-quay.io-x-1");
  assert.deepEqual(
    planRegistries(cfg({ spec: { registry: { local: { enabled: false, hostPort: 5050 } } } })),
    [],
  );
});

Deno.test("planRegistries: a mirror upstream that is not an http(s) URL names the field", () => {
  for (const bad of ["registry-1.docker.io", "ftp://mirror.example"]) {
    const config = cfg({});
    const broken = {
      ...config,
      spec: {
        ...config.spec,
        registry: { ...config.spec.registry, mirrors: { "docker.io": bad } },
      },
    };
    assert.throws(
      () => planRegistries(broken),
      (e: unknown) =>
        e instanceof RegistryConfigError && e.field === 'spec.registry.mirrors["docker.io"]' &&
        e.message.includes(bad),
    );
  }
});

Deno.test("docker arguments: labelled, volume, loopback-only port for the registry, proxy env for mirrors", () => {
  const [reg, mirror] = planRegistries(
    cfg({ spec: { registry: { mirrors: { "docker.io": "https://registry-1.docker.io" } } } }),
  );
  assert.deepEqual(registryRunArgs(reg!), [
    "run",
    "--detach",
    "--name",
    "dev-registry",
    "--restart",
    "unless-stopped",
    "--label",
    "dev.bosun.cluster=dev",
    "--label",
    "dev.bosun.role=registry",
    "--volume",
    "dev-registry:/var/lib/registry",
    "--publish",
    "127.0.0.1:5050:5000",
    "registry:3",
  ]);
  const m = registryRunArgs(mirror!, "k3d-dev");
  assert.ok(m.includes("REGISTRY_PROXY_REMOTEURL=https://registry-1.docker.io"));
  assert.ok(m.includes("dev.bosun.mirror-of=docker.io"));
  assert.deepEqual(m.slice(-3), ["--network", "k3d-dev", "registry:3"]);
  assert.ok(!m.includes("--publish"));
  const actions = registryCreateActions([reg!, mirror!], NOTHING_EXISTS);
  assert.deepEqual(actions.map((a) => a.args.slice(0, 2).join(" ")), [
    "volume create",
    "run --detach",
    "volume create",
    "run --detach",
  ]);
  const observed = {
    containers: new Set(["dev-registry"]),
    volumes: new Set(["dev-mirror-docker.io"]),
    networks: new Map([["dev-registry", ["kind"]]]),
  };
  assert.deepEqual(registryCreateActions([reg!, mirror!], observed).map((a) => a.args[0]), ["run"]);
  assert.deepEqual(
    registryConnectActions([reg!, mirror!], "kind", observed).map((a) => a.args.at(-1)),
    ["dev-mirror-docker.io"],
  );
});

Deno.test("wiring: hosts.toml, k3s registries.yaml (merged with the user's), Talos documents", () => {
  const routes = registryRoutes(
    planRegistries(
      cfg({ spec: { registry: { mirrors: { "docker.io": "https://registry-1.docker.io" } } } }),
    ),
  );
  assert.deepEqual(routes.map((r) => r.host), ["localhost:5050", "dev-registry:5000", "docker.io"]);
  const files = containerdHostsFiles(routes);
  assert.equal(
    files[0]!.content,
    'server = "http://dev-registry:5000"\n\n[host."http://dev-registry:5000"]\n  capabilities = ["pull", "resolve"]\n',
  );
  const merged = k3sRegistries(routes, {
    mirrors: { "quay.io": { endpoint: ["https://quay-mirror.example"] } },
    configs: { "quay.io": { auth: { username: "u" } } },
  });
  assert.deepEqual(merged.mirrors["docker.io"], {
    endpoint: ["http://dev-mirror-docker.io:5000", "https://registry-1.docker.io"],
  });
  assert.deepEqual(
    merged.mirrors["quay.io"],
    { endpoint: ["https://quay-mirror.example"] },
    "user's host kept",
  );
  assert.ok(merged.configs, "user's configs kept");
  const talos = talosRegistryMirrors(routes);
  assert.deepEqual(talos[2], {
    apiVersion: "v1alpha1",
    kind: "RegistryMirrorConfig",
    name: "docker.io",
    endpoints: [{ url: "http://dev-mirror-docker.io:5000" }],
  });
});

Deno.test("local-registry-hosting ConfigMap follows KEP-1755", () => {
  const cm = localRegistryHostingConfigMap("dev", 5050);
  assert.deepEqual(cm.metadata, {
    name: "local-registry-hosting",
    namespace: "kube-public",
    labels: { "app.kubernetes.io/managed-by": "bosun" },
  });
  assert.deepEqual(parse(cm.data["localRegistryHosting.v1"]!), {
    host: "localhost:5050",
    hostFromClusterNetwork: "dev-registry:5000",
    hostFromContainerRuntime: "dev-registry:5000",
    help:
      "https://github.com/kubernetes/enhancements/tree/master/keps/sig-cluster-lifecycle/generic/1755-communicating-a-local-registry",
  });
});

Deno.test("observe, stop/start and remove touch only containers labelled for the cluster", async () => {
  const world = await fakeWorld();
  try {
    const s = world.state();
    const mk = (name: string, labels: Record<string, string>) => ({
      id: `id-${name}`,
      name,
      image: "registry:3",
      labels,
      networks: ["kind"],
      state: "running",
      ports: [],
      env: [],
    });
    s.containers.push(
      mk("dev-registry", { "dev.bosun.cluster": "dev", "dev.bosun.role": "registry" }),
    );
    s.containers.push(
      mk("dev-mirror-docker.io", { "dev.bosun.cluster": "dev", "dev.bosun.role": "mirror" }),
    );
    s.containers.push(
      mk("devx-registry", { "dev.bosun.cluster": "devx", "dev.bosun.role": "registry" }),
    );
    s.volumes.push({ name: "dev-registry", labels: { "dev.bosun.cluster": "dev" } });
    s.networks.push({ name: "k3d-dev", labels: { "dev.bosun.cluster": "dev" } });
    world.setState(s);
    const regs = planRegistries(
      cfg({ spec: { registry: { mirrors: { "docker.io": "https://registry-1.docker.io" } } } }),
    );
    const observed = await observeRegistries(regs);
    assert.deepEqual([...observed.containers].sort(), ["dev-mirror-docker.io", "dev-registry"]);
    assert.deepEqual([...observed.volumes], ["dev-registry"]);

    assert.deepEqual((await setRegistriesRunning("dev", "stop")).sort(), [
      "dev-mirror-docker.io",
      "dev-registry",
    ]);
    assert.deepEqual(await setRegistriesRunning("dev", "stop"), [], "already stopped: no call");
    assert.equal(
      world.state().containers.find((c) => c.name === "devx-registry")!.state,
      "running",
    );

    const removed = await removeClusterResources("dev", { deleteVolumes: true });
    assert.deepEqual([...removed.containers].sort(), ["dev-mirror-docker.io", "dev-registry"]);
    assert.deepEqual(removed.networks, ["k3d-dev"]);
    assert.deepEqual(removed.volumes, ["dev-registry"]);
    const after = world.snapshot();
    assert.ok(
      after.containers.includes("devx-registry") && after.containers.includes("other-registry"),
    );
    assert.ok(after.volumes.includes("other-registry") && after.networks.includes("other-net"));

    const s2 = world.state();
    s2.containers.push(mk("dev-registry", {}));
    world.setState(s2);
    await assert.rejects(observeRegistries(regs), RegistryConflictError);
  } finally {
    await world.dispose();
  }
});

const peers = await requirePeers("etcd", "kube-apiserver");
const env = peers ? await useTestEnv({ mode: "api" }) : undefined;

Deno.test({
  name: "local-registry-hosting ConfigMap applies to the real apiserver and reads back",
  ignore: !env,
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const kube = await connectKube({ kubeconfig: env!.kubeconfig });
    try {
      const cm = localRegistryHostingConfigMap("regtest", 5123) as unknown as KubeObject;
      await applyManifests(kube, [cm]);
      const back = await kube.get({
        apiVersion: "v1",
        kind: "ConfigMap",
        name: "local-registry-hosting",
        namespace: "kube-public",
      });
      const data = (back as unknown as { data: Record<string, string> }).data;
      assert.equal(
        (parse(data["localRegistryHosting.v1"]!) as { host: string }).host,
        "localhost:5123",
      );
      const again = await applyManifests(kube, [cm]);
      assert.equal(again[0]!.action, "unchanged");
    } finally {
      kube.close();
      await env!.stop();
    }
  },
});

Deno.test("spec.registry.image is the image of the local registry and every mirror", async () => {
  const config = applyDefaults({
    metadata: { name: "dev" },
    spec: {
      registry: {
        image: "mirror.corp.example/library/registry:3.1",
        mirrors: { "docker.io": "https://registry-1.docker.io" },
      },
    },
  });
  const regs = planRegistries(config);
  assert.deepEqual(regs.map((r) => r.image), [
    "mirror.corp.example/library/registry:3.1",
    "mirror.corp.example/library/registry:3.1",
  ]);
  const plan = await planCluster(config, { stateDir: "/s" });
  const runs = plan.steps.filter((s) => s.kind === "command" && s.args[0] === "run");
  assert.equal(runs.length, 2);
  for (const r of runs) {
    assert.ok(r.kind === "command" && r.args.at(-1) === "mirror.corp.example/library/registry:3.1");
  }
  const problems = validateConfig({ spec: { registry: { image: "Not An Image!" } } });
  assert.equal(problems.length, 1);
  assert.equal(problems[0]!.path, "spec.registry.image");
});
