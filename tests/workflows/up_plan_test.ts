/**
 * `up --dry-run`: the whole plan — registry and mirrors, cluster, components in DAG order
 * with chart versions, GitOps objects, first push — without starting a process or writing
 * anything, from the library, `bosun up --dry-run` and `bosun up --dry-run --json`.
 */

import assert from "node:assert/strict";
import { PINNED_CHARTS } from "../../lib/components/versions.ts";
import { defaultRunner } from "../../lib/exec/mod.ts";
import { formatUpPlan, planUpWorkflow, type UpPlan } from "../../lib/workflows/mod.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const AGE = "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p";

const BOSUN_YAML = `apiVersion: bosun.dev/v1alpha1
kind: Cluster
metadata:
  name: dev
spec:
  distribution: Kind
  nodes: { workers: 1 }
  cni: Cilium
  certManager: Enabled
  registry:
    local: { hostPort: 5099 }
    mirrors:
      docker.io: https://registry-1.docker.io
  gitops:
    engine: Flux
  sops:
    age: [${AGE}]
`;

/**
 * A directory with bosun.yaml and k8s/, and a PATH whose docker, kind and helm only leave a
 * mark that they were run.
 */
async function workspace(): Promise<{ dir: string; env: Record<string, string>; marks: string }> {
  const dir = await Deno.makeTempDir({ prefix: "bosun-up-plan-" });
  await Deno.mkdir(`${dir}/k8s`);
  await Deno.writeTextFile(`${dir}/bosun.yaml`, BOSUN_YAML);
  await Deno.mkdir(`${dir}/bin`);
  const marks = `${dir}/ran`;
  for (const tool of ["docker", "kind", "helm", "kubectl"]) {
    await Deno.writeTextFile(
      `${dir}/bin/${tool}`,
      `#!/bin/sh\necho ${tool} >> ${marks}\nexit 97\n`,
      {
        mode: 0o755,
      },
    );
  }
  await Deno.mkdir(`${dir}/home`);
  // HOME moves, so keep Deno's own cache where it is (nothing is fetched).
  const info = await defaultRunner.run(Deno.execPath(), ["info", "--json"]);
  const denoDir = (JSON.parse(info.stdout) as { denoDir: string }).denoDir;
  return {
    dir,
    marks,
    env: {
      PATH: `${dir}/bin:/usr/bin:/bin`,
      HOME: `${dir}/home`,
      BOSUN_HOME: `${dir}/bosun-home`,
      KUBECONFIG: "",
      DENO_DIR: denoDir,
      NO_COLOR: "1",
    },
  };
}

async function exists(path: string): Promise<boolean> {
  return await Deno.stat(path).then(() => true, () => false);
}

/** Nothing was run and nothing was written: no marks, no state directory, no kubeconfig. */
async function assertUntouched(ws: { dir: string; marks: string }): Promise<void> {
  assert.equal(await exists(ws.marks), false, "no tool was run");
  assert.equal(await exists(`${ws.dir}/bosun-home`), false, "no state directory");
  assert.deepEqual([...Deno.readDirSync(`${ws.dir}/home`)], [], "no kubeconfig, nothing in HOME");
  const entries = [...Deno.readDirSync(ws.dir)].map((e) => e.name).sort();
  assert.deepEqual(entries, ["bin", "bosun.yaml", "home", "k8s"]);
}

function assertWholePlan(plan: UpPlan, dir: string): void {
  assert.equal(plan.configFile, `${dir}/bosun.yaml`);
  assert.deepEqual(plan.registries.map((r) => r.name), ["dev-registry", "dev-mirror-docker.io"]);
  const commands = plan.cluster.steps.flatMap((s) =>
    s.kind === "command" ? [`${s.cmd} ${s.args.join(" ")}`] : []
  );
  const run = (name: string) =>
    commands.findIndex((c) => c.startsWith("docker run") && c.includes(`--name ${name}`));
  const create = commands.findIndex((c) => c.startsWith("kind create cluster"));
  assert.ok(run("dev-registry") >= 0 && run("dev-mirror-docker.io") >= 0, commands.join("\n"));
  assert.ok(create >= 0, commands.join("\n"));
  assert.equal(plan.cluster.kubeconfig, `${dir}/home/.kube/config`);
  assert.equal(plan.cluster.context, "kind-dev");

  const order = plan.components.nodes.map((n) => n.name);
  assert.equal(order[0], "cilium", "the CNI first");
  assert.equal(order.at(-1), "flux-operator", "the GitOps engine last");
  assert.ok(order.indexOf("cert-manager") > 0);
  const cilium = plan.components.nodes.find((n) => n.name === "cilium")!;
  assert.equal(cilium.version, PINNED_CHARTS.cilium.version);

  assert.equal(plan.gitops?.engine, "Flux");
  assert.deepEqual(
    plan.gitops?.objects.map((o) => `${o.kind} ${o.metadata.namespace}/${o.metadata.name}`),
    ["Secret flux-system/sops-age", "FluxInstance flux-system/flux"],
  );
  assert.equal(plan.gitops?.objects[0]?.data, undefined, "no key material in a plan");
  assert.deepEqual(plan.push, { directory: `${dir}/k8s`, reference: "localhost:5099/k8s:latest" });
}

Deno.test("planUpWorkflow: registry, mirrors, cluster, components in DAG order, GitOps objects, first push; touches nothing", async () => {
  const ws = await workspace();
  const saved = Object.fromEntries(Object.keys(ws.env).map((k) => [k, Deno.env.get(k)]));
  try {
    for (const [k, v] of Object.entries(ws.env)) Deno.env.set(k, v);
    const plan = await planUpWorkflow({ config: `${ws.dir}/bosun.yaml` });
    assertWholePlan(plan, ws.dir);
    const text = formatUpPlan(plan);
    const sections = [
      "Registry and mirrors",
      "Cluster (context kind-dev",
      "Components, in dependency order",
      "GitOps: Flux",
      "First push",
    ];
    const at = sections.map((s) => text.indexOf(`\n${s}`));
    assert.ok(at.every((i, n) => i > 0 && (n === 0 || i > at[n - 1]!)), text);
    assert.match(text, /kind create cluster --name dev/);
    assert.match(
      text,
      new RegExp(
        `^ {2}cilium {2}${PINNED_CHARTS.cilium.version.replaceAll(".", "\\.")} {2}ns/kube-system`,
        "m",
      ),
    );
    assert.match(text, /^ {2}FluxInstance flux-system\/flux$/m);
    assert.match(text, new RegExp(`push ${ws.dir}/k8s → localhost:5099/k8s:latest`));

    const noPush = await planUpWorkflow({ config: `${ws.dir}/bosun.yaml`, push: false });
    assert.deepEqual(noPush.push, { skipped: "push disabled" });
    await assertUntouched(ws);
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      v === undefined ? Deno.env.delete(k) : Deno.env.set(k, v);
    }
    await Deno.remove(ws.dir, { recursive: true });
  }
});

Deno.test("bosun up --dry-run prints the plan, and --json the same plan as data, without Docker", async () => {
  const ws = await workspace();
  try {
    const bosun = (args: string[]) =>
      defaultRunner.run(Deno.execPath(), ["run", "-A", `${ROOT}cli.ts`, ...args], {
        throwOnError: false,
        cwd: ws.dir,
        env: ws.env,
      });
    const text = await bosun(["up", "--dry-run"]);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /^Plan: up "dev" \(Kind\)/);
    assert.match(text.stdout, /^First push\n {2}push /m);

    const json = await bosun(["--json", "up", "--dry-run"]);
    assert.equal(json.code, 0, json.stderr);
    const plan = JSON.parse(json.stdout) as UpPlan;
    assertWholePlan(plan, ws.dir);
    await assertUntouched(ws);
  } finally {
    await Deno.remove(ws.dir, { recursive: true });
  }
});
