// `bosun cluster …` end to end through the real CLI process, with the stub
// tools on PATH.

import assert from "node:assert/strict";
import { parse } from "yaml";
import { defaultRunner } from "../../lib/exec/mod.ts";
import { fakeWorld, freePort, STUBS } from "./_fake.ts";

const root = new URL("../../", import.meta.url).pathname;

function bosun(args: string[], cwd: string, env: Record<string, string> = {}) {
  return defaultRunner.run(Deno.execPath(), ["run", "-A", `${root}cli.ts`, ...args], {
    throwOnError: false,
    cwd,
    env: { NO_COLOR: "1", ...env },
  });
}

Deno.test("cluster create --dry-run prints exact commands and files for every distribution", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const want: Record<string, RegExp[]> = {
      Kind: [
        /kind create cluster --name dev --config \/s\/kind\.yaml --kubeconfig \/s\/kubeconfig/,
        /write \/s\/certs\.d\/docker\.io\/hosts\.toml/,
        /docker run --detach --name dev-registry .*--network kind registry:3/,
      ],
      K3d: [
        /docker network create --label dev\.bosun\.cluster=dev k3d-dev/,
        /k3d cluster create dev --config \/s\/k3d\.yaml/,
        /--network k3d-dev registry:3/,
      ],
      Talos: [
        /talosctl cluster create docker --name dev/,
        /--config-patch @\/s\/talos\/bosun-patch\.yaml/,
        /kind: RegistryMirrorConfig/,
      ],
      EKSAnywhere: [
        /eksctl anywhere create cluster --filename \/s\/eksa-cluster\.yaml/,
        /kind: DockerDatacenterConfig/,
      ],
    };
    await Deno.writeTextFile(
      `${dir}/bosun.yaml`,
      "metadata:\n  name: dev\nspec:\n  registry:\n    mirrors:\n      docker.io: https://registry-1.docker.io\n",
    );
    for (const [distribution, patterns] of Object.entries(want)) {
      const out = await bosun(
        ["cluster", "create", "--dry-run", "-d", distribution, "--workers", "2"],
        dir,
        { BOSUN_HOME: "/bosun" },
      );
      assert.equal(out.code, 0, out.stderr);
      const text = out.stdout.replaceAll("/bosun/clusters/dev", "/s");
      for (const p of patterns) assert.match(text, p, `${distribution}: ${p}`);
      assert.match(text, /docker run --detach --name dev-mirror-docker\.io/);
    }
    const bad = await bosun(["cluster", "create", "--dry-run", "--workers", "-1"], dir);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /spec\.nodes\.workers/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("cluster create, list, info, stop, start, delete through the CLI", async () => {
  const world = await fakeWorld();
  try {
    const port = freePort();
    await Deno.writeTextFile(
      `${world.dir}/bosun.yaml`,
      `metadata:\n  name: cli\nspec:\n  distribution: K3d\n  kubeconfig: ${world.kubeconfig}\n  registry:\n    local:\n      hostPort: ${port}\n`,
    );
    const env = {
      PATH: `${STUBS}:${Deno.env.get("PATH")}`,
      BOSUN_STUB_STATE: world.dir,
      BOSUN_HOME: world.home,
    };
    // No apiserver behind the stub kubeconfig: skip the ConfigMap through the library instead.
    const created = await bosun(
      ["--json", "cluster", "create", "--fail-if-exists"],
      world.dir,
      env,
    );
    // The stub cluster has no apiserver, so publishing the ConfigMap fails and create cleans up.
    assert.equal(created.code, 1);
    assert.match(
      created.stderr,
      /Cannot create cluster "cli": Publishing kube-public\/local-registry-hosting failed; removed what this call created/,
    );
    assert.deepEqual(world.snapshot().containers.filter((c) => c.includes("cli")), []);

    await Deno.writeTextFile(
      `${world.dir}/bosun.yaml`,
      `metadata:\n  name: cli\nspec:\n  distribution: K3d\n  kubeconfig: ${world.kubeconfig}\n  registry:\n    local:\n      enabled: false\n`,
    );
    const ok = await bosun(["--json", "cluster", "create"], world.dir, env);
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal(JSON.parse(ok.stdout).context, "k3d-cli");
    const list = await bosun(["--json", "cluster", "list", "-d", "K3d"], world.dir, env);
    assert.deepEqual(JSON.parse(list.stdout), [{
      name: "cli",
      distribution: "K3d",
      context: "k3d-cli",
    }]);
    const info = await bosun(["cluster", "info"], world.dir, env);
    assert.match(info.stdout, /K3d cluster "cli": exists/);
    assert.match(info.stdout, /k3d-cli-server-0 \(running\)/);
    assert.equal((await bosun(["cluster", "stop"], world.dir, env)).code, 0);
    assert.match(
      (await bosun(["cluster", "info"], world.dir, env)).stdout,
      /k3d-cli-server-0 \(exited\)/,
    );
    assert.equal((await bosun(["cluster", "start"], world.dir, env)).code, 0);
    const del = await bosun(["cluster", "delete"], world.dir, env);
    assert.equal(del.code, 0, del.stderr);
    assert.match(del.stdout, /✓ deleted/);
    const kc = parse(await Deno.readTextFile(world.kubeconfig)) as { contexts: { name: string }[] };
    assert.deepEqual(kc.contexts.map((c) => c.name), ["prod"]);
    const missing = await bosun(["cluster", "start"], world.dir, env);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /Cannot start cluster "cli": it does not exist/);
  } finally {
    await world.dispose();
  }
});
