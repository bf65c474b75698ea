/**
 * Per-distribution values and the install plan, as data. The snapshot
 * (__snapshots__/plans.yaml) was read by a person; regenerate it with
 * `UPDATE_SNAPSHOTS=1 deno test -A tests/components/plan_test.ts` and read the diff.
 */
import assert from "node:assert/strict";
import { parse, stringify } from "yaml";
import {
  applyDefaults,
  COMPONENT_NAMES,
  DISTRIBUTIONS,
  parseConfig,
  type ResolvedConfig,
} from "../../lib/config/mod.ts";
import { GITOPS_COMPONENTS } from "../../lib/gitops/mod.ts";
import {
  BUILTIN_COMPONENTS,
  type Component,
  ComponentConfigError,
  ComponentGraphError,
  defineHelmComponent,
  installCilium,
  PINNED_CHARTS,
  PINNED_MANIFESTS,
  planComponents,
} from "../../lib/components/mod.ts";

const SNAPSHOT = new URL("./__snapshots__/plans.yaml", import.meta.url);

function everything(
  distribution: ResolvedConfig["spec"]["distribution"],
  cni: "Cilium" | "Calico",
) {
  return applyDefaults({
    metadata: { name: "dev" },
    spec: {
      distribution,
      cni,
      csi: "LocalPathStorage",
      metricsServer: "Enabled",
      certManager: "Enabled",
      policyEngine: "Kyverno",
    },
  });
}

function snapshotData(): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const d of DISTRIBUTIONS) {
    for (const cni of ["Cilium", "Calico"] as const) {
      let graph: ReturnType<typeof planComponents>;
      try {
        graph = planComponents(everything(d, cni));
      } catch (error) {
        // A config the distribution cannot run (Calico beside EKS Anywhere's Cilium).
        out[`${d} + ${cni}`] = { refused: (error as Error).message };
        continue;
      }
      out[`${d} + ${cni}`] = {
        waves: graph.waves,
        components: graph.nodes.map((n) => ({
          name: n.name,
          phase: n.phase,
          dependsOn: n.dependsOn,
          chart: n.source.chart,
          version: n.version,
          release: n.release,
          namespace: n.namespace,
          values: n.values,
          ...(n.source.type === "manifest" ? { sha256: n.source.sha256 } : {}),
        })),
      };
    }
  }
  return out;
}

Deno.test("plans for every distribution match the reviewed snapshot", async () => {
  const actual = snapshotData();
  if (Deno.env.get("UPDATE_SNAPSHOTS") === "1") {
    await Deno.mkdir(new URL("./__snapshots__/", import.meta.url), { recursive: true });
    await Deno.writeTextFile(SNAPSHOT, stringify(actual, { lineWidth: 0 }));
  }
  const expected = parse(await Deno.readTextFile(SNAPSHOT));
  assert.deepEqual(actual, expected);
});

Deno.test("the plan puts the CNI first, cert-manager before its dependants, and pins every chart", () => {
  for (const d of DISTRIBUTIONS.filter((d) => d !== "EKSAnywhere")) {
    const graph = planComponents(everything(d, "Cilium"));
    assert.deepEqual(graph.waves[0], ["cilium"], d);
    const order = graph.nodes.map((n) => n.name);
    assert.ok(order.indexOf("cert-manager") < order.indexOf("kyverno"), d);
    for (const n of graph.nodes) {
      assert.match(n.version, /^v?\d+\.\d+\.\d+$/, `${d}: ${n.name} has a pinned version`);
      if (n.name !== "cilium") assert.ok(n.dependsOn.includes("cilium"), `${n.name} after the CNI`);
    }
  }
  // EKS Anywhere runs its own Cilium: nothing waits for a CNI Bosun does not install.
  const eksa = planComponents(everything("EKSAnywhere", "Cilium"));
  assert.ok(eksa.nodes.every((n) => n.phase !== "cni" && !n.dependsOn.includes("cilium")));
  const gk = planComponents(applyDefaults({
    spec: { certManager: "Enabled", policyEngine: "Gatekeeper" },
  }));
  assert.deepEqual(gk.waves, [["cert-manager"], ["gatekeeper"]]);
});

Deno.test("enabled knows what each distribution ships", () => {
  const names = (c: ResolvedConfig) => planComponents(c).nodes.map((n) => n.name);
  const k3d = applyDefaults({
    spec: { distribution: "K3d", csi: "LocalPathStorage", metricsServer: "Enabled" },
  });
  assert.deepEqual(names(k3d), [], "K3d ships metrics-server and local-path storage");
  const kind = applyDefaults({
    spec: { distribution: "Kind", csi: "LocalPathStorage", metricsServer: "Enabled" },
  });
  assert.deepEqual(names(kind), ["local-path-storage", "kubelet-csr-approver", "metrics-server"]);
  assert.deepEqual(names(applyDefaults({})), [], "defaults install nothing");
  assert.deepEqual(names(applyDefaults({ spec: { metricsServer: "Default" } })), []);
  // EKS Anywhere bundles Cilium: spec.cni Cilium means its own, never a second one. Its kubelets
  // request signed serving certificates (the provider sets kubeletConfiguration), so
  // metrics-server comes with the approver.
  const eksa = applyDefaults({
    spec: { distribution: "EKSAnywhere", cni: "Cilium", metricsServer: "Enabled" },
  });
  assert.deepEqual(names(eksa), ["kubelet-csr-approver", "metrics-server"]);
  // Talos: one approver, Bosun's pinned chart (the Talos patch applies no manifest of its own).
  const talos = applyDefaults({ spec: { distribution: "Talos", metricsServer: "Enabled" } });
  assert.deepEqual(names(talos), ["kubelet-csr-approver", "metrics-server"]);
});

Deno.test("installCilium refuses a cluster created with its distribution's CNI, naming spec.cni and the fix", async () => {
  const refused = (e: unknown) =>
    e instanceof ComponentConfigError && e.component === "cilium" && e.field === "spec.cni";
  for (const d of ["Kind", "K3d", "Talos"] as const) {
    const config = applyDefaults({ metadata: { name: "dev" }, spec: { distribution: d } });
    const error = await installCilium(config).then(() => undefined, (e: unknown) => e);
    assert.ok(refused(error), `${d}: ${error}`);
    assert.match((error as Error).message, /spec\.cni is "Default"/);
    assert.match((error as Error).message, /second CNI/);
    assert.match((error as Error).message, /spec\.cni: Cilium/, "says how to fix it");
    // The same refusal for a cluster handle without a config, and for Calico's cluster.
    const handle = { name: "dev", distribution: d };
    assert.ok(refused(await installCilium(handle).then(() => undefined, (e: unknown) => e)));
    const calico = applyDefaults({ spec: { distribution: d, cni: "Calico" } });
    assert.throws(() => planComponents(calico, { only: ["cilium"] }), refused);
    // A cluster created for Cilium plans it.
    const ok = applyDefaults({ spec: { distribution: d, cni: "Cilium" } });
    assert.deepEqual(planComponents(ok, { only: ["cilium"] }).nodes.map((n) => n.name), ["cilium"]);
  }
  const eksa = applyDefaults({ spec: { distribution: "EKSAnywhere", cni: "Cilium" } });
  assert.throws(
    () => planComponents(eksa, { only: ["cilium"] }),
    (e: unknown) => refused(e) && /EKSAnywhere always runs its own CNI \(cilium\)/.test(String(e)),
  );
  assert.throws(
    () => planComponents(applyDefaults({ spec: { cni: "Cilium" } }), { only: ["calico"] }),
    (e: unknown) => e instanceof ComponentConfigError && e.field === "spec.cni",
  );
});

Deno.test("per-distribution values: Cilium on Talos and elsewhere", () => {
  const talos = planComponents(everything("Talos", "Cilium")).nodes[0]!.values as Record<
    string,
    unknown
  >;
  assert.equal(talos.k8sServiceHost, "localhost");
  assert.equal(talos.k8sServicePort, 7445);
  assert.equal(talos.kubeProxyReplacement, true);
  assert.deepEqual(talos.cgroup, { autoMount: { enabled: false }, hostRoot: "/sys/fs/cgroup" });
  const caps = (talos.securityContext as { capabilities: { ciliumAgent: string[] } }).capabilities;
  assert.ok(!caps.ciliumAgent.includes("SYS_MODULE"));
  const kind = planComponents(everything("Kind", "Cilium")).nodes[0]!.values;
  assert.deepEqual(kind, { operator: { replicas: 1 } }, "kube-proxy runs on Kind: no replacement");
});

Deno.test("metrics-server never gets --kubelet-insecure-tls", () => {
  const config = applyDefaults({
    spec: {
      metricsServer: "Enabled",
      components: { "metrics-server": { values: { args: ["--kubelet-insecure-tls"] } } },
    },
  });
  assert.throws(() => planComponents(config), ComponentConfigError);
  const plain = planComponents(applyDefaults({ spec: { metricsServer: "Enabled" } }));
  const ms = plain.nodes.find((n) => n.name === "metrics-server")!;
  assert.ok(!JSON.stringify(ms.values).includes("insecure"));
});

Deno.test("bosun.yaml overrides versions and values of any component", () => {
  const config = applyDefaults({
    spec: {
      cni: "Cilium",
      components: {
        cilium: {
          version: "1.18.5",
          values: { operator: { replicas: 2 }, hubble: { enabled: true } },
        },
        "local-path-storage": { values: { nodePaths: ["/data"] } },
      },
      csi: "LocalPathStorage",
    },
  });
  const [cilium, lps] = planComponents(config).nodes;
  assert.equal(cilium!.version, "1.18.5");
  assert.deepEqual(cilium!.values, { operator: { replicas: 2 }, hubble: { enabled: true } });
  assert.deepEqual(lps!.values.nodePaths, ["/data"]);
  assert.equal(PINNED_CHARTS.cilium.version, "1.19.3", "the pin itself is untouched");
  assert.equal(lps!.version, PINNED_MANIFESTS["local-path-storage"].version);
});

Deno.test("extra components (GitOps engines) run last; only, unknown names and cycles", () => {
  const fake = (name: string, phase: Component["phase"], dependsOn: string[] = []) =>
    defineHelmComponent({
      name,
      phase,
      dependsOn,
      chart: { path: `/charts/${name}` },
      version: "0.1.0",
      namespace: name,
      enabled: () => true,
    });
  const config = applyDefaults({ spec: { cni: "Calico", certManager: "Enabled" } });
  const graph = planComponents(config, { extraComponents: [fake("flux-operator", "gitops")] });
  assert.deepEqual(graph.waves, [["calico"], ["cert-manager"], ["flux-operator"]]);
  assert.deepEqual(graph.nodes.at(-1)!.dependsOn, ["calico", "cert-manager"]);

  assert.deepEqual(
    planComponents(config, { only: ["kyverno"] }).nodes.map((n) => n.name),
    ["kyverno"],
    "only installs what is named, even when the config does not enable it",
  );
  assert.throws(() => planComponents(config, { only: ["nope"] }), ComponentGraphError);
  assert.throws(
    () =>
      planComponents(config, {
        components: [fake("a", "addon", ["b"]), fake("b", "addon", ["a"])],
      }),
    (e: unknown) =>
      e instanceof ComponentGraphError && /cycle a → b → a|cycle b → a → b/.test(e.message),
  );
  assert.throws(
    () => planComponents(config, { extraComponents: [BUILTIN_COMPONENTS[0]!] }),
    /defined twice/,
  );
});

Deno.test("bosun.yaml names exactly the components Bosun ships", () => {
  const shipped = [...BUILTIN_COMPONENTS, ...GITOPS_COMPONENTS].map((c) => c.name).sort();
  assert.deepEqual([...COMPONENT_NAMES].sort(), shipped);
});

Deno.test("a component added with defineHelmComponent is configured from bosun.yaml", () => {
  const web = defineHelmComponent({
    name: "web",
    chart: { path: "/charts/web" },
    version: "0.1.0",
    namespace: "web",
    enabled: () => true,
    values: () => ({ replicas: 1, image: "web:1" }),
  });
  const config = parseConfig(
    [
      "apiVersion: bosun.dev/v1alpha1",
      "kind: Cluster",
      "spec:",
      "  components:",
      "    web: { version: 0.2.0, values: { replicas: 3 } }",
      "    cilium: { values: { hubble: { enabled: true } } }",
    ].join("\n"),
    "bosun.yaml",
  );
  const [plan] = planComponents(config, { components: [web] }).nodes;
  assert.equal(plan!.version, "0.2.0");
  assert.deepEqual(plan!.values, { replicas: 3, image: "web:1" });
  // A near miss of a built-in name is still a typo, reported with the suggestion.
  assert.throws(
    () => parseConfig("spec:\n  components:\n    cillium: {}\n", "bosun.yaml"),
    /spec\.components\.cillium: unknown key "cillium" \(did you mean "cilium"\?\)/,
  );
  assert.throws(
    () => parseConfig("spec:\n  components:\n    Web_App: {}\n", "bosun.yaml"),
    /spec\.components\.Web_App: key "Web_App" is not valid/,
  );
});
