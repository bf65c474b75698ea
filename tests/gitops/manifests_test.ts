import assert from "node:assert/strict";
import { applyDefaults } from "../../lib/config/mod.ts";
import {
  argoApplicationManifest,
  argoCdManifests,
  fluxInstanceManifest,
  fluxRevisionMatches,
  fluxSyncManifests,
  GITOPS_COMPONENTS,
  GitOpsConfigError,
  gitOpsSource,
  sourceRepository,
} from "../../lib/gitops/mod.ts";
import { parse } from "yaml";

Deno.test("the source follows the real cluster name and the source directory", () => {
  const src = gitOpsSource(applyDefaults({
    metadata: { name: "shop" },
    spec: {
      distribution: "K3d",
      registry: { local: { enabled: true, hostPort: 5099 } },
      gitops: { engine: "Flux", sourceDirectory: "deploy/K8s", ref: "dev" },
    },
  }));
  assert.equal(src.url, "oci://shop-registry:5000/deploy/k8s");
  assert.equal(src.pushRef, "localhost:5099/deploy/k8s:dev");
  assert.equal(sourceRepository("./a b/./C/"), "a-b/c");
  assert.throws(
    () => gitOpsSource(applyDefaults({ spec: { registry: { local: { enabled: false } } } })),
    GitOpsConfigError,
  );
});

Deno.test("FluxInstance: insecure only for the local registry, decryption only with SOPS", () => {
  const local = fluxInstanceManifest({
    source: {
      kind: "OCIRepository",
      url: "oci://dev-registry:5000/k8s",
      ref: "latest",
      insecure: true,
    },
    sops: true,
  });
  const spec = local.spec as {
    sync: Record<string, string>;
    kustomize: { patches: { patch: string; target: { kind: string } }[] };
  };
  assert.deepEqual(spec.sync, {
    kind: "OCIRepository",
    url: "oci://dev-registry:5000/k8s",
    ref: "latest",
    path: "./",
    interval: "1m",
    name: "flux-system",
  });
  const patches = spec.kustomize.patches.map((p) => ({ kind: p.target.kind, ops: parse(p.patch) }));
  assert.deepEqual(patches, [
    { kind: "OCIRepository", ops: [{ op: "add", path: "/spec/insecure", value: true }] },
    {
      kind: "Kustomization",
      ops: [{
        op: "add",
        path: "/spec/decryption",
        value: { provider: "sops", secretRef: { name: "sops-age" } },
      }],
    },
  ]);
  const remote = fluxInstanceManifest({
    source: { kind: "OCIRepository", url: "oci://ghcr.io/org/k8s", ref: "v1" },
  });
  assert.equal((remote.spec as { kustomize?: unknown }).kustomize, undefined);
  const [src, ks] = fluxSyncManifests({
    source: { kind: "GitRepository", url: "https://example.com/r.git", ref: "refs/heads/main" },
  });
  assert.deepEqual((src!.spec as { ref: unknown }).ref, { name: "refs/heads/main" });
  assert.equal((ks!.spec as { decryption?: unknown }).decryption, undefined);
});

Deno.test("Argo CD Application uses the documented field names and automated prune/self-heal", () => {
  const app = argoApplicationManifest({
    url: "oci://dev-registry:5000/k8s",
    targetRevision: "latest",
  });
  assert.deepEqual(app.spec, {
    project: "default",
    source: { repoURL: "oci://dev-registry:5000/k8s", targetRevision: "latest", path: "." },
    destination: { server: "https://kubernetes.default.svc", namespace: "default" },
    syncPolicy: {
      automated: { prune: true, selfHeal: true },
      syncOptions: ["CreateNamespace=true"],
    },
  });
  const [secret] = argoCdManifests({
    url: "oci://r:5000/k8s",
    targetRevision: "t",
    insecure: true,
  });
  const data = secret!.data as Record<string, string>;
  assert.equal(atob(data.type!), "oci");
  assert.equal(atob(data.insecureOCIForceHttp!), "true");
});

Deno.test("revision matching needs the exact digest", () => {
  const d = `sha256:${"1".repeat(64)}`;
  assert.ok(fluxRevisionMatches(`latest@${d}`, d));
  assert.ok(fluxRevisionMatches(d, d));
  assert.ok(!fluxRevisionMatches(`latest@sha256:${"2".repeat(64)}`, d));
  assert.ok(!fluxRevisionMatches(undefined, d));
});

Deno.test("exactly one GitOps component is enabled per engine", () => {
  for (const [engine, name] of [["Flux", "flux-operator"], ["ArgoCD", "argo-cd"]] as const) {
    const config = applyDefaults({ spec: { gitops: { engine } } });
    const on = GITOPS_COMPONENTS.filter((c) => c.enabled(config));
    assert.deepEqual(on.map((c) => c.name), [name]);
    assert.equal(on[0]!.plan(config).phase, "gitops");
  }
  assert.equal(GITOPS_COMPONENTS.filter((c) => c.enabled(applyDefaults({}))).length, 0);
});
