import assert from "node:assert/strict";
import { parse, parseAllDocuments } from "yaml";
import {
  applicationManifest,
  configMapManifest,
  deploymentManifest,
  fluxKustomizationManifest,
  gitRepositoryManifest,
  helmReleaseManifest,
  helmRepositoryManifest,
  ingressManifest,
  kustomizationManifest,
  type Manifest,
  namespaceManifest,
  ociRepositoryManifest,
  parseYamlStream,
  secretManifest,
  serviceManifest,
  toYaml,
} from "../../lib/workload/mod.ts";
import { SchemaSet } from "../../lib/workload/_schema_check.ts";
import { defaultRunner } from "../../lib/exec/mod.ts";
import { REPO_ROOT, requirePeers } from "../harness/peers.ts";

const VECTORS = new URL("../../../shared/vectors/", import.meta.url).pathname;

async function crdSchemas(): Promise<SchemaSet> {
  const set = new SchemaSet();
  for (const group of ["flux", "argocd"]) {
    for await (const e of Deno.readDir(`${VECTORS}crds/${group}`)) {
      if (!e.isFile || !e.name.endsWith(".yaml")) continue;
      for (
        const doc of parseAllDocuments(await Deno.readTextFile(`${VECTORS}crds/${group}/${e.name}`))
      ) {
        assert.ok(set.addCrd(doc.toJS()) > 0, e.name);
      }
    }
  }
  return set;
}

const everything = (): Manifest[] => [
  deploymentManifest("web", { image: "nginx:1.27", port: 80, env: { A: "1" }, replicas: 2 }),
  serviceManifest("web", { port: 80, targetPort: 8080, namespace: "apps" }),
  configMapManifest("settings", { data: { LOG: "debug" } }),
  secretManifest("db", { stringData: { password: "x" } }),
  ingressManifest("web", { host: "web.localtest.me", port: 80, tlsSecret: "web-tls" }),
  namespaceManifest("apps", { labels: { team: "a" } }),
  ociRepositoryManifest("k8s", { url: "oci://dev-registry:5000/k8s", insecure: true }),
  gitRepositoryManifest("platform", { url: "https://example.com/p.git", secretRef: "git" }),
  helmRepositoryManifest("podinfo", { url: "oci://ghcr.io/stefanprodan/charts" }),
  helmRepositoryManifest("bitnami", { url: "https://charts.bitnami.com/bitnami" }),
  helmReleaseManifest("podinfo", {
    chart: "podinfo",
    version: "6.x",
    sourceRef: { kind: "HelmRepository", name: "podinfo" },
    values: { replicaCount: 2 },
    createNamespace: true,
    targetNamespace: "apps",
  }),
  helmReleaseManifest("hello", { sourceRef: { kind: "OCIRepository", name: "hello-chart" } }),
  fluxKustomizationManifest("apps", {
    sourceRef: { kind: "OCIRepository", name: "flux-system" },
    path: "./apps",
    dependsOn: ["infrastructure", "other/ns"],
    decryptionSecret: "sops-age",
  }),
  applicationManifest("bosun", { repoURL: "oci://dev-registry:5000/k8s", path: "." }),
  applicationManifest("chart", {
    repoURL: "https://stefanprodan.github.io/podinfo",
    chart: "podinfo",
    targetRevision: "6.7.1",
    automated: false,
  }),
];

Deno.test("every generated custom resource validates against the real Flux and Argo CD CRDs", async () => {
  const crds = await crdSchemas();
  for (const m of everything()) {
    const problems = crds.check(m);
    assert.ok(problems !== undefined, `no schema for ${m.apiVersion} ${m.kind}`);
    assert.deepEqual(problems, [], `${m.kind}/${m.metadata.name}`);
  }
});

Deno.test("every generated object validates against Bosun's bundled schemas", () => {
  const own = new SchemaSet();
  for (const m of everything()) assert.deepEqual(own.check(m), [], `${m.kind}/${m.metadata.name}`);
});

Deno.test("the bundled Flux schemas accept every upstream sample, and catch what the CRDs catch", async () => {
  const own = new SchemaSet();
  const crds = await crdSchemas();
  for await (const e of Deno.readDir(`${VECTORS}crds/flux/samples`)) {
    const text = await Deno.readTextFile(`${VECTORS}crds/flux/samples/${e.name}`);
    for (const doc of parseAllDocuments(text).map((d) => d.toJS())) {
      assert.deepEqual(own.check(doc), [], e.name);
      const broken = structuredClone(doc);
      delete broken.spec.interval;
      if (doc.kind === "FluxInstance") delete broken.spec.distribution;
      if (doc.kind === "HelmRepository") delete broken.spec.url;
      const ownProblems = own.check(broken) ?? [];
      const crdProblems = crds.check(broken) ?? [];
      assert.ok(crdProblems.length > 0, `the CRD rejects broken ${e.name}`);
      assert.ok(ownProblems.length > 0, `Bosun's schema rejects broken ${e.name}`);
    }
  }
  const app = parse(await Deno.readTextFile(`${VECTORS}crds/argocd/samples/application.yaml`));
  assert.deepEqual(own.check(app), []);
});

Deno.test("generators reject bad input with TypeErrors that say what to do", () => {
  assert.throws(() => deploymentManifest("Web", { image: "x" }), /Invalid object name "Web"/);
  assert.throws(() => deploymentManifest("web", { image: "x", replicas: -1 }), /replicas/);
  assert.throws(() => serviceManifest("web", { port: 70000 }), /1-65535/);
  assert.throws(() => ociRepositoryManifest("x", { url: "https://a" }), /oci:\/\//);
  assert.throws(
    () => helmReleaseManifest("x", { sourceRef: { kind: "HelmRepository", name: "r" } }),
    /chart name is required/,
  );
  assert.throws(() => applicationManifest("x", { repoURL: "https://a" }), /path or a chart/);
});

Deno.test("toYaml writes one document per object that parses back to the same objects", () => {
  const objects = everything();
  const text = toYaml(objects);
  assert.equal(text.split(/^---$/m).length, objects.length);
  assert.deepEqual(parseYamlStream(text), JSON.parse(JSON.stringify(objects)));
  assert.throws(() => parseYamlStream("a: [\n"), SyntaxError);
});

const kubectl = await requirePeers("kubectl");

Deno.test({
  name: "a generated kustomization builds with the real kubectl kustomize",
  ignore: !kubectl,
  fn: async () => {
    const dir = await Deno.makeTempDir();
    try {
      await Deno.writeTextFile(
        `${dir}/deployment.yaml`,
        toYaml(deploymentManifest("web", { image: "nginx:1.27" })),
      );
      await Deno.writeTextFile(`${dir}/service.yaml`, toYaml(serviceManifest("web", { port: 80 })));
      const { metadata: _m, ...k } = kustomizationManifest({
        resources: ["deployment.yaml", "service.yaml"],
        namespace: "apps",
        namePrefix: "dev-",
        labels: { env: "dev" },
        images: { "nginx": "registry.local/nginx:1.28" },
      });
      await Deno.writeTextFile(`${dir}/kustomization.yaml`, toYaml(k));
      const out = await defaultRunner.run(kubectl!.kubectl, ["kustomize", dir]);
      const docs = parseYamlStream(out.stdout) as Manifest[];
      assert.deepEqual(
        docs.map((d) => `${d.kind}/${d.metadata.namespace}/${d.metadata.name}`).sort(),
        [
          "Deployment/apps/dev-web",
          "Service/apps/dev-web",
        ],
      );
      const deployment = docs.find((d) => d.kind === "Deployment")!;
      assert.match(JSON.stringify(deployment), /registry\.local\/nginx:1\.28/);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test("bosun gen prints the same object the builder returns, and --help has an example", async () => {
  const cli = `${REPO_ROOT}/cli.ts`;
  const out = await defaultRunner.run(Deno.execPath(), [
    "run",
    "-A",
    cli,
    "gen",
    "helmrelease",
    "podinfo",
    "--chart",
    "podinfo",
    "--chart-version",
    "6.x",
    "--source",
    "HelmRepository/podinfo",
    "-n",
    "apps",
  ]);
  assert.deepEqual(
    parse(out.stdout),
    helmReleaseManifest("podinfo", {
      chart: "podinfo",
      version: "6.x",
      sourceRef: { kind: "HelmRepository", name: "podinfo" },
      namespace: "apps",
    }),
  );
  const help = await defaultRunner.run(Deno.execPath(), [
    "run",
    "-A",
    cli,
    "gen",
    "ingress",
    "--help",
  ]);
  assert.match(help.stdout, /Example:\n {2}bosun gen ingress/);
  const bad = await defaultRunner.run(Deno.execPath(), ["run", "-A", cli, "gen", "service", "x"], {
    throwOnError: false,
  });
  assert.notEqual(bad.code, 0);
  assert.match(bad.stderr, /Missing required option --port/);
});
