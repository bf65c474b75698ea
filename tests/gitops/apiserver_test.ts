// Every generated object against the real apiserver (server-side dry run with the real CRDs),
// and the reconcile wait driven by status updates made the way the controllers make them.

import assert from "node:assert/strict";
import { applyDefaults } from "../../lib/config/mod.ts";
import {
  argoCdManifests,
  fluxInstanceManifest,
  fluxSyncManifests,
  GitOpsEngineNotInstalledError,
  reconcile,
  ReconcileError,
  sopsAgeSecretManifest,
} from "../../lib/gitops/mod.ts";
import {
  applyManifests,
  connectKube,
  ensureNamespace,
  type Kube,
  type KubeObject,
  type ObjectRef,
} from "../../lib/kube/mod.ts";
import { ArtifactNotFoundError, pushArtifact } from "../../lib/registry/oci/mod.ts";
import { requirePeers, useRegistry, useTestEnv } from "../harness/mod.ts";

const peers = await requirePeers("etcd", "kube-apiserver");
const env = peers ? await useTestEnv({ mode: "api" }) : undefined;
const opts = { sanitizeResources: false, sanitizeOps: false };
const CRDS = new URL("../../../shared/vectors/crds/", import.meta.url).pathname;

let kubePromise: Promise<Kube> | undefined;
function kube(): Promise<Kube> {
  kubePromise ??= (async () => {
    const k = await connectKube({ kubeconfig: env!.kubeconfig });
    const crds = [
      "flux/fluxcd.controlplane.io_fluxinstances.yaml",
      "flux/source.toolkit.fluxcd.io_ocirepositories.yaml",
      "flux/source.toolkit.fluxcd.io_gitrepositories.yaml",
      "flux/kustomize.toolkit.fluxcd.io_kustomizations.yaml",
      "argocd/application-crd.yaml",
    ].map((f) => ({ file: `${CRDS}${f}` }));
    await applyManifests(k, crds, {});
    k.invalidateDiscovery();
    await ensureNamespace(k, "flux-system");
    await ensureNamespace(k, "argocd");
    return k;
  })();
  return kubePromise;
}

const digestOf = (c: string) => `sha256:${c.repeat(64)}`;
const OLD = digestOf("a");
const NEW = digestOf("b");
const config = applyDefaults({ metadata: { name: "dev" }, spec: { gitops: { engine: "Flux" } } });

Deno.test({
  name: "every generated object passes server-side dry run against the real CRDs",
  ignore: !env,
  ...opts,
  fn: async () => {
    const k = await kube();
    const oci = {
      kind: "OCIRepository",
      url: "oci://dev-registry:5000/k8s",
      ref: "latest",
      insecure: true,
    } as const;
    const git = {
      kind: "GitRepository",
      url: "https://example.com/r.git",
      ref: "refs/heads/main",
    } as const;
    const objects: KubeObject[] = [
      fluxInstanceManifest({ source: oci, sops: true }),
      ...fluxSyncManifests({ source: oci, sops: true }),
      ...fluxSyncManifests({ source: git }),
      sopsAgeSecretManifest("# created: now\nAGE-SECRET-KEY-1QQQQ\nAGE-SECRET-KEY-1RRRR\n"),
      ...argoCdManifests(
        { url: "oci://dev-registry:5000/k8s", targetRevision: "latest", insecure: true },
        "AGE-SECRET-KEY-1QQQQ\n",
      ),
    ];
    const results = await applyManifests(k, objects, { dryRun: true });
    assert.equal(results.length, objects.length);
    for (const r of results) assert.ok(r.dryRun, `${r.ref.kind} was dry-run`);
    assert.deepEqual(
      results.map((r) => r.ref.kind).sort(),
      [
        "Application",
        "FluxInstance",
        "GitRepository",
        "Kustomization",
        "Kustomization",
        "OCIRepository",
        "Secret",
        "Secret",
        "Secret",
      ],
    );
    // The apiserver really validates: a wrong field is refused.
    const bad = fluxInstanceManifest({ source: oci });
    (bad.spec as { sync: { kind: string } }).sync.kind = "HelmRepository";
    await assert.rejects(() => applyManifests(k, [bad], { dryRun: true }), /kind/);
  },
});

// --- the reconcile wait ----------------------------------------------------------------------

const OCI_REF: ObjectRef = {
  apiVersion: "source.toolkit.fluxcd.io/v1",
  kind: "OCIRepository",
  name: "flux-system",
  namespace: "flux-system",
};
const KS_REF: ObjectRef = {
  apiVersion: "kustomize.toolkit.fluxcd.io/v1",
  kind: "Kustomization",
  name: "flux-system",
  namespace: "flux-system",
};

function cond(type: string, status: string, reason: string, message: string, gen: number) {
  return {
    type,
    status,
    reason,
    message,
    observedGeneration: gen,
    lastTransitionTime: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
  };
}

/** Writes the status subresource, as the Flux controllers do. */
async function setStatus(k: Kube, ref: ObjectRef, status: Record<string, unknown>): Promise<void> {
  const path = `${await k.pathFor(ref)}/status`;
  await k.request("PATCH", path, {
    body: { status },
    contentType: "application/merge-patch+json",
  });
}

async function requestedAt(k: Kube, ref: ObjectRef): Promise<string | undefined> {
  return (await k.get(ref))?.metadata.annotations?.["reconcile.fluxcd.io/requestedAt"];
}

/** Creates fresh Flux sync objects whose status says "Ready for OLD". */
async function freshFlux(k: Kube): Promise<number> {
  for (const ref of [OCI_REF, KS_REF]) await k.delete(ref);
  const objs = fluxSyncManifests({
    source: {
      kind: "OCIRepository",
      url: "oci://dev-registry:5000/k8s",
      ref: "latest",
      insecure: true,
    },
  });
  const applied = await applyManifests(k, objs, {});
  const gen = applied[0]!.object.metadata.generation ?? 1;
  await setStatus(k, OCI_REF, {
    observedGeneration: gen,
    artifact: {
      revision: `latest@${OLD}`,
      digest: OLD,
      path: "x",
      url: "http://x",
      lastUpdateTime: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
    },
    conditions: [
      cond("Ready", "True", "Succeeded", `stored artifact for digest 'latest@${OLD}'`, gen),
    ],
  });
  await setStatus(k, KS_REF, {
    observedGeneration: gen,
    lastAppliedRevision: `latest@${OLD}`,
    lastAttemptedRevision: `latest@${OLD}`,
    conditions: [
      cond("Ready", "True", "ReconciliationSucceeded", `Applied revision: latest@${OLD}`, gen),
    ],
  });
  return gen;
}

async function waitFor<T>(what: () => Promise<T | undefined>, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const v = await what();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error("condition not reached");
}

function settled(p: Promise<unknown>): () => boolean {
  let done = false;
  p.then(() => (done = true), () => (done = true));
  return () => done;
}

Deno.test({
  name: "reconcile keeps waiting while Ready=True reports the previous revision, then finishes",
  ignore: !env,
  ...opts,
  fn: async () => {
    const k = await kube();
    const gen = await freshFlux(k);
    const run = reconcile(config, { kube: k, digest: NEW, timeoutMs: 20_000, pollIntervalMs: 100 });
    const isDone = settled(run);
    // The source controller sees the request and fetches the new artifact.
    const token = await waitFor(() => requestedAt(k, OCI_REF));
    await new Promise((r) => setTimeout(r, 400));
    assert.ok(!isDone(), "must not finish while the source still has the old artifact");
    await setStatus(k, OCI_REF, {
      lastHandledReconcileAt: token,
      artifact: {
        revision: `latest@${NEW}`,
        digest: NEW,
        path: "y",
        url: "http://y",
        lastUpdateTime: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
      },
      conditions: [
        cond("Ready", "True", "Succeeded", `stored artifact for digest 'latest@${NEW}'`, gen),
      ],
    });
    // The Kustomization is asked next, and is still Ready for the OLD revision.
    await waitFor(() => requestedAt(k, KS_REF));
    await new Promise((r) => setTimeout(r, 500));
    assert.ok(!isDone(), "Ready=True for the previous revision is not done");
    await setStatus(k, KS_REF, {
      lastHandledReconcileAt: token,
      lastAttemptedRevision: `latest@${NEW}`,
      conditions: [cond("Ready", "Unknown", "Progressing", "Reconciliation in progress", gen)],
    });
    await new Promise((r) => setTimeout(r, 300));
    assert.ok(!isDone(), "progressing is not done");
    await setStatus(k, KS_REF, {
      lastAppliedRevision: `latest@${NEW}`,
      conditions: [
        cond("Ready", "True", "ReconciliationSucceeded", `Applied revision: latest@${NEW}`, gen),
      ],
    });
    const result = await run;
    assert.equal(result.revision, `latest@${NEW}`);
    assert.equal(result.engine, "Flux");
  },
});

Deno.test({
  name: "reconcile fails with the controller's message when the Kustomization fails",
  ignore: !env,
  ...opts,
  fn: async () => {
    const k = await kube();
    const gen = await freshFlux(k);
    const run = reconcile(config, { kube: k, digest: NEW, timeoutMs: 20_000, pollIntervalMs: 100 });
    run.catch(() => {});
    const token = await waitFor(() => requestedAt(k, OCI_REF));
    await setStatus(k, OCI_REF, {
      lastHandledReconcileAt: token,
      artifact: {
        revision: `latest@${NEW}`,
        digest: NEW,
        path: "y",
        url: "http://y",
        lastUpdateTime: "2026-01-01T00:00:00Z",
      },
      conditions: [cond("Ready", "True", "Succeeded", "stored", gen)],
    });
    await waitFor(() => requestedAt(k, KS_REF));
    const message = 'Deployment/default/web dry-run failed: spec.replicas: Invalid value: "x"';
    await setStatus(k, KS_REF, {
      lastHandledReconcileAt: token,
      lastAttemptedRevision: `latest@${NEW}`,
      conditions: [cond("Ready", "False", "ReconciliationFailed", message, gen)],
    });
    await assert.rejects(run, (e: unknown) => {
      assert.ok(e instanceof ReconcileError);
      assert.equal(e.timedOut, false);
      assert.equal(e.reason, "ReconciliationFailed");
      assert.equal(e.controllerMessage, message);
      assert.match(
        e.message,
        /Kustomization flux-system\/flux-system failed: ReconciliationFailed: Deployment/,
      );
      return true;
    });
  },
});

Deno.test({
  name: "reconcile fails with the source's message when the artifact is missing",
  ignore: !env,
  ...opts,
  fn: async () => {
    const k = await kube();
    const gen = await freshFlux(k);
    const run = reconcile(config, { kube: k, digest: NEW, timeoutMs: 20_000, pollIntervalMs: 100 });
    run.catch(() => {});
    const token = await waitFor(() => requestedAt(k, OCI_REF));
    const message =
      "failed to determine artifact digest: GET http://dev-registry:5000/v2/k8s/manifests/latest: MANIFEST_UNKNOWN: manifest unknown";
    await setStatus(k, OCI_REF, {
      lastHandledReconcileAt: token,
      conditions: [cond("Ready", "False", "OCIArtifactPullFailed", message, gen)],
    });
    await assert.rejects(
      run,
      (e: unknown) =>
        e instanceof ReconcileError && e.object === "OCIRepository flux-system/flux-system" &&
        e.reason === "OCIArtifactPullFailed" && e.message.includes("MANIFEST_UNKNOWN"),
    );
  },
});

Deno.test({
  name: "reconcile times out naming the revision still applied",
  ignore: !env,
  ...opts,
  fn: async () => {
    const k = await kube();
    await freshFlux(k);
    await assert.rejects(
      reconcile(config, { kube: k, digest: NEW, timeoutMs: 800, pollIntervalMs: 100 }),
      (e: unknown) =>
        e instanceof ReconcileError && e.timedOut && e.observedRevision === `latest@${OLD}` &&
        /did not reach/.test(e.message),
    );
  },
});

Deno.test({
  name: "Argo CD: waits for status.sync.revision and health, not just Synced",
  ignore: !env,
  ...opts,
  fn: async () => {
    const k = await kube();
    const app: ObjectRef = {
      apiVersion: "argoproj.io/v1alpha1",
      kind: "Application",
      name: "bosun",
      namespace: "argocd",
    };
    await k.delete(app);
    const [, application] = argoCdManifests({
      url: "oci://dev-registry:5000/k8s",
      targetRevision: "latest",
      insecure: true,
    });
    assert.equal(application!.kind, "Application");
    await applyManifests(k, [application!], {});
    const path = await k.pathFor(app);
    // Argo CD's Application has no status subresource: the controller writes status with the object.
    const writeStatus = (status: unknown) =>
      k.request("PATCH", path, { body: { status }, contentType: "application/merge-patch+json" });
    await writeStatus({ sync: { status: "Synced", revision: OLD }, health: { status: "Healthy" } });
    const argoConfig = applyDefaults({
      metadata: { name: "dev" },
      spec: { gitops: { engine: "ArgoCD" } },
    });
    const run = reconcile(argoConfig, {
      kube: k,
      digest: NEW,
      timeoutMs: 20_000,
      pollIntervalMs: 100,
    });
    const isDone = settled(run);
    await waitFor(async () =>
      (await k.get(app))?.metadata.annotations?.["argocd.argoproj.io/refresh"]
    );
    await new Promise((r) => setTimeout(r, 400));
    assert.ok(!isDone(), "Synced+Healthy at the previous revision is not done");
    // The controller handles the refresh (removes the annotation), syncs, health still progressing.
    await k.request("PATCH", path, {
      body: {
        metadata: { annotations: { "argocd.argoproj.io/refresh": null } },
        status: { sync: { status: "Synced", revision: NEW }, health: { status: "Progressing" } },
      },
      contentType: "application/merge-patch+json",
    });
    await new Promise((r) => setTimeout(r, 300));
    assert.ok(!isDone(), "Progressing is not done");
    await writeStatus({ health: { status: "Healthy" } });
    const result = await run;
    assert.equal(result.revision, NEW);
    // A comparison error after the refresh fails with Argo CD's message.
    const run2 = reconcile(argoConfig, {
      kube: k,
      digest: digestOf("c"),
      timeoutMs: 20_000,
      pollIntervalMs: 100,
    });
    run2.catch(() => {});
    await waitFor(async () =>
      (await k.get(app))?.metadata.annotations?.["argocd.argoproj.io/refresh"]
    );
    await k.request("PATCH", path, {
      body: {
        metadata: { annotations: { "argocd.argoproj.io/refresh": null } },
        status: {
          conditions: [{
            type: "ComparisonError",
            message: "failed to fetch oci://dev-registry:5000/k8s: not found",
          }],
        },
      },
      contentType: "application/merge-patch+json",
    });
    await assert.rejects(
      run2,
      (e: unknown) =>
        e instanceof ReconcileError && /ComparisonError: failed to fetch/.test(e.message),
    );
    await k.delete(app);
    await assert.rejects(
      reconcile(argoConfig, { kube: k, digest: NEW, timeoutMs: 2000 }),
      GitOpsEngineNotInstalledError,
    );
  },
});

const regPeers = await requirePeers("docker-registry");
const reg = regPeers && env ? await useRegistry() : undefined;

Deno.test({
  name:
    "reconcile without a digest: nothing pushed yet is a clear error; a push is then waited for",
  ignore: !reg,
  ...opts,
  fn: async () => {
    const k = await kube();
    const port = Number(reg!.host.split(":")[1]);
    const dir = `src${crypto.randomUUID().slice(0, 6)}`;
    const cfg = applyDefaults({
      metadata: { name: "dev" },
      spec: {
        registry: { local: { enabled: true, hostPort: port } },
        gitops: { engine: "Flux", sourceDirectory: dir },
      },
    });
    await assert.rejects(reconcile(cfg, { kube: k, timeoutMs: 2000 }), ArtifactNotFoundError);
    const tmp = await Deno.makeTempDir();
    await Deno.writeTextFile(
      `${tmp}/cm.yaml`,
      "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n",
    );
    const pushed = await pushArtifact(tmp, `127.0.0.1:${port}/${dir}:latest`);
    const gen = await freshFlux(k);
    // Pretend the controllers already applied exactly what was pushed.
    await setStatus(k, OCI_REF, {
      artifact: {
        revision: pushed.revision,
        digest: pushed.digest,
        path: "p",
        url: "http://p",
        lastUpdateTime: "2026-01-01T00:00:00Z",
      },
      conditions: [cond("Ready", "True", "Succeeded", "stored", gen)],
    });
    await setStatus(k, KS_REF, {
      lastAppliedRevision: pushed.revision,
      conditions: [cond("Ready", "True", "ReconciliationSucceeded", "applied", gen)],
    });
    const result = await reconcile(cfg, { kube: k, timeoutMs: 5000, pollIntervalMs: 100 });
    assert.equal(result.digest, pushed.digest);
    await k.delete(OCI_REF);
    await assert.rejects(
      reconcile(cfg, { kube: k, timeoutMs: 2000 }),
      GitOpsEngineNotInstalledError,
    );
  },
});
