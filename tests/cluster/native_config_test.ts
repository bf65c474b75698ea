/**
 * Generated native configs: K3d and Talos validated against the upstream JSON
 * schemas for the full matrix (CNI × metrics-server × local registry × mirrors
 * × node counts); kind against its v1alpha4 field set (kind decodes strictly);
 * merging over users' native files keeps their per-node settings.
 */

import assert from "node:assert/strict";
import { Ajv } from "ajv";
import { Ajv2020 } from "ajv/dist/2020.js";
import { parse, parseAllDocuments } from "yaml";
import {
  ClusterInputError,
  K3dProvider,
  KindProvider,
  type ProviderInput,
  renderEksaSpec,
  renderK3dConfig,
  renderKindConfig,
  renderTalosPatches,
  TalosProvider,
} from "../../lib/cluster/mod.ts";
import {
  applyDefaults,
  type BosunConfig,
  CNIS,
  METRICS_SERVER_MODES,
} from "../../lib/config/mod.ts";
import { planRegistries, registryRoutes } from "../../lib/registry/mod.ts";
import { KIND_FIELDS } from "./_kind_fields.ts";

const VECTORS = new URL("../../../shared/vectors/", import.meta.url).pathname;
const read = (p: string) => Deno.readTextFileSync(`${VECTORS}${p}`);

function input(config: BosunConfig, native?: string): ProviderInput {
  const resolved = applyDefaults(config);
  const registries = planRegistries(resolved);
  return {
    config: resolved,
    registries,
    routes: registryRoutes(registries),
    stateDir: "/home/dev/.bosun/clusters/dev",
    ...(native !== undefined ? { native, nativePath: "native.yaml" } : {}),
  };
}

// --- validators ------------------------------------------------------------

const HOSTNAME =
  /^(?=.{1,253}$)([a-zA-Z0-9]([-a-zA-Z0-9]{0,61}[a-zA-Z0-9])?)(\.[a-zA-Z0-9]([-a-zA-Z0-9]{0,61}[a-zA-Z0-9])?)*$/;
const IPV4 = /^(\d{1,3}\.){3}\d{1,3}$/;

const k3dAjv = new Ajv({ allErrors: true, strict: false });
k3dAjv.addFormat("hostname", HOSTNAME);
k3dAjv.addFormat("ipv4", IPV4);
const validateK3d = k3dAjv.compile(JSON.parse(read("schemas/k3d/v1alpha5/schema.json")));

const talosAjv = new Ajv2020({ allErrors: true, strict: false, validateFormats: false });
const validateTalos = talosAjv.compile(JSON.parse(read("schemas/talos/config.schema.json")));

/** kind's strict decoding of v1alpha4, as a list of problems. */
function kindProblems(doc: unknown): string[] {
  const problems: string[] = [];
  const check = (obj: unknown, allowed: string[], at: string) => {
    if (typeof obj !== "object" || obj === null || Array.isArray(obj)) {
      problems.push(`${at}: not a mapping`);
      return;
    }
    for (const k of Object.keys(obj)) {
      if (!allowed.includes(k)) problems.push(`${at}.${k}: unknown field`);
    }
  };
  check(doc, KIND_FIELDS.top, "");
  const d = doc as Record<string, unknown>;
  if (d.kind !== "Cluster") problems.push("kind must be Cluster");
  if (d.apiVersion !== "kind.x-k8s.io/v1alpha4") problems.push("apiVersion");
  if (d.networking !== undefined) check(d.networking, KIND_FIELDS.networking, "networking");
  for (const [i, n] of ((d.nodes ?? []) as Record<string, unknown>[]).entries()) {
    check(n, KIND_FIELDS.node, `nodes[${i}]`);
    if (n.role !== "control-plane" && n.role !== "worker") problems.push(`nodes[${i}].role`);
    for (const m of (n.extraMounts ?? []) as unknown[]) {
      check(m, KIND_FIELDS.mount, `nodes[${i}].extraMounts`);
    }
    for (const p of (n.extraPortMappings ?? []) as unknown[]) {
      check(p, KIND_FIELDS.port, `nodes[${i}].extraPortMappings`);
    }
  }
  for (const key of ["kubeadmConfigPatches", "containerdConfigPatches"]) {
    const v = d[key];
    if (v !== undefined && !(Array.isArray(v) && v.every((p) => typeof p === "string"))) {
      problems.push(`${key}: must be a list of strings`);
    }
  }
  return problems;
}

Deno.test("validators accept the upstream valid examples and reject the invalid ones", () => {
  const k3d = `schemas/k3d/examples/`;
  for (
    const f of [
      "config_test_simple.yaml",
      "config_test_registries.yaml",
      "config_test_simple_2.yaml",
    ]
  ) {
    assert.ok(validateK3d(parse(read(k3d + f))), `${f}: ${JSON.stringify(validateK3d.errors)}`);
  }
  for (const f of ["config_test_simple_invalid_servers.yaml", "config_test_unknown.yaml"]) {
    assert.equal(validateK3d(parse(read(k3d + f))), false, f);
  }
  const kind = `schemas/kind/examples/`;
  for (
    const f of [
      "valid-full-ha.yaml",
      "valid-many-fields.yaml",
      "valid-port-and-mount.yaml",
      "valid-kind-workers-patches.yaml",
    ]
  ) {
    assert.deepEqual(kindProblems(parse(read(kind + f))), [], f);
  }
  for (const f of ["invalid-bogus-field.yaml", "invalid-kind.yaml", "invalid-apiversion.yaml"]) {
    assert.notDeepEqual(kindProblems(parse(read(kind + f))), [], f);
  }
  const talos = parseAllDocuments(read("schemas/talos/examples/v1.13-base-worker.yaml")).map((d) =>
    d.toJS() as Record<string, unknown>
  );
  for (const doc of talos) {
    delete doc.persist; // the documented schema gap
    assert.ok(validateTalos(doc), JSON.stringify(validateTalos.errors?.slice(0, 3)));
  }
  assert.equal(validateTalos({ machine: { bogus: true } }), false);
  assert.equal(
    validateTalos({
      apiVersion: "v1alpha1",
      kind: "RegistryMirrorConfig",
      name: "docker.io",
      endpoints: [{ url: "ftp://x" }],
    }),
    false,
  );
});

// --- the matrix --------------------------------------------------------------

const MIRROR_SETS: Record<string, string>[] = [
  {},
  { "docker.io": "https://registry-1.docker.io" },
  {
    "docker.io": "https://registry-1.docker.io",
    "ghcr.io": "https://ghcr.io",
    "registry.k8s.io": "https://registry.k8s.io",
  },
];
const NODE_COUNTS = [{ controlPlanes: 1, workers: 0 }, { controlPlanes: 1, workers: 2 }, {
  controlPlanes: 3,
  workers: 1,
}];

function* matrix(): Generator<BosunConfig> {
  for (const cni of CNIS) {
    for (const metricsServer of METRICS_SERVER_MODES) {
      for (const enabled of [true, false]) {
        for (const mirrors of MIRROR_SETS) {
          for (const nodes of NODE_COUNTS) {
            yield {
              metadata: { name: "dev" },
              spec: {
                cni,
                metricsServer,
                nodes,
                registry: { local: { enabled, hostPort: 5050 }, mirrors },
              },
            };
          }
        }
      }
    }
  }
}

Deno.test("K3d: every matrix config validates against the k3d v1alpha5 schema and says what it should", () => {
  let n = 0;
  for (const config of matrix()) {
    const cfg = renderK3dConfig(input(config));
    assert.ok(
      validateK3d(cfg),
      `${JSON.stringify(config.spec)}: ${JSON.stringify(validateK3d.errors)}`,
    );
    const spec = config.spec!;
    assert.equal(cfg.servers, spec.nodes!.controlPlanes);
    assert.equal(cfg.agents, spec.nodes!.workers);
    const text = JSON.stringify(cfg);
    assert.equal(text.includes("--flannel-backend=none"), spec.cni !== "Default");
    assert.equal(text.includes("--disable-network-policy"), spec.cni !== "Default");
    assert.equal(text.includes("--disable=metrics-server"), spec.metricsServer === "Disabled");
    const registries = cfg.registries as { config?: string } | undefined;
    const hosts = Object.keys(
      (parse(registries?.config ?? "{}") as { mirrors?: object }).mirrors ?? {},
    );
    const want = [
      ...(spec.registry!.local!.enabled ? ["localhost:5050", "dev-registry:5000"] : []),
      ...Object.keys(spec.registry!.mirrors!),
    ];
    assert.deepEqual(hosts.sort(), want.sort());
    n++;
  }
  assert.equal(n, 162);
});

Deno.test("Talos: every matrix patch document validates against the Talos v1.13 schema", () => {
  let docs = 0;
  for (const config of matrix()) {
    const patches = renderTalosPatches(input(config));
    for (const doc of patches) {
      assert.ok(
        validateTalos(doc),
        `${JSON.stringify(config.spec)}: ${JSON.stringify(validateTalos.errors?.slice(0, 3))}`,
      );
      docs++;
    }
    const spec = config.spec!;
    const main = JSON.stringify(patches.find((d) => !("kind" in d)) ?? {});
    assert.equal(main.includes('"cni":{"name":"none"}'), spec.cni !== "Default");
    assert.equal(main.includes("rotate-server-certificates"), spec.metricsServer === "Enabled");
    assert.equal(main.includes("kubelet-serving-cert-approver"), spec.metricsServer === "Enabled");
    assert.equal(main.includes("allowSchedulingOnControlPlanes"), spec.nodes!.workers === 0);
    const mirrors = patches.filter((d) => d.kind === "RegistryMirrorConfig").map((d) => d.name);
    assert.equal(
      mirrors.length,
      Object.keys(spec.registry!.mirrors!).length + (spec.registry!.local!.enabled ? 2 : 0),
    );
  }
  assert.ok(docs > 162);
});

Deno.test("Kind: every matrix config passes kind's strict v1alpha4 field set", () => {
  for (const config of matrix()) {
    const cfg = renderKindConfig(input(config));
    assert.deepEqual(kindProblems(cfg), [], JSON.stringify(config.spec));
    const spec = config.spec!;
    const nodes = cfg.nodes as { role: string; extraMounts?: { containerPath: string }[] }[];
    assert.equal(nodes.filter((n) => n.role === "control-plane").length, spec.nodes!.controlPlanes);
    assert.equal(nodes.filter((n) => n.role === "worker").length, spec.nodes!.workers);
    const wired = spec.registry!.local!.enabled || Object.keys(spec.registry!.mirrors!).length > 0;
    assert.equal(
      nodes.every((n) => n.extraMounts?.some((m) => m.containerPath === "/etc/containerd/certs.d")),
      wired,
    );
    assert.equal(JSON.stringify(cfg).includes("config_path"), wired);
    assert.equal(
      (cfg.networking as { disableDefaultCNI?: boolean } | undefined)?.disableDefaultCNI === true,
      spec.cni !== "Default",
    );
    assert.equal(
      JSON.stringify(cfg).includes("serverTLSBootstrap"),
      spec.metricsServer === "Enabled",
    );
  }
});

// --- merging over users' files -------------------------------------------------

Deno.test("Kind: merging keeps per-node settings and adds plain nodes; dropping a configured node is an error", () => {
  const native = read("schemas/kind/examples/valid-kind-workers-patches.yaml");
  const cfg = renderKindConfig(
    input({
      metadata: { name: "dev" },
      spec: { cni: "Cilium", nodes: { controlPlanes: 1, workers: 4 } },
    }, native),
  );
  const nodes = cfg.nodes as Record<string, unknown>[];
  assert.equal(nodes.length, 5);
  assert.ok(
    String((nodes[1]!.kubeadmConfigPatches as string[])[0]).includes("aqua=gateway"),
    "worker 1 patch kept",
  );
  assert.ok(nodes[2]!.kubeadmConfigPatchesJSON6902, "worker 2 JSON6902 patch kept");
  assert.deepEqual(Object.keys(nodes[4]!), ["role", "extraMounts"]);
  assert.equal(cfg.name, "dev");
  assert.deepEqual(kindProblems(cfg), []);

  const mounts = read("schemas/kind/examples/valid-port-and-mount.yaml");
  const merged = renderKindConfig(input({ metadata: { name: "dev" } }, mounts));
  const cp = (merged.nodes as Record<string, unknown>[])[0]!;
  assert.ok(cp.extraPortMappings, "port mapping kept");
  assert.deepEqual((cp.extraMounts as { containerPath: string }[]).map((m) => m.containerPath), [
    "/bar",
    "/etc/containerd/certs.d",
  ]);

  assert.throws(
    () => renderKindConfig(input({ spec: { nodes: { workers: 1 } } }, native)),
    (e: unknown) =>
      e instanceof ClusterInputError && e.field === "spec.distributionConfig" &&
      /spec.nodes.workers/.test(e.message),
  );
  assert.throws(
    () => renderKindConfig(input({}, read("schemas/kind/examples/invalid-kind.yaml"))),
    ClusterInputError,
  );
});

Deno.test("K3d: merging over the upstream example keeps ports, volumes, files and args", () => {
  const native = read("schemas/k3d/examples/config_test_simple.yaml");
  const cfg = renderK3dConfig(
    input({
      metadata: { name: "dev" },
      spec: { cni: "Calico", nodes: { controlPlanes: 1, workers: 1 } },
    }, native),
  );
  assert.ok(validateK3d(cfg), JSON.stringify(validateK3d.errors));
  const original = parse(native) as Record<string, unknown>;
  for (const key of ["ports", "volumes", "files", "env", "kubeAPI", "image"]) {
    assert.deepEqual(cfg[key], original[key], key);
  }
  const args = (cfg.options as { k3s: { extraArgs: { arg: string }[] } }).k3s.extraArgs.map((a) =>
    a.arg
  );
  assert.deepEqual(args, [
    "--tls-san=127.0.0.1",
    "--flannel-backend=none",
    "--disable-network-policy",
  ]);
  assert.deepEqual((cfg.metadata as { name: string }).name, "dev");
  assert.equal(cfg.agents, 1);
});

Deno.test("Talos: the user's patch goes first on the command line, Bosun's last", () => {
  const provider = new TalosProvider();
  const plan = provider.plan(
    input(
      { metadata: { name: "dev" }, spec: { distribution: "Talos" } },
      "machine:\n  kubelet:\n    extraArgs:\n      v: '2'\n",
    ),
  );
  const args = plan.create[0]!.args;
  const patches = args.flatMap((a, i) => (args[i - 1] === "--config-patch" ? [a] : []));
  assert.deepEqual(patches, [
    "@/home/dev/.bosun/clusters/dev/talos/user-patch.yaml",
    "@/home/dev/.bosun/clusters/dev/talos/bosun-patch.yaml",
  ]);
  assert.deepEqual(args.slice(0, 3), ["cluster", "create", "docker"]);
  assert.ok(args.includes("--talosconfig-destination") && args.includes("--subnet"));
});

Deno.test("Talos: more than one control plane is refused by field before anything runs", () => {
  assert.throws(
    () =>
      new TalosProvider().plan(
        input({
          metadata: { name: "dev" },
          spec: { distribution: "Talos", nodes: { controlPlanes: 3 } },
        }),
      ),
    /spec\.nodes\.controlPlanes: talosctl cluster create docker makes exactly one control plane/,
  );
});

Deno.test("EKS Anywhere: counts, version and mirror over the upstream sample; Calico is refused by field", () => {
  const native = read("crds/eks-anywhere/samples/cluster_docker.yaml");
  const [cluster, dc] = renderEksaSpec(input({
    metadata: { name: "dev" },
    spec: {
      distribution: "EKSAnywhere",
      kubernetesVersion: "v1.31.4",
      nodes: { controlPlanes: 1, workers: 2 },
      registry: { mirrors: { "public.ecr.aws": "https://public.ecr.aws" } },
    },
  }, native));
  const spec = cluster.spec as Record<string, unknown>;
  assert.equal(spec.kubernetesVersion, "1.31");
  assert.deepEqual(spec.controlPlaneConfiguration, { count: 1 });
  assert.deepEqual(spec.workerNodeGroupConfigurations, [{ name: "md-0", count: 2 }]);
  assert.deepEqual((spec.clusterNetwork as Record<string, unknown>).pods, {
    cidrBlocks: ["192.168.0.0/16"],
  });
  assert.equal(
    (spec.registryMirrorConfiguration as { endpoint: string }).endpoint,
    "dev-mirror-public.ecr.aws",
  );
  assert.deepEqual(dc.metadata, { name: "dev" });
  assert.throws(
    () => renderEksaSpec(input({ spec: { distribution: "EKSAnywhere", cni: "Calico" } })),
    (e: unknown) => e instanceof ClusterInputError && e.field === "spec.cni",
  );
});

Deno.test("plans name the exact native files and commands", () => {
  const kind = new KindProvider().plan(
    input({
      metadata: { name: "dev" },
      spec: { registry: { mirrors: { "docker.io": "https://registry-1.docker.io" } } },
    }),
  );
  assert.deepEqual(kind.files.map((f) => f.path.replace("/home/dev/.bosun/clusters/dev/", "")), [
    "kind.yaml",
    "certs.d/localhost:5050/hosts.toml",
    "certs.d/dev-registry:5000/hosts.toml",
    "certs.d/docker.io/hosts.toml",
  ]);
  assert.equal(
    kind.files[3]!.content,
    'server = "https://registry-1.docker.io"\n\n[host."http://dev-mirror-docker.io:5000"]\n  capabilities = ["pull", "resolve"]\n',
  );
  const k3d = new K3dProvider().plan(input({ metadata: { name: "dev" } }));
  assert.deepEqual([k3d.create[0]!.cmd, ...k3d.create[0]!.args], [
    "k3d",
    "cluster",
    "create",
    "dev",
    "--config",
    "/home/dev/.bosun/clusters/dev/k3d.yaml",
  ]);
  assert.equal(k3d.network, "k3d-dev");
  assert.equal(k3d.preCreateNetwork, true);
});
