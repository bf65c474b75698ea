import assert from "node:assert/strict";
import {
  annotate,
  applyManifests,
  computeStatus,
  ensureNamespace,
  getCondition,
  type KubeObject,
  NotReadyError,
  upsertSecret,
  waitForReady,
} from "../../lib/kube/mod.ts";
import type { Reporter, Step } from "../../lib/ui/mod.ts";
import { apiEnv, connect, fullEnv, uid } from "./_env.ts";

const full = await fullEnv();
const api = full ?? await apiEnv();

function deployment(name: string, ns: string, nodeSelector?: Record<string, string>): KubeObject {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name, namespace: ns },
    spec: {
      replicas: 2,
      progressDeadlineSeconds: 600,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          containers: [{ name: "app", image: "registry.example/app:1" }],
          ...(nodeSelector ? { nodeSelector } : {}),
          tolerations: [{ key: "kwok.x-k8s.io/node", operator: "Exists", effect: "NoSchedule" }],
        },
      },
    },
  };
}

function recordingReporter(lines: string[]): Reporter {
  const step = (title: string): Step => {
    lines.push(`start ${title}`);
    return {
      succeed: (note) => lines.push(`ok ${note ?? ""}`),
      fail: () => lines.push("fail"),
      skip: () => {},
      update: (d) => lines.push(`update ${d}`),
      step,
      log: () => {},
    };
  };
  return { step, log: () => {} };
}

Deno.test("computeStatus follows kstatus rules for rollouts and conditions", () => {
  const dep = (status: Record<string, unknown>, generation = 2): KubeObject => ({
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "d", namespace: "n", generation },
    spec: { replicas: 2 },
    status,
  });
  assert.equal(
    computeStatus(
      dep({ observedGeneration: 1, updatedReplicas: 2, replicas: 2, availableReplicas: 2 }),
    ).state,
    "InProgress",
  );
  assert.equal(
    computeStatus(
      dep({ observedGeneration: 2, updatedReplicas: 1, replicas: 2, availableReplicas: 2 }),
    ).state,
    "InProgress",
  );
  assert.equal(
    computeStatus(
      dep({ observedGeneration: 2, updatedReplicas: 2, replicas: 3, availableReplicas: 2 }),
    ).state,
    "InProgress",
  );
  assert.equal(
    computeStatus(
      dep({ observedGeneration: 2, updatedReplicas: 2, replicas: 2, availableReplicas: 2 }),
    ).state,
    "Current",
  );
  const flux = (ready: Record<string, unknown>, generation = 3): KubeObject => ({
    apiVersion: "kustomize.toolkit.fluxcd.io/v1",
    kind: "Kustomization",
    metadata: { name: "k", namespace: "flux-system", generation },
    status: { conditions: [{ type: "Ready", ...ready }] },
  });
  assert.equal(
    computeStatus(flux({ status: "True", observedGeneration: 2 })).state,
    "InProgress",
    "previous generation's Ready",
  );
  assert.equal(computeStatus(flux({ status: "True", observedGeneration: 3 })).state, "Current");
  const failing = computeStatus(
    flux({
      status: "False",
      reason: "BuildFailed",
      message: "kustomize build failed",
      observedGeneration: 3,
    }),
  );
  assert.deepEqual([failing.state, failing.reason, failing.message], [
    "InProgress",
    "BuildFailed",
    "kustomize build failed",
  ]);
  const job = (type: string): KubeObject => ({
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: { name: "j", namespace: "n" },
    status: { conditions: [{ type, status: "True", reason: type, message: `${type} msg` }] },
  });
  assert.equal(computeStatus(job("Complete")).state, "Current");
  assert.equal(computeStatus(job("Failed")).state, "Failed");
  assert.equal(
    computeStatus(undefined, { apiVersion: "v1", kind: "ConfigMap", name: "x" }).state,
    "NotFound",
  );
  assert.equal(getCondition(job("Complete"), "Complete")?.message, "Complete msg");
  assert.equal(getCondition(job("Complete"), "Ready"), undefined);
});

Deno.test({
  name:
    "waitForReady: an impossible node selector times out naming the Deployment and its condition message; a valid one becomes ready",
  ignore: !full,
  fn: async () => {
    const kube = await connect(full!);
    try {
      const ns = `wait-${uid()}`;
      await ensureNamespace(kube, ns);
      const results = await applyManifests(kube, [
        deployment("good", ns),
        deployment("stuck", ns, { "bosun.test/nowhere": "true" }),
      ]);
      const lines: string[] = [];
      const good = await waitForReady(kube, [results[0]!.object], {
        timeoutMs: 60_000,
        reporter: recordingReporter(lines),
      });
      assert.equal(good[0]!.state, "Current");
      assert.ok(lines.some((l) => l.startsWith("update ")), lines.join("\n"));
      assert.equal(lines.at(-1), "ok 1 ready");

      const started = Date.now();
      const err = await waitForReady(kube, results.map((r) => r.ref), { timeoutMs: 4_000 })
        .catch((e) => e);
      const elapsed = Date.now() - started;
      assert.ok(err instanceof NotReadyError, String(err));
      assert.ok(elapsed >= 3_900 && elapsed < 10_000, `one budget: ${elapsed} ms`);
      assert.equal(err.pending.length, 1);
      const stuck = err.pending[0]!;
      assert.equal(stuck.ref.name, "stuck");
      assert.equal(stuck.state, "InProgress");
      const dep = await kube.get(results[1]!.ref);
      const available = getCondition(dep, "Available");
      assert.equal(available?.status, "False");
      assert.ok(available?.message);
      assert.ok(stuck.message?.includes(available.message), String(stuck.message));
      assert.match(err.message, new RegExp(`Deployment "stuck" in namespace "${ns}": InProgress`));
      assert.ok(err.message.includes(available.message));
      assert.match(err.message, /didn't match Pod's node affinity\/selector/);
      assert.doesNotMatch(err.message, /"good"/);
    } finally {
      kube.close();
    }
  },
});

Deno.test({
  name:
    "waitForReady picks up an object created during the wait and reports a missing one as NotFound",
  ignore: !api,
  fn: async () => {
    const kube = await connect(api!);
    try {
      const ns = `wait-nf-${uid()}`;
      await ensureNamespace(kube, ns);
      const cm = { apiVersion: "v1", kind: "ConfigMap", name: "later", namespace: ns };
      // A long poll interval: only the watch can deliver the new object quickly.
      const waiting = waitForReady(kube, [cm], { timeoutMs: 20_000, pollIntervalMs: 10_000 });
      await new Promise((r) => setTimeout(r, 300));
      await applyManifests(kube, {
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name: "later", namespace: ns },
      });
      const created = Date.now();
      const [status] = await waiting;
      assert.equal(status!.state, "Current", "picked up by the watch once created");
      assert.ok(Date.now() - created < 2_000, `watch latency ${Date.now() - created} ms`);
      const err = await waitForReady(kube, [{ ...cm, name: "never" }], { timeoutMs: 500 }).catch((
        e,
      ) => e);
      assert.ok(err instanceof NotReadyError);
      assert.equal(err.pending[0]!.state, "NotFound");
    } finally {
      kube.close();
    }
  },
});

Deno.test({
  name: "helpers: ensureNamespace, upsertSecret, annotate",
  ignore: !api,
  fn: async () => {
    const kube = await connect(api!);
    try {
      const ns = `helpers-${uid()}`;
      assert.equal((await ensureNamespace(kube, ns)).action, "created");
      assert.equal((await ensureNamespace(kube, ns)).action, "unchanged");
      const bytes = new Uint8Array([0, 255, 1, 2]);
      const first = await upsertSecret(kube, {
        name: "creds",
        namespace: ns,
        data: { password: "s3cr3t-value", raw: bytes },
        labels: { app: "x" },
      });
      assert.equal(first.action, "created");
      const again = await upsertSecret(kube, {
        name: "creds",
        namespace: ns,
        data: { password: "s3cr3t-value", raw: bytes },
        labels: { app: "x" },
      });
      assert.equal(again.action, "unchanged");
      const changed = await upsertSecret(kube, {
        name: "creds",
        namespace: ns,
        data: { password: "other-value", raw: bytes },
        labels: { app: "x" },
      });
      assert.equal(changed.action, "configured");
      const secret = await kube.get(changed.ref);
      const data = secret!.data as Record<string, string>;
      assert.equal(atob(data.password!), "other-value");
      assert.deepEqual([...atob(data.raw!)].map((c) => c.charCodeAt(0)), [0, 255, 1, 2]);
      const created = await upsertSecret(kube, {
        name: "s",
        namespace: `fresh-${uid()}`,
        data: { a: "b" },
      }, { createNamespace: true });
      assert.equal(created.action, "created");

      const stamp = new Date().toISOString();
      const annotated = await annotate(kube, changed.ref, {
        annotations: { "reconcile.fluxcd.io/requestedAt": stamp },
      });
      assert.equal(annotated.metadata.annotations?.["reconcile.fluxcd.io/requestedAt"], stamp);
      const removed = await annotate(kube, changed.ref, {
        annotations: { "reconcile.fluxcd.io/requestedAt": null },
      });
      assert.equal(removed.metadata.annotations?.["reconcile.fluxcd.io/requestedAt"], undefined);
      const managers = (removed.metadata.managedFields as { manager: string }[]).map((m) =>
        m.manager
      );
      assert.ok(managers.includes("bosun"));
    } finally {
      kube.close();
    }
  },
});

Deno.test({
  name: "waitForReady waits for a custom resource whose CRD is installed during the wait",
  ignore: !api,
  fn: async () => {
    const kube = await connect(api!);
    try {
      const group = `late-${uid()}.bosun.test`;
      const ns = `late-${uid()}`;
      await ensureNamespace(kube, ns);
      const cr: KubeObject = {
        apiVersion: `${group}/v1`,
        kind: "Gizmo",
        metadata: { name: "g", namespace: ns },
        spec: {},
      };
      const waiting = waitForReady(kube, [cr], { timeoutMs: 30_000, pollIntervalMs: 100 });
      await new Promise((r) => setTimeout(r, 400));
      await applyManifests(
        kube,
        [{
          apiVersion: "apiextensions.k8s.io/v1",
          kind: "CustomResourceDefinition",
          metadata: { name: `gizmos.${group}` },
          spec: {
            group,
            scope: "Namespaced",
            names: { kind: "Gizmo", plural: "gizmos" },
            versions: [{
              name: "v1",
              served: true,
              storage: true,
              schema: {
                openAPIV3Schema: { type: "object", "x-kubernetes-preserve-unknown-fields": true },
              },
            }],
          },
        }, cr],
      );
      const [status] = await waiting;
      assert.equal(status!.state, "Current");
      const missing = await waitForReady(kube, [{ ...cr, apiVersion: `never-${group}/v1` }], {
        timeoutMs: 300,
        pollIntervalMs: 100,
      }).catch((e) => e);
      assert.ok(missing instanceof NotReadyError);
      assert.equal(missing.pending[0]!.reason, "KindNotServed");
    } finally {
      kube.close();
    }
  },
});
