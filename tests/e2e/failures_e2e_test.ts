// Failure, for real, on Kind in a real Docker engine, through the `bosun` command line:
// - a create that fails midway (the API server's host port held by another process) leaves
//   nothing behind;
// - SIGINT to `bosun up` while kind creates the nodes: the step in flight stops, what this run
//   created is removed, and the exit code is 130;
// - two `bosun up` for the same name at once: one wins, the other fails naming the lock and
//   deletes nothing of the winner's.

import assert from "node:assert/strict";
import { parse } from "yaml";
import { defaultRunner } from "../../lib/exec/mod.ts";
import {
  bosun,
  clusterName,
  DENO_DIR,
  e2eTest,
  freePort,
  kindNative,
  kindNodes,
  labelled,
  REPO_ROOT,
  sh,
  tryRun,
} from "./_e2e.ts";

/** A temp project and HOME for one cluster; `remove()` deletes whatever is left. */
async function project(tag: string, kindExtra = "") {
  const name = clusterName(tag);
  const home = await Deno.makeTempDir({ prefix: "bosun-e2e-home-" });
  const dir = await Deno.makeTempDir({ prefix: "bosun-e2e-project-" });
  const port = freePort();
  await Deno.writeTextFile(`${dir}/kind.yaml`, kindNative(kindExtra));
  await Deno.writeTextFile(
    `${dir}/bosun.yaml`,
    `metadata: { name: ${name} }
spec:
  distribution: Kind
  distributionConfig: kind.yaml
  kubernetesVersion: v1.36.3
  nodes: { controlPlanes: 1, workers: 0 }
  registry: { local: { enabled: true, hostPort: ${port} }, mirrors: {} }
  gitops: { engine: None }
`,
  );
  const env = { HOME: home, KUBECONFIG: "", NO_COLOR: "1", DENO_DIR };
  const contexts = async () => {
    try {
      const kc = parse(await Deno.readTextFile(`${home}/.kube/config`)) as {
        contexts?: { name: string }[];
      };
      return (kc.contexts ?? []).map((c) => c.name);
    } catch {
      return [];
    }
  };
  const left = async () => [...await labelled(name), ...await kindNodes(name)];
  return {
    name,
    dir,
    env,
    contexts,
    left,
    up: () => bosun(["up", "--no-push"], { env, cwd: dir }),
    async remove() {
      if ((await kindNodes(name)).length > 0) {
        await tryRun("kind", ["delete", "cluster", "--name", name]);
      }
      for (const l of await labelled(name)) {
        const [what, id] = l.split(" ");
        await tryRun("docker", what === "container" ? ["rm", "-f", "-v", id!] : [what!, "rm", id!]);
      }
      await Deno.remove(home, { recursive: true }).catch(() => {});
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    },
  };
}

e2eTest("a create that fails midway (API server port held) leaves nothing behind", async () => {
  const held = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (held.addr as Deno.NetAddr).port;
  const p = await project(
    "midway",
    `networking:\n  apiServerAddress: 127.0.0.1\n  apiServerPort: ${port}\n`,
  );
  try {
    const r = await p.up();
    assert.equal(r.code, 1, `${r.stdout}\n${r.stderr}`);
    assert.match(r.stderr, new RegExp(`Cannot create cluster "${p.name}"`));
    assert.match(r.stdout + r.stderr, /kind create cluster/);
    assert.deepEqual(await p.left(), [], "no container, volume or network left");
    assert.deepEqual(await p.contexts(), [], "no context merged");
  } finally {
    held.close();
    await p.remove();
  }
});

e2eTest("SIGINT during cluster creation stops kind and removes what the run created", async () => {
  const p = await project("sigint");
  const log = `${p.dir}/up.log`;
  try {
    const child = defaultRunner.spawn(
      Deno.execPath(),
      ["run", "-A", `${REPO_ROOT}/cli.ts`, "up", "--no-push"],
      { cwd: p.dir, env: p.env, logFile: log },
    );
    const deadline = Date.now() + 120_000;
    while ((await kindNodes(p.name)).length === 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
    }
    assert.ok((await kindNodes(p.name)).length > 0, "kind started making the node");
    child.kill("SIGINT");
    const code = await child.exited;
    const out = await Deno.readTextFile(log);
    assert.equal(code, 130, out);
    assert.match(out, /Interrupted: stopping, then removing what this run created/);
    assert.deepEqual(await p.left(), [], `nothing left behind:\n${out}`);
    assert.deepEqual(await p.contexts(), []);
  } finally {
    await p.remove();
  }
});

e2eTest(
  "two bosun up for one name at once: one wins, the other fails and deletes nothing",
  async () => {
    const p = await project("race");
    try {
      const [a, b] = await Promise.all([p.up(), p.up()]);
      const codes = [a.code, b.code].sort();
      assert.deepEqual(codes, [0, 1], `${a.stderr}\n---\n${b.stderr}`);
      const loser = a.code === 1 ? a : b;
      assert.match(
        loser.stderr,
        new RegExp(`Cannot create cluster "${p.name}": .*(another|lock)`, "i"),
      );
      // The winner's cluster is whole: node, registry container and volume, context.
      assert.deepEqual(await kindNodes(p.name), [`${p.name}-control-plane`]);
      const objects = await labelled(p.name);
      assert.ok(objects.includes(`container ${p.name}-registry`), objects.join("\n"));
      assert.ok(objects.includes(`volume ${p.name}-registry`), objects.join("\n"));
      assert.deepEqual(await p.contexts(), [`kind-${p.name}`]);
      await sh("kubectl", [
        "--kubeconfig",
        `${p.env.HOME}/.kube/config`,
        "--context",
        `kind-${p.name}`,
        "get",
        "nodes",
      ]);
      const down = await bosun(["down"], { env: p.env, cwd: p.dir });
      assert.equal(down.code, 0, down.stderr);
      assert.deepEqual(await p.left(), []);
    } finally {
      await p.remove();
    }
  },
);
