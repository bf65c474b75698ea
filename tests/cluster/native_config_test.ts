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
  allProviders,
  ClusterInputError,
  createSteps,
  formatPlan,
  K3dProvider,
  KindProvider,
  type ProviderInput,
  renderEksaSpec,
  renderK3dConfig,
  renderKindConfig,
  renderTalosPatches,
  talosNetwork,
  TalosProvider,
  talosRegistryAddresses,
} from "../../lib/cluster/mod.ts";
import {
  applyDefaults,
  type BosunConfig,
  CNIS,
  METRICS_SERVER_MODES,
} from "../../lib/config/mod.ts";
import { NOTHING_EXISTS, planRegistries, registryRoutes } from "../../lib/registry/mod.ts";
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
    // Cilium replaces kube-proxy on Talos (kubeProxyReplacement): kube-proxy must then be off.
    assert.equal(main.includes('"proxy":{"disabled":true}'), spec.cni === "Cilium");
    assert.equal(main.includes("rotate-server-certificates"), spec.metricsServer === "Enabled");
    // Serving certificates are approved by Bosun's pinned kubelet-csr-approver component only:
    // no second approver from an unpinned manifest.
    assert.ok(!main.includes("extraManifests") && !main.includes("https://"), main);
    assert.equal(main.includes("allowSchedulingOnControlPlanes"), spec.nodes!.workers === 0);
    const mirrors = patches.filter((d) => d.kind === "RegistryMirrorConfig");
    assert.equal(
      mirrors.length,
      Object.keys(spec.registry!.mirrors!).length + (spec.registry!.local!.enabled ? 2 : 0),
    );
    // Talos nodes cannot resolve container names: every endpoint is a fixed address on the
    // cluster's subnet, at the top of it.
    const prefix = talosNetwork("dev").cidr.replace(/\.0\/24$/, "");
    for (const m of mirrors) {
      for (const e of m.endpoints as { url: string }[]) {
        assert.match(
          e.url,
          new RegExp(`^http://${prefix.replace(/\./g, "\\.")}\\.2[0-9]{2}:5000$`),
        );
      }
    }
  }
  assert.ok(docs > 162);
});

Deno.test("Talos: registries get fixed addresses on a network Bosun creates with talosctl's labels and subnet", () => {
  const config: BosunConfig = {
    metadata: { name: "dev" },
    spec: {
      distribution: "Talos",
      registry: {
        local: { enabled: true, hostPort: 5050 },
        mirrors: { "docker.io": "https://registry-1.docker.io", "ghcr.io": "https://ghcr.io" },
      },
    },
  };
  const pinput = input(config);
  const { cidr } = talosNetwork("dev");
  const prefix = cidr.replace(/\.0\/24$/, "");
  assert.deepEqual(Object.fromEntries(talosRegistryAddresses("dev", pinput.registries)), {
    "dev-registry": `${prefix}.250`,
    "dev-mirror-docker.io": `${prefix}.249`,
    "dev-mirror-ghcr.io": `${prefix}.248`,
  });
  const byName = Object.fromEntries(
    renderTalosPatches(pinput).filter((d) => d.kind === "RegistryMirrorConfig").map((d) => [
      d.name,
      (d.endpoints as { url: string }[]).map((e) => e.url),
    ]),
  );
  assert.deepEqual(byName, {
    "localhost:5050": [`http://${prefix}.250:5000`],
    "dev-registry:5000": [`http://${prefix}.250:5000`],
    "docker.io": [`http://${prefix}.249:5000`],
    "ghcr.io": [`http://${prefix}.248:5000`],
  });
  const plan = new TalosProvider().plan(pinput);
  assert.equal(plan.preCreateNetwork, true, "the registries are on the network before nodes boot");
  assert.equal(plan.network, "dev");
  const opts = plan.networkOptions!.join(" ");
  assert.ok(opts.includes("--label talos.owned=true --label talos.cluster.name=dev"), opts);
  assert.ok(opts.includes(`--subnet ${cidr}`), opts);
  assert.deepEqual(plan.registryAddresses, {
    "dev-registry": `${prefix}.250`,
    "dev-mirror-docker.io": `${prefix}.249`,
    "dev-mirror-ghcr.io": `${prefix}.248`,
  });
  const steps = createSteps(new TalosProvider(), pinput, NOTHING_EXISTS, false);
  const run = steps.find((s) =>
    s.kind === "command" && s.args[0] === "run" &&
    s.args.includes("dev-registry")
  );
  assert.ok(run && run.kind === "command");
  const i = run.args.indexOf("--network");
  assert.deepEqual(run.args.slice(i, i + 4), ["--network", "dev", "--ip", `${prefix}.250`]);
  const net = steps.find((s) => s.kind === "command" && s.args[0] === "network");
  assert.ok(net && net.kind === "command" && net.args.includes("talos.owned=true"));
});

Deno.test("Talos: talosctl never writes the user's kubeconfig, binds to 127.0.0.1 and has a time limit", () => {
  const pinput = input({ metadata: { name: "dev" }, spec: { distribution: "Talos" } });
  const [create] = new TalosProvider().plan(pinput).create;
  assert.ok(create);
  // talosctl merges into $KUBECONFIG (else ~/.kube/config) after its checks; point it at the state dir.
  assert.deepEqual(create.env, {
    KUBECONFIG: "/home/dev/.bosun/clusters/dev/talos/kubeconfig",
  });
  const at = create.args.indexOf("--host-ip");
  assert.equal(create.args[at + 1], "127.0.0.1");
  assert.ok(create.timeoutMs !== undefined && create.timeoutMs >= 20 * 60_000);
  assert.equal(new TalosProvider().tool.minVersion, "1.13.0", "1.13.0 finishes with CNI none");
  assert.match(
    formatPlan({
      operation: "create",
      cluster: "dev",
      distribution: "Talos",
      context: "admin@dev",
      kubeconfig: "/k",
      stateDir: "/s",
      steps: [create],
    }),
    /KUBECONFIG=\/home\/dev\/\.bosun\/clusters\/dev\/talos\/kubeconfig talosctl cluster create docker .* \(time limit 25 min\)/,
  );
});

Deno.test("every provider's create and delete commands have a time limit", () => {
  for (const provider of allProviders()) {
    const pinput = input({
      metadata: { name: "dev" },
      spec: { distribution: provider.distribution },
    });
    const plan = provider.plan(pinput);
    for (const c of [...plan.create, ...provider.planDelete("dev", pinput.stateDir)]) {
      assert.ok(
        typeof c.timeoutMs === "number" && c.timeoutMs > 0,
        `${provider.distribution}: ${c.cmd} ${c.args.join(" ")}`,
      );
    }
  }
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
  assert.equal(
    spec.controlPlaneConfiguration && "kubeletConfiguration" in
        (spec.controlPlaneConfiguration as object),
    false,
    "metrics-server Default: kubelets untouched",
  );
});

Deno.test("EKS Anywhere: with metrics-server, every node group's kubelets request signed serving certificates", () => {
  const native = [
    "apiVersion: anywhere.eks.amazonaws.com/v1alpha1",
    "kind: Cluster",
    "metadata: { name: dev }",
    "spec:",
    "  controlPlaneConfiguration: { kubeletConfiguration: { kind: KubeletConfiguration, maxPods: 80 } }",
    "  workerNodeGroupConfigurations:",
    "    - { name: md-0, labels: { tier: app } }",
  ].join("\n");
  const [cluster] = renderEksaSpec(input({
    metadata: { name: "dev" },
    spec: { distribution: "EKSAnywhere", metricsServer: "Enabled", nodes: { workers: 1 } },
  }, native));
  const spec = cluster.spec as {
    controlPlaneConfiguration: { kubeletConfiguration: Record<string, unknown> };
    workerNodeGroupConfigurations: {
      labels?: object;
      kubeletConfiguration: Record<string, unknown>;
    }[];
  };
  const cp = spec.controlPlaneConfiguration.kubeletConfiguration;
  assert.equal(cp.kind, "KubeletConfiguration", "EKS Anywhere only reads it with this kind");
  assert.equal(cp.serverTLSBootstrap, true);
  assert.equal(cp.maxPods, 80, "the user's kubelet settings are kept");
  // Setting kubeletConfiguration drops the Docker provider's eviction-hard flag: restated.
  assert.deepEqual(cp.evictionHard, {
    "nodefs.available": "0%",
    "nodefs.inodesFree": "0%",
    "imagefs.available": "0%",
  });
  const [md] = spec.workerNodeGroupConfigurations;
  assert.equal(md!.kubeletConfiguration.serverTLSBootstrap, true);
  assert.deepEqual(md!.labels, { tier: "app" });
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

Deno.test("Kind: on a cgroup v1 Docker host, kubelets from 1.35 on are told to accept it", () => {
  const patchesOf = (config: BosunConfig, host?: 1 | 2, native?: string) => {
    const cfg = renderKindConfig({
      ...input(config, native),
      ...(host ? { hostCgroupVersion: host } : {}),
    });
    return ((cfg.kubeadmConfigPatches ?? []) as string[]).filter((p) => p.includes("failCgroupV1"));
  };
  const v136 = { spec: { kubernetesVersion: "v1.36.3" } };
  assert.equal(patchesOf(v136, 1).length, 1);
  assert.match(patchesOf(v136, 1)[0]!, /kind: KubeletConfiguration\nfailCgroupV1: false/);
  assert.equal(patchesOf({}, 1).length, 1, "kind's default node image is ≥ 1.35");
  assert.equal(patchesOf(v136, 2).length, 0, "cgroup v2: nothing");
  assert.equal(patchesOf(v136).length, 0, "unknown host (a plan without Docker): nothing");
  assert.equal(patchesOf({ spec: { kubernetesVersion: "1.34.2" } }, 1).length, 0);
  const own = "kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nkubeadmConfigPatches:\n" +
    "- |\n  kind: KubeletConfiguration\n  failCgroupV1: false\n";
  assert.equal(patchesOf(v136, 1, own).length, 1, "the user's own patch is not doubled");
});
