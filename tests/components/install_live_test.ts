/**
 * The component graph for real: local charts installed through the same Helm
 * wrapper and graph into the test control plane in full mode (kwok makes the
 * pods Ready, `--wait` waits for Available Deployments), local-path storage
 * applied with server-side apply, and the checksum-verified manifest fetch
 * served by a local file server.
 */
import assert from "node:assert/strict";
import { stringify } from "yaml";
import { applyDefaults, type ResolvedConfig } from "../../lib/config/mod.ts";
import {
  type Component,
  ComponentInstallError,
  defineHelmComponent,
  installComponents,
  installLocalPathStorage,
  ManifestChecksumError,
  ReleasePodsNotReadyError,
  sha256Hex,
} from "../../lib/components/mod.ts";
import { HelmError } from "../../lib/helm/mod.ts";
import { connectKube } from "../../lib/kube/mod.ts";
import { CHARTS, useLiveHelm } from "../helm/_live.ts";

const setup = await useLiveHelm();
const env = setup?.env;
const live = { ignore: !env, sanitizeResources: false, sanitizeOps: false };

function configFor(name: string, extra: ResolvedConfig["spec"]["components"] = {}): ResolvedConfig {
  return applyDefaults({
    metadata: { name },
    spec: { kubeconfig: env!.kubeconfig, context: "bosun-test", components: extra },
  });
}

/** A component installing the local `app` chart (or another fixture chart). */
function chartComponent(
  name: string,
  ns: string,
  opts: {
    phase?: Component["phase"];
    dependsOn?: string[];
    chart?: string;
    values?: Record<string, unknown>;
  } = {},
): Component {
  return defineHelmComponent({
    name,
    phase: opts.phase ?? "addon",
    dependsOn: opts.dependsOn ?? [],
    chart: { path: `${CHARTS}${opts.chart ?? "app"}` },
    version: "0.1.0",
    namespace: ns,
    enabled: () => true,
    values: () => ({ message: `I am ${name}`, ...opts.values }),
  });
}

const suffix = () => Date.now().toString(36);

Deno.test({
  name: "a graph of local charts installs with --wait; the second run changes nothing",
  ...live,
  fn: async () => {
    const ns = `graph-${suffix()}`;
    const components = [
      chartComponent("net", ns, { phase: "cni" }),
      chartComponent("certs", ns),
      chartComponent("storage", ns, { values: { replicas: 2 } }),
      chartComponent("policy", ns, { dependsOn: ["certs"] }),
      chartComponent("engine", ns, { phase: "gitops" }),
    ];
    const helm = await setup!.connect();
    const config = configFor("graph");
    const first = await installComponents(config, { components, helm, timeoutMs: 60_000 });
    assert.deepEqual(first.components.map((c) => [c.name, c.status]), [
      ["net", "installed"],
      ["certs", "installed"],
      ["storage", "installed"],
      ["policy", "installed"],
      ["engine", "installed"],
    ]);
    const at = Object.fromEntries(first.components.map((c) => [c.name, c]));
    const end = (n: string) => at[n]!.startedAtMs! + at[n]!.durationMs;
    for (const n of ["certs", "storage", "policy", "engine"]) {
      assert.ok(at[n]!.startedAtMs! >= end("net") - 1, `${n} starts after the CNI is ready`);
    }
    assert.ok(at.policy!.startedAtMs! >= end("certs") - 1);
    assert.ok(at.engine!.startedAtMs! >= Math.max(end("policy"), end("storage")) - 1);

    // The Deployments really are Available (kwok made the pods Ready; helm waited).
    const kube = await connectKube({ kubeconfig: env!.kubeconfig });
    try {
      const dep = await kube.get({
        apiVersion: "apps/v1",
        kind: "Deployment",
        name: "storage",
        namespace: ns,
      });
      assert.equal((dep?.status as { availableReplicas?: number }).availableReplicas, 2);
    } finally {
      kube.close();
    }

    const second = await installComponents(config, { components, helm, timeoutMs: 60_000 });
    assert.equal(second.changed, false);
    assert.ok(
      second.components.every((c) => c.status === "unchanged"),
      JSON.stringify(second.components),
    );
    const revisions = await Promise.all(
      ["net", "certs", "storage", "policy", "engine"].map((r) => helm.status(r, { namespace: ns })),
    );
    assert.deepEqual(revisions.map((r) => r?.revision), [1, 1, 1, 1, 1], "no new Helm revisions");

    // bosun.yaml values reach the release.
    const third = await installComponents(
      configFor("graph", { storage: { values: { replicas: 1 } } } as never),
      { components, helm, timeoutMs: 60_000 },
    );
    assert.deepEqual(
      third.components.filter((c) => c.status === "installed").map((c) => c.name),
      ["storage"],
    );
  },
});

Deno.test({
  name: "a failing install stops the graph and names component, chart and Helm's cause",
  ...live,
  fn: async () => {
    const ns = `fail-${suffix()}`;
    const components = [
      chartComponent("net", ns, { phase: "cni" }),
      chartComponent("bad", ns, { chart: "broken" }),
      chartComponent("needs-bad", ns, { dependsOn: ["bad"] }),
      chartComponent("engine", ns, { phase: "gitops" }),
    ];
    const helm = await setup!.connect();
    const err = await installComponents(configFor("fail"), { components, helm, timeoutMs: 30_000 })
      .then(() => undefined, (e: unknown) => e);
    assert.ok(err instanceof ComponentInstallError, String(err));
    assert.equal(err.component, "bad");
    assert.match(err.chart, /fixtures\/charts\/broken$/);
    assert.ok(err.cause instanceof HelmError);
    assert.match(
      err.message,
      /^Cannot install component "bad" \(chart .*broken@0\.1\.0\): Cannot install release "bad"/,
    );
    assert.match(err.message, /Not_A_Valid_Name/);
    const status = Object.fromEntries(err.result.components.map((c) => [c.name, c.status]));
    assert.deepEqual(status, {
      net: "installed",
      bad: "failed",
      "needs-bad": "skipped",
      engine: "skipped",
    });
    assert.equal(await helm.status("needs-bad", { namespace: ns }), undefined, "never started");
  },
});

Deno.test({
  name: "a component that never becomes ready fails the graph with a readable timeout",
  ...live,
  fn: async () => {
    const ns = `stuck-${suffix()}`;
    const components = [
      chartComponent("stuck", ns, { values: { nodeSelector: { "bosun.dev/none": "true" } } }),
    ];
    const helm = await setup!.connect();
    const err = await installComponents(configFor("stuck"), { components, helm, timeoutMs: 4_000 })
      .then(() => undefined, (e: unknown) => e);
    assert.ok(err instanceof ComponentInstallError, String(err));
    // Bosun reads the release's pods: the one that cannot be scheduled is named, with Helm's
    // timed-out wait kept as the cause.
    const pods = err.cause;
    assert.ok(pods instanceof ReleasePodsNotReadyError, String(pods));
    assert.ok(pods.cause instanceof HelmError && pods.cause.timedOut, String(pods.cause));
    assert.match(pods.pods.join("\n"), /stuck-[a-z0-9-]+.*Unschedulable/);
    assert.match(err.message, /Deployment\/stuck-[a-z0-9]+\/stuck not ready/);
    await helm.uninstall("stuck", { namespace: ns, wait: false });
  },
});

Deno.test({
  name: "local-path storage applies, becomes ready, is the default class, and reruns unchanged",
  ...live,
  fn: async () => {
    const config = applyDefaults({
      metadata: { name: "lps" },
      spec: { kubeconfig: env!.kubeconfig, context: "bosun-test", csi: "LocalPathStorage" },
    });
    // The shared test cluster may already hold local-path storage from another test: start clean.
    const pre = await connectKube({ kubeconfig: env!.kubeconfig });
    try {
      const ns = { apiVersion: "v1", kind: "Namespace", name: "local-path-storage" };
      await pre.delete({
        apiVersion: "storage.k8s.io/v1",
        kind: "StorageClass",
        name: "local-path",
      });
      if (await pre.delete(ns)) {
        for (let i = 0; i < 120 && await pre.get(ns); i++) {
          await new Promise((r) => setTimeout(r, 250));
        }
      }
    } finally {
      pre.close();
    }
    const first = await installLocalPathStorage(config, { timeoutMs: 60_000 });
    assert.equal(first.status, "installed");
    const again = await installLocalPathStorage(config, { timeoutMs: 60_000 });
    assert.equal(again.status, "unchanged", String(again.note));
    const kube = await connectKube({ kubeconfig: env!.kubeconfig });
    try {
      const sc = await kube.get({
        apiVersion: "storage.k8s.io/v1",
        kind: "StorageClass",
        name: "local-path",
      });
      assert.equal(
        sc?.metadata.annotations?.["storageclass.kubernetes.io/is-default-class"],
        "true",
      );
      const dep = await kube.get({
        apiVersion: "apps/v1",
        kind: "Deployment",
        name: "local-path-provisioner",
        namespace: "local-path-storage",
      });
      assert.equal((dep?.status as { availableReplicas?: number }).availableReplicas, 1);
    } finally {
      kube.close();
    }
  },
});

Deno.test({
  name: "a fetched manifest is applied only when its sha256 matches (local file server)",
  ...live,
  fn: async () => {
    const ns = `fetched-${suffix()}`;
    const manifest = [
      { apiVersion: "v1", kind: "Namespace", metadata: { name: ns } },
      {
        apiVersion: "storage.k8s.io/v1",
        kind: "StorageClass",
        metadata: { name: ns },
        provisioner: "rancher.io/local-path",
        volumeBindingMode: "WaitForFirstConsumer",
      },
    ].map((o) => stringify(o)).join("---\n");
    const server = Deno.serve(
      { port: 0, hostname: "127.0.0.1", onListen: () => {} },
      () => new Response(manifest),
    );
    try {
      const url = `http://127.0.0.1:${server.addr.port}/local-path-storage.yaml`;
      const install = (sha256: string) =>
        installLocalPathStorage(
          applyDefaults({
            metadata: { name: "fetched" },
            spec: {
              kubeconfig: env!.kubeconfig,
              context: "bosun-test",
              components: {
                "local-path-storage": { values: { manifestUrl: url, sha256, defaultClass: false } },
              },
            },
          }),
          { timeoutMs: 30_000 },
        );
      const wrong = await install("0".repeat(64)).then(() => undefined, (e: unknown) => e);
      assert.ok(wrong instanceof ComponentInstallError, String(wrong));
      assert.ok(wrong.cause instanceof ManifestChecksumError);
      assert.match(wrong.message, /is not the pinned sha256/);
      const kube = await connectKube({ kubeconfig: env!.kubeconfig });
      try {
        const sc = { apiVersion: "storage.k8s.io/v1", kind: "StorageClass", name: ns };
        assert.equal(await kube.get(sc), undefined, "nothing applied on mismatch");
        const ok = await install(sha256Hex(manifest));
        assert.equal(ok.status, "installed");
        assert.ok(await kube.get(sc));
      } finally {
        kube.close();
      }
    } finally {
      await server.shutdown();
    }
  },
});
