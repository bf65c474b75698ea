import assert from "node:assert/strict";
import Ajv2020 from "ajv/dist/2020.js";
import { parse } from "yaml";
import {
  applyDefaults,
  ConfigError,
  configJsonSchema,
  findConfigFile,
  loadConfig,
  parseConfig,
  resolveConfig,
  saveConfig,
  validateConfig,
} from "../../lib/config/mod.ts";

const root = new URL("../../", import.meta.url).pathname;
const exampleDir = `${root}examples/configs`;

async function exampleConfigs(): Promise<string[]> {
  const out: string[] = [];
  for await (const e of Deno.readDir(exampleDir)) {
    if (e.name.endsWith(".yaml")) out.push(`${exampleDir}/${e.name}`);
  }
  return out.sort();
}

function caught(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  assert.fail("expected an error");
}

const BAD = `apiVersion: bosun.dev/v1alpha1
kind: Cluster
metadata:
  name: dev
spec:
  distribution: Kinde
`;

Deno.test("defaults are applied in one place and match the documented values", () => {
  const c = applyDefaults({});
  assert.equal(c.apiVersion, "bosun.dev/v1alpha1");
  assert.equal(c.metadata.name, "bosun");
  assert.equal(c.spec.distribution, "Kind");
  assert.deepEqual(c.spec.nodes, { controlPlanes: 1, workers: 0 });
  assert.deepEqual(c.spec.registry, {
    image: "registry:3",
    local: { enabled: true, hostPort: 5050 },
    mirrors: {},
  });
  assert.deepEqual(c.spec.gitops, { engine: "None", sourceDirectory: "k8s", ref: "latest" });
  assert.equal(c.spec.kubernetesVersion, undefined);
});

Deno.test("user values win over defaults, deeply", () => {
  const c = applyDefaults({
    spec: { nodes: { workers: 3 }, registry: { local: { hostPort: 6000 } } },
  });
  assert.deepEqual(c.spec.nodes, { controlPlanes: 1, workers: 3 });
  assert.deepEqual(c.spec.registry.local, { enabled: true, hostPort: 6000 });
});

Deno.test("an enum typo names the field, the value, the allowed values and a suggestion", () => {
  const problems = validateConfig(parse(BAD));
  assert.equal(problems.length, 1);
  const [p] = problems;
  assert.equal(p!.path, "spec.distribution");
  assert.equal(p!.value, "Kinde");
  assert.equal(p!.suggestion, "Kind");
  assert.deepEqual(p!.allowed, ["Kind", "K3d", "Talos", "EKSAnywhere"]);
});

Deno.test("every problem is reported, not just the first", () => {
  const problems = validateConfig({
    metadata: { name: "Not_Valid" },
    spec: {
      nodes: { controlPlanes: 0, workers: -1 },
      cnii: "Cilium",
      registry: { local: { hostPort: 70000 }, mirrors: { "docker.io": "registry-1.docker.io" } },
      components: { cillium: {} },
      sops: { age: ["nope"] },
    },
  });
  const paths = problems.map((p) => p.path).sort();
  assert.deepEqual(
    paths,
    [
      "metadata.name",
      "spec.components.cillium",
      "spec.cnii",
      "spec.nodes.controlPlanes",
      "spec.nodes.workers",
      'spec.registry.mirrors["docker.io"]',
      "spec.registry.local.hostPort",
      "spec.sops.age[0]",
    ].sort(),
  );
  const unknown = problems.find((p) => p.path === "spec.cnii");
  assert.equal(unknown?.suggestion, "cni");
  assert.equal(problems.find((p) => p.path === "spec.components.cillium")?.suggestion, "cilium");
});

Deno.test("wrong types are named with what was given", () => {
  const [p] = validateConfig({ spec: { nodes: { workers: "two" } } });
  assert.equal(p?.path, "spec.nodes.workers");
  assert.match(p!.message, /must be an integer, not string "two"/);
});

Deno.test("parseConfig gives file, line and column for field problems", () => {
  const err = caught(() => parseConfig(BAD, "bad.yaml"));
  assert.ok(err instanceof ConfigError);
  assert.equal(err.problems[0]?.line, 6);
  assert.equal(err.problems[0]?.column, 17);
  assert.match(err.message, /bad\.yaml:6:17: spec\.distribution: "Kinde" is not one of/);
  assert.match(err.message, /did you mean "Kind"\?/);
});

Deno.test("malformed YAML gives file, line and column", () => {
  const err = caught(() => parseConfig("spec:\n  cni: [Cilium\n  csi: Default\n", "broken.yaml"));
  assert.ok(err instanceof ConfigError);
  assert.ok(err.problems[0]?.line !== undefined && err.problems[0].line >= 2);
  assert.match(err.message, /broken\.yaml:\d+:\d+: .*YAML syntax error/);
});

Deno.test("resolveConfig throws for configs written in code", () => {
  assert.throws(
    // @ts-expect-error: the type system rejects the typo too
    () => resolveConfig({ spec: { cni: "Ciliumm" } }),
    /spec\.cni: "Ciliumm" is not one of Default, Cilium, Calico \(did you mean "Cilium"\?\)/,
  );
});

Deno.test("the JSON schema accepts every example config and rejects the bad one", async () => {
  const ajv = new Ajv2020.default({ allErrors: true, strict: true });
  const validate = ajv.compile(configJsonSchema());
  const files = await exampleConfigs();
  assert.ok(files.length >= 4, "expected example configs in examples/configs");
  for (const file of files) {
    const doc = parse(await Deno.readTextFile(file)) ?? {};
    assert.ok(validate(doc), `${file}: ${JSON.stringify(validate.errors)}`);
    assert.deepEqual(validateConfig(doc), [], file);
  }
  assert.equal(validate(parse(BAD)), false);
  assert.equal(validate({ spec: { cnii: "Cilium" } }), false);
  assert.equal(validate({ spec: { nodes: { controlPlanes: 0 } } }), false);
});

Deno.test("the shipped schema file is the generated one", async () => {
  const shipped = JSON.parse(await Deno.readTextFile(`${root}lib/config/bosun.schema.json`));
  assert.deepEqual(shipped, configJsonSchema());
});

Deno.test("loadConfig walks up to the nearest bosun.yaml, else uses defaults", async () => {
  const dir = await Deno.makeTempDir();
  const cwd = Deno.cwd();
  try {
    await Deno.mkdir(`${dir}/a/b`, { recursive: true });
    Deno.chdir(`${dir}/a/b`);
    const none = await loadConfig();
    assert.equal(none.path, undefined);
    assert.equal(none.config.metadata.name, "bosun");
    await Deno.writeTextFile(`${dir}/bosun.yaml`, "metadata:\n  name: walked\n");
    assert.equal(await findConfigFile(), `${dir}/bosun.yaml`);
    const found = await loadConfig();
    assert.equal(found.path, `${dir}/bosun.yaml`);
    assert.equal(found.config.metadata.name, "walked");
    assert.equal(found.baseDir, dir);
  } finally {
    Deno.chdir(cwd);
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("loadConfig of a missing explicit file names it", async () => {
  await assert.rejects(() => loadConfig("/nonexistent/bosun.yaml"), /\/nonexistent\/bosun\.yaml/);
});

Deno.test("saveConfig writes only non-default fields with the schema line", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await saveConfig({
      metadata: { name: "dev" },
      spec: { cni: "Cilium", nodes: { controlPlanes: 1 } },
    }, `${dir}/bosun.yaml`);
    const text = await Deno.readTextFile(`${dir}/bosun.yaml`);
    assert.match(text, /^# yaml-language-server: \$schema=/);
    assert.deepEqual(parse(text), {
      apiVersion: "bosun.dev/v1alpha1",
      kind: "Cluster",
      metadata: { name: "dev" },
      spec: { cni: "Cilium" },
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("saveConfig keeps comments and order of an existing file", async () => {
  const dir = await Deno.makeTempDir();
  const file = `${dir}/bosun.yaml`;
  try {
    await Deno.writeTextFile(
      file,
      "# team cluster\nspec:\n  # pick carefully\n  cni: Cilium # eBPF\n  distribution: K3d\nmetadata:\n  name: team\n",
    );
    const { config } = await loadConfig(file);
    await saveConfig({
      ...config,
      spec: { ...config.spec, cni: "Calico", csi: "LocalPathStorage" },
    }, file);
    assert.equal(
      await Deno.readTextFile(file),
      "# team cluster\nspec:\n  # pick carefully\n  cni: Calico # eBPF\n  distribution: K3d\n  csi: LocalPathStorage\nmetadata:\n  name: team\n",
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("saveConfig of an invalid config writes nothing", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await assert.rejects(
      // @ts-expect-error: invalid on purpose
      () => saveConfig({ spec: { distribution: "Kinde" } }, `${dir}/bosun.yaml`),
      ConfigError,
    );
    assert.deepEqual([...Deno.readDirSync(dir)], []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
