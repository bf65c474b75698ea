import assert from "node:assert/strict";
import { parse, stringify } from "yaml";
import {
  applyManifests,
  connectKube,
  FIELD_MANAGER,
  KubeApiError,
  KubeconfigError,
  KubeConnectionError,
  type KubeObject,
  KubeOptionsError,
  ManifestError,
  UnknownKindError,
} from "../../lib/kube/mod.ts";
import { apiEnv, connect, uid, VECTORS } from "./_env.ts";

const env = await apiEnv();

function widgetCrd(group: string, kind = "Widget"): KubeObject {
  const plural = `${kind.toLowerCase()}s`;
  return {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: { name: `${plural}.${group}` },
    spec: {
      group,
      scope: "Namespaced",
      names: { kind, plural, singular: kind.toLowerCase(), listKind: `${kind}List` },
      versions: [{
        name: "v1",
        served: true,
        storage: true,
        schema: {
          openAPIV3Schema: {
            type: "object",
            properties: {
              spec: {
                type: "object",
                required: ["size"],
                properties: { size: { type: "integer", minimum: 1 } },
              },
            },
          },
        },
      }],
    },
  };
}

Deno.test("invalid YAML names the file, document index and line", async () => {
  const dir = await Deno.makeTempDir();
  const file = `${dir}/app.yaml`;
  await Deno.writeTextFile(
    file,
    "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n data: [oops\n",
  );
  const kube = { namespace: "default" } as never; // never reached: parsing fails first
  const err = await applyManifests(kube, { file }).catch((e) => e);
  assert.ok(err instanceof ManifestError, String(err));
  assert.equal(err.file, file);
  assert.equal(err.document, 1);
  assert.ok(err.line !== undefined && err.line >= 8 && err.line <= 9, `line ${err.line}`);
  assert.match(err.message, new RegExp(`${file} \\(document 1, line \\d+\\)`));
  const noKind = await applyManifests(kube, "apiVersion: v1\nmetadata: {name: x}\n").catch((e) =>
    e
  );
  assert.ok(noKind instanceof ManifestError);
  assert.match(noKind.message, /missing kind/);
});

Deno.test("an empty prune selector is refused before anything is sent to the API server", async () => {
  const calls: string[] = [];
  // any use of the connection is recorded: nothing may be applied before the refusal
  const kube = new Proxy({}, {
    get: (_t, key) => {
      calls.push(String(key));
      return key === "namespace" ? "default" : () => Promise.reject(new Error("called"));
    },
  }) as never;
  const cm = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "a" } };
  for (const selector of ["", "  "]) {
    await assert.rejects(
      () => applyManifests(kube, [cm], { prune: { selector } }),
      (e: unknown) =>
        e instanceof KubeOptionsError && e.field === "prune.selector" &&
        /prune\.selector: is empty.*every object/.test(e.message),
    );
  }
  assert.deepEqual(calls, []);
});

Deno.test("connectKube names the kubeconfig and the missing context", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/config`;
  await Deno.writeTextFile(
    path,
    stringify({
      clusters: [{ name: "a", cluster: { server: "https://127.0.0.1:1" } }],
      users: [{ name: "a", user: { token: "t" } }],
      contexts: [{ name: "a", context: { cluster: "a", user: "a" } }],
    }),
  );
  const err = await connectKube({ kubeconfig: path, context: "nope" }).catch((e) => e);
  assert.ok(err instanceof KubeconfigError);
  assert.equal(err.path, path);
  assert.equal(err.context, "nope");
  assert.match(err.message, /context "nope" not found \(contexts: a\)/);
});

Deno.test({
  name: "a CR applied in the same call as its CRD succeeds (20 runs)",
  ignore: !env,
  fn: async () => {
    const kube = await connect(env!);
    try {
      for (let run = 0; run < 20; run++) {
        const group = `r${run}-${uid()}.bosun.test`;
        const ns = `crd-run-${run}-${uid()}`;
        // Deliberately listed CR first: ordering is applyManifests' job.
        const results = await applyManifests(kube, [
          {
            apiVersion: `${group}/v1`,
            kind: "Widget",
            metadata: { name: "w", namespace: ns },
            spec: { size: 3 },
          },
          { apiVersion: "v1", kind: "Namespace", metadata: { name: ns } },
          widgetCrd(group),
        ]);
        assert.deepEqual(results.map((r) => [r.ref.kind, r.action]), [
          ["Widget", "created"],
          ["Namespace", "created"],
          ["CustomResourceDefinition", "created"],
        ], `run ${run}`);
        const cr = await kube.get({
          apiVersion: `${group}/v1`,
          kind: "Widget",
          name: "w",
          namespace: ns,
        });
        assert.equal((cr?.spec as { size: number }).size, 3);
      }
    } finally {
      kube.close();
    }
  },
});

Deno.test({
  name: "server dry-run rejects an invalid FluxInstance with the API's field paths",
  ignore: !env,
  fn: async () => {
    const kube = await connect(env!);
    try {
      await applyManifests(kube, {
        file: `${VECTORS}crds/flux/fluxcd.controlplane.io_fluxinstances.yaml`,
      });
      const sample = parse(
        await Deno.readTextFile(`${VECTORS}crds/flux/samples/fluxcd_v1_fluxinstance.yaml`),
      ) as KubeObject;
      // The sample itself validates.
      const ok = await applyManifests(kube, sample, { dryRun: true, namespace: "default" });
      assert.equal(ok[0]!.dryRun, true);
      assert.equal(ok[0]!.action, "created");
      assert.equal(await kube.get(ok[0]!.ref), undefined, "dry run persisted nothing");

      const spec = sample.spec as {
        cluster: { type: string };
        distribution: Record<string, unknown>;
      };
      spec.cluster.type = "nomad";
      delete spec.distribution.version;
      const err = await applyManifests(kube, sample, { dryRun: true, namespace: "default" })
        .catch((e) => e);
      assert.ok(err instanceof KubeApiError, String(err));
      assert.equal(err.status, 422);
      assert.equal(err.reason, "Invalid");
      const fields = err.causes.map((c) => c.field);
      assert.ok(fields.includes("spec.cluster.type"), fields.join(","));
      assert.ok(fields.includes("spec.distribution.version"), fields.join(","));
      assert.match(err.apiMessage, /spec\.cluster\.type: Unsupported value: "nomad"/);
      assert.match(err.message, /^Cannot validate FluxInstance "flux" in namespace "default": /);
      assert.equal(await kube.get(ok[0]!.ref), undefined);
    } finally {
      kube.close();
    }
  },
});

Deno.test({
  name: "a second identical apply reports every object unchanged; a change is configured",
  ignore: !env,
  fn: async () => {
    const kube = await connect(env!);
    try {
      const ns = `same-${uid()}`;
      const group = `same-${uid()}.bosun.test`;
      const objects: KubeObject[] = [
        { apiVersion: "v1", kind: "Namespace", metadata: { name: ns } },
        widgetCrd(group),
        {
          apiVersion: `${group}/v1`,
          kind: "Widget",
          metadata: { name: "w", namespace: ns },
          spec: { size: 1 },
        },
        ...Array.from({ length: 5 }, (_, i): KubeObject => ({
          apiVersion: "v1",
          kind: "ConfigMap",
          metadata: { name: `cm-${i}`, namespace: ns, labels: { app: "same" } },
          data: { i: String(i) },
        })),
        {
          apiVersion: "v1",
          kind: "Secret",
          metadata: { name: "s", namespace: ns },
          stringData: { a: "b" },
        },
        {
          apiVersion: "apps/v1",
          kind: "Deployment",
          metadata: { name: "web", namespace: ns },
          spec: {
            selector: { matchLabels: { app: "web" } },
            template: {
              metadata: { labels: { app: "web" } },
              spec: { containers: [{ name: "web", image: "nginx:1.27" }] },
            },
          },
        },
      ];
      const first = await applyManifests(kube, objects);
      assert.ok(
        first.every((r) => r.action === "created"),
        JSON.stringify(first.map((r) => r.action)),
      );
      const second = await applyManifests(kube, objects);
      assert.equal(second.length, objects.length);
      assert.deepEqual(
        second.filter((r) => r.action !== "unchanged").map((r) => `${r.ref.kind}/${r.ref.name}`),
        [],
      );
      const dry = await applyManifests(kube, objects, { dryRun: true });
      assert.ok(
        dry.every((r) => r.action === "unchanged"),
        JSON.stringify(dry.map((r) => r.action)),
      );
      (objects[3]!.data as Record<string, string>).i = "changed";
      const third = await applyManifests(kube, objects);
      assert.deepEqual(
        third.filter((r) => r.action !== "unchanged").map((r) => [r.ref.name, r.action]),
        [["cm-0", "configured"]],
      );
      const cm = await kube.get(third[3]!.ref);
      const managers = (cm?.metadata.managedFields as { manager: string; operation: string }[])
        .map((m) => `${m.manager}:${m.operation}`);
      assert.ok(managers.includes(`${FIELD_MANAGER}:Apply`), managers.join(","));
    } finally {
      kube.close();
    }
  },
});

Deno.test({
  name: "an unknown kind names it and lists the API groups that exist",
  ignore: !env,
  fn: async () => {
    const kube = await connect(env!);
    try {
      const err = await applyManifests(kube, {
        apiVersion: "nothere.bosun.test/v1",
        kind: "Gadget",
        metadata: { name: "g" },
      }).catch((e) => e);
      assert.ok(err instanceof UnknownKindError, String(err));
      assert.equal(err.kind, "Gadget");
      assert.ok(err.groups.includes("apps") && err.groups.includes(""));
      assert.match(err.message, /"Gadget" in nothere\.bosun\.test\/v1 \(is its CRD installed\?\)/);
      assert.match(err.message, /API groups served: core, .*apps/);
      const wrongVersion = await applyManifests(kube, {
        apiVersion: "apps/v9",
        kind: "Deployment",
        metadata: { name: "g" },
      }).catch((e) => e);
      assert.ok(wrongVersion instanceof UnknownKindError);
      assert.match(wrongVersion.message, /group "apps" exists/);
    } finally {
      kube.close();
    }
  },
});

Deno.test({
  name: "prune deletes labelled objects no longer in the manifests (dry run first)",
  ignore: !env,
  fn: async () => {
    const kube = await connect(env!);
    try {
      const ns = `prune-${uid()}`;
      const label = `bosun.test/set=${ns}`;
      const cm = (name: string): KubeObject => ({
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name, namespace: ns, labels: { "bosun.test/set": ns } },
        data: { k: name },
      });
      await applyManifests(kube, [
        { apiVersion: "v1", kind: "Namespace", metadata: { name: ns } },
        cm("a"),
        cm("b"),
        cm("c"),
      ]);
      const keep = [cm("a"), cm("c")];
      const dry = await applyManifests(kube, keep, { prune: { selector: label }, dryRun: true });
      assert.deepEqual(dry.filter((r) => r.action === "pruned").map((r) => r.ref.name), ["b"]);
      assert.ok(
        await kube.get({ apiVersion: "v1", kind: "ConfigMap", name: "b", namespace: ns }),
        "dry-run prune deleted nothing",
      );
      const real = await applyManifests(kube, keep, { prune: { selector: label } });
      assert.deepEqual(real.map((r) => [r.ref.name, r.action]), [["a", "unchanged"], [
        "c",
        "unchanged",
      ], ["b", "pruned"]]);
      const left = await kube.list("v1", "ConfigMap", { namespace: ns, labelSelector: label });
      assert.deepEqual(left.map((o) => o.metadata.name).sort(), ["a", "c"]);
    } finally {
      kube.close();
    }
  },
});

Deno.test({
  name: "apply from a directory and multi-document YAML, default namespace filled in",
  ignore: !env,
  fn: async () => {
    const kube = await connect(env!);
    try {
      const ns = `dir-${uid()}`;
      const dir = await Deno.makeTempDir();
      await Deno.mkdir(`${dir}/sub`);
      await Deno.writeTextFile(
        `${dir}/00-ns.yaml`,
        stringify({ apiVersion: "v1", kind: "Namespace", metadata: { name: ns } }),
      );
      await Deno.writeTextFile(
        `${dir}/sub/cms.yaml`,
        [1, 2].map((i) =>
          stringify({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: `c${i}` } })
        ).join("---\n"),
      );
      await Deno.writeTextFile(`${dir}/kustomization.yaml`, "resources: [00-ns.yaml]\n");
      const results = await applyManifests(kube, { dir }, { namespace: ns });
      assert.deepEqual(results.map((r) => `${r.ref.kind}/${r.ref.namespace ?? ""}/${r.ref.name}`), [
        `Namespace//${ns}`,
        `ConfigMap/${ns}/c1`,
        `ConfigMap/${ns}/c2`,
      ]);
    } finally {
      kube.close();
    }
  },
});

Deno.test({
  name: "connectKube resolves relative CA and tokenFile paths against the kubeconfig's directory",
  ignore: !env,
  fn: async () => {
    const dir = await Deno.makeTempDir();
    await Deno.writeTextFile(`${dir}/ca.crt`, env!.caPem);
    await Deno.writeTextFile(`${dir}/token`, `${env!.token}\n`);
    await Deno.writeTextFile(
      `${dir}/config`,
      stringify({
        apiVersion: "v1",
        kind: "Config",
        clusters: [{
          name: "t",
          cluster: { server: env!.server, "certificate-authority": "ca.crt" },
        }],
        users: [{ name: "t", user: { tokenFile: "token" } }],
        contexts: [{ name: "t", context: { cluster: "t", user: "t", namespace: "kube-system" } }],
        "current-context": "t",
      }),
    );
    const kube = await connectKube({ kubeconfig: `${dir}/config` });
    try {
      assert.equal(kube.context, "t");
      assert.equal(kube.namespace, "kube-system");
      const version = await kube.request<{ gitVersion: string }>("GET", "/version");
      assert.equal(version.gitVersion, env!.version);
    } finally {
      kube.close();
    }
  },
});

Deno.test("an unreachable server gives a KubeConnectionError naming server, context and kubeconfig", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/config`;
  await Deno.writeTextFile(
    path,
    stringify({
      clusters: [{ name: "a", cluster: { server: "https://127.0.0.1:1" } }],
      users: [{ name: "a", user: { token: "t" } }],
      contexts: [{ name: "a", context: { cluster: "a", user: "a" } }],
      "current-context": "a",
    }),
  );
  const kube = await connectKube({ kubeconfig: path });
  try {
    const err = await kube.request("GET", "/version").catch((e) => e);
    assert.ok(err instanceof KubeConnectionError, String(err));
    assert.equal(err.server, "https://127.0.0.1:1");
    assert.match(
      err.message,
      /^Cannot reach the Kubernetes API at https:\/\/127\.0\.0\.1:1 \(context "a", kubeconfig "/,
    );
    assert.doesNotMatch(err.message, /Bearer|"t"/);
  } finally {
    kube.close();
  }
});
