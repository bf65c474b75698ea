import assert from "node:assert/strict";
import { defaultRunner } from "../../lib/exec/mod.ts";
import {
  deploymentManifest,
  formatProblem,
  secretManifest,
  toYaml,
  validateManifests,
} from "../../lib/workload/mod.ts";
import { requirePeers } from "../harness/peers.ts";

const peers = await requirePeers("kubectl");

async function tree(files: Record<string, string>): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "bosun-validate-" });
  for (const [path, text] of Object.entries(files)) {
    const full = `${dir}/${path}`;
    await Deno.mkdir(full.slice(0, full.lastIndexOf("/")), { recursive: true });
    await Deno.writeTextFile(full, text);
  }
  return dir;
}

const BAD_DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: apps}
spec:
  replicas: "2"
  selector: {matchLabels: {a: b}}
  template:
    metadata: {labels: {a: b}}
    spec:
      containers:
        - name: web
          imag: nginx
`;

Deno.test({
  name: "validate reports one line per problem: file, document, field, message",
  ignore: !peers,
  fn: async () => {
    const dir = await tree({
      "app/kustomization.yaml": "resources: [deployment.yaml]\n",
      "app/deployment.yaml": BAD_DEPLOYMENT,
      "loose/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm}\ndata: {n: 1}\n",
      "loose/values.yaml": "replicaCount: 1\n",
      "chart/Chart.yaml": "apiVersion: v2\nname: c\nversion: 0.1.0\n",
      "chart/templates/x.yaml": "{{ .Values.broken }\n",
      "crd/widget.yaml": "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\n",
    });
    try {
      const report = await validateManifests(dir, { mode: "offline", kubectl: peers!.kubectl });
      assert.equal(report.valid, false);
      assert.equal(report.mode, "offline");
      assert.deepEqual(report.builds, [`${dir}/app`]);
      assert.deepEqual(report.files.map((f) => f.slice(dir.length + 1)), [
        "crd/widget.yaml",
        "loose/cm.yaml",
        "loose/values.yaml",
      ]);
      assert.deepEqual(report.problems.map(formatProblem).map((l) => l.replaceAll(dir, "")), [
        "/app: Deployment/apps/web: spec.replicas: must be integer",
        "/app: Deployment/apps/web: spec.template.spec.containers[0].image: required field is missing",
        "/app: Deployment/apps/web: spec.template.spec.containers[0].imag: unknown field",
        "/crd/widget.yaml: Widget/w: warning: no schema known for example.com/v1 Widget; not checked",
        "/loose/cm.yaml: ConfigMap/cm: data.n: must be string",
      ]);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "a kustomization that does not build is one problem naming the directory",
  ignore: !peers,
  fn: async () => {
    const dir = await tree({ "k/kustomization.yaml": "resources: [missing.yaml]\n" });
    try {
      const report = await validateManifests(dir, { mode: "offline", kubectl: peers!.kubectl });
      assert.equal(report.problems.length, 1);
      const [p] = report.problems;
      assert.equal(p!.file, `${dir}/k`);
      assert.equal(p!.document, "kustomization");
      assert.match(p!.message, /missing\.yaml/);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "valid trees pass, warnings do not fail, and a single file can be checked",
  ignore: !peers,
  fn: async () => {
    const dir = await tree({
      "a/kustomization.yaml": "resources: [d.yaml]\n",
      "a/d.yaml": toYaml(deploymentManifest("web", { image: "nginx:1.27", port: 80 })),
    });
    try {
      const report = await validateManifests(dir, { mode: "offline", kubectl: peers!.kubectl });
      assert.deepEqual(report.problems, []);
      assert.ok(report.valid);
      assert.equal(report.documents, 1);
      const single = await validateManifests(`${dir}/a/d.yaml`, { mode: "offline" });
      assert.deepEqual(single.files, [`${dir}/a/d.yaml`]);
      assert.ok(single.valid);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

const sopsPeers = await requirePeers("sops", "age-keygen", "kubectl");

Deno.test({
  name: "a Secret encrypted by the real sops is recognised, not reported invalid",
  ignore: !sopsPeers,
  fn: async () => {
    const dir = await tree({
      "k/kustomization.yaml": "resources: [secret.yaml]\n",
      "k/secret.yaml": toYaml(secretManifest("db", { stringData: { password: "s3cret" } })),
    });
    try {
      await defaultRunner.run(sopsPeers!["age-keygen"], ["-o", `${dir}/key.txt`]);
      const key = await Deno.readTextFile(`${dir}/key.txt`);
      const recipient = /public key: (age1\w+)/.exec(key)![1]!;
      const enc = await defaultRunner.run(sopsPeers!.sops, [
        "--encrypt",
        "--age",
        recipient,
        "--encrypted-regex",
        "^(data|stringData)$",
        `${dir}/k/secret.yaml`,
      ]);
      assert.doesNotMatch(enc.stdout, /s3cret/);
      await Deno.writeTextFile(`${dir}/k/secret.yaml`, enc.stdout);
      await Deno.remove(`${dir}/key.txt`);
      const report = await validateManifests(dir, { mode: "offline", kubectl: sopsPeers!.kubectl });
      assert.deepEqual(report.problems, []);
      assert.equal(report.encrypted, 1);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
