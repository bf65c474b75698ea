import assert from "node:assert/strict";
import { parse, parseAllDocuments } from "yaml";
import { Ajv } from "ajv";
import { Ajv2020 } from "ajv/dist/2020.js";
import { defaultRunner } from "../../lib/exec/mod.ts";
import { loadConfig, SCHEMA_LINE } from "../../lib/config/mod.ts";
import { ScaffoldError, scaffoldProject } from "../../lib/scaffold/mod.ts";
import { validateManifests } from "../../lib/workload/mod.ts";
import { requirePeers } from "../harness/peers.ts";
import {
  DISTRIBUTIONS,
  ENGINES,
  kustomizationDirs,
  scaffoldTemp,
  vectorCrds,
  VECTORS,
} from "./_helpers.ts";
import { KIND_FIELDS } from "../cluster/_kind_fields.ts";

const peers = await requirePeers("kubectl", "helm");

function stripRequired(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(stripRequired);
  if (typeof schema !== "object" || schema === null) return schema;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(schema)) if (k !== "required") out[k] = stripRequired(v);
  return out;
}

/** Validates the native config where ../shared/vectors/schemas has a schema. */
async function checkNativeConfig(distribution: string, file: string): Promise<string> {
  const text = await Deno.readTextFile(file);
  if (distribution === "K3d") {
    const schema = JSON.parse(
      await Deno.readTextFile(`${VECTORS}schemas/k3d/v1alpha5/schema.json`),
    );
    const validate = new Ajv({ strict: false, allErrors: true, validateFormats: false })
      .compile(schema);
    assert.ok(validate(parse(text)), JSON.stringify(validate.errors));
    return "k3d v1alpha5 schema";
  }
  if (distribution === "Talos") {
    // A machine-config patch is partial: check its fields (not required ones) against v1alpha1.Config.
    const schema = stripRequired(
      JSON.parse(await Deno.readTextFile(`${VECTORS}schemas/talos/config.schema.json`)),
    ) as Record<string, unknown>;
    const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
    ajv.addSchema(schema, "talos");
    const validate = ajv.getSchema("talos#/$defs/v1alpha1.Config")!;
    for (const doc of parseAllDocuments(text)) {
      assert.ok(validate(doc.toJS()), JSON.stringify(validate.errors));
    }
    return "talos v1alpha1.Config (fields)";
  }
  if (distribution === "Kind") {
    const doc = parse(text) as Record<string, unknown>;
    // kind publishes no schema; it decodes strictly, so only known top-level fields.
    const known = KIND_FIELDS.top;
    assert.equal(doc.apiVersion, "kind.x-k8s.io/v1alpha4");
    for (const key of Object.keys(doc)) assert.ok(known.includes(key), `unknown kind field ${key}`);
    return "kind fields";
  }
  const docs = parseAllDocuments(text).map((d) => d.toJS() as { kind: string; apiVersion: string });
  assert.deepEqual(docs.map((d) => d.kind), ["Cluster", "DockerDatacenterConfig"]);
  return "EKS-A kinds";
}

for (const distribution of DISTRIBUTIONS) {
  for (const gitops of ENGINES) {
    Deno.test({
      name: `scaffold ${distribution} × ${gitops}: kustomize, helm, native config, bosun.yaml`,
      ignore: !peers,
      fn: async () => {
        const s = await scaffoldTemp(distribution, gitops);
        try {
          assert.ok(s.result.files.length > 20);
          assert.ok(s.result.files.every((f) => f.action === "created"));

          // bosun.yaml: schema line first, valid for Bosun, matches the options.
          const text = await Deno.readTextFile(`${s.dir}/bosun.yaml`);
          assert.equal(text.split("\n")[0], SCHEMA_LINE);
          const { config } = await loadConfig(`${s.dir}/bosun.yaml`);
          assert.equal(config.spec.distribution, distribution);
          assert.equal(config.spec.gitops.engine, gitops);
          assert.equal(config.metadata.name, "platform");

          // The native config exists and is valid where a schema exists.
          assert.ok(config.spec.distributionConfig, "distributionConfig is set");
          await checkNativeConfig(distribution, `${s.dir}/${config.spec.distributionConfig}`);

          // .sops.yaml names the recipient; the private key is outside the repo.
          const sops = parse(await Deno.readTextFile(`${s.dir}/.sops.yaml`));
          assert.equal(sops.creation_rules[0].age, s.result.ageRecipient);
          assert.deepEqual(config.spec.sops.age, [s.result.ageRecipient]);
          const keys = await Deno.readTextFile(s.keyFile);
          assert.match(keys, /^AGE-SECRET-KEY-1[0-9A-Z]+$/m);
          assert.equal(((await Deno.stat(s.keyFile)).mode ?? 0) & 0o777, 0o600);

          // Real kubectl kustomize on every kustomization.
          const dirs = await kustomizationDirs(`${s.dir}/k8s`);
          assert.ok(
            dirs.length >= (gitops === "None" ? 4 : 5),
            `kustomizations: ${dirs.join(", ")}`,
          );
          for (const dir of dirs) {
            const out = await defaultRunner.run(peers!.kubectl, ["kustomize", dir]);
            assert.ok(out.stdout.includes("kind:"), dir);
          }

          // Real helm lint and helm template on the chart.
          const chart = `${s.dir}/k8s/charts/hello`;
          await defaultRunner.run(peers!.helm, ["lint", "--strict", chart]);
          const rendered = await defaultRunner.run(peers!.helm, ["template", "hello", chart]);
          const kinds = parseAllDocuments(rendered.stdout).map((d) => d.get("kind"));
          assert.deepEqual(kinds.sort(), ["Deployment", "Service"]);

          // Every document checks against the real Flux / Argo CD CRDs.
          const report = await validateManifests(`${s.dir}/k8s`, {
            mode: "offline",
            crds: await vectorCrds(),
            kubectl: peers!.kubectl,
          });
          assert.deepEqual(report.problems, []);
          assert.equal(report.builds.length, dirs.length);

          // The GitOps objects are those of the engine.
          const cluster = await defaultRunner.run(peers!.kubectl, [
            "kustomize",
            `${s.dir}/k8s/clusters/local`,
          ]);
          const clusterKinds = new Set(
            parseAllDocuments(cluster.stdout).map((d) => String(d.get("kind"))),
          );
          assert.equal(clusterKinds.has("FluxInstance"), gitops === "Flux");
          assert.equal(clusterKinds.has("Application"), gitops === "ArgoCD");
          assert.equal(clusterKinds.has("Deployment"), gitops !== "Flux");
        } finally {
          await s.cleanup();
        }
      },
    });
  }
}

Deno.test("init twice: the second run skips every file and keeps the key", async () => {
  const s = await scaffoldTemp("K3d", "Flux");
  try {
    const keysBefore = await Deno.readTextFile(s.keyFile);
    const again = await scaffoldProject(s.dir, {
      distribution: "K3d",
      gitops: "Flux",
      ageKeyFile: s.keyFile,
    });
    assert.equal(again.files.length, s.result.files.length);
    assert.deepEqual(again.files.filter((f) => f.action !== "skipped"), []);
    assert.equal(again.keyFileWritten, undefined);
    assert.equal(again.ageRecipient, s.result.ageRecipient);
    assert.equal(await Deno.readTextFile(s.keyFile), keysBefore);

    // --force rewrites only what differs; a user edit is replaced, the key is kept.
    await Deno.writeTextFile(`${s.dir}/README.md`, "mine\n");
    const forced = await scaffoldProject(s.dir, {
      distribution: "K3d",
      gitops: "Flux",
      sdk: (await import("../harness/peers.ts")).REPO_ROOT,
      ageKeyFile: s.keyFile,
      force: true,
    });
    const changed = forced.files.filter((f) => f.action !== "unchanged");
    assert.deepEqual(changed, [{ path: "README.md", action: "overwritten" }]);
    assert.equal(forced.ageRecipient, s.result.ageRecipient);
  } finally {
    await s.cleanup();
  }
});

Deno.test("init keeps user files it did not write and reports them skipped", async () => {
  const dir = await Deno.makeTempDir();
  const keys = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/README.md`, "my readme\n");
    const r = await scaffoldProject(dir, { ageKeyFile: `${keys}/k.txt` });
    assert.deepEqual(r.files.find((f) => f.path === "README.md"), {
      path: "README.md",
      action: "skipped",
    });
    assert.equal(await Deno.readTextFile(`${dir}/README.md`), "my readme\n");
  } finally {
    await Deno.remove(dir, { recursive: true });
    await Deno.remove(keys, { recursive: true });
  }
});

Deno.test("init refuses a SOPS key file inside the repository and writes nothing", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await assert.rejects(
      scaffoldProject(dir, { ageKeyFile: `${dir}/secrets/keys.txt` }),
      (e: unknown) => e instanceof ScaffoldError && /inside the repository/.test(e.message),
    );
    await assert.rejects(
      scaffoldProject(dir, {
        env: (n) => (n === "SOPS_AGE_KEY_FILE" ? `${dir}/k.txt` : undefined),
      }),
      ScaffoldError,
    );
    assert.deepEqual([...Deno.readDirSync(dir)], []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test({
  name: "the generated age identity matches the recipient (real age-keygen -y)",
  ignore: !(await requirePeers("age-keygen")),
  fn: async () => {
    const keygen = (await requirePeers("age-keygen"))!["age-keygen"];
    const s = await scaffoldTemp("Kind", "None");
    try {
      const out = await defaultRunner.run(keygen, ["-y", s.keyFile]);
      assert.equal(out.stdout.trim(), s.result.ageRecipient);
    } finally {
      await s.cleanup();
    }
  },
});
