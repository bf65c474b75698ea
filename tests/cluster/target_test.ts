/**
 * The kubeconfig path and context are resolved once (lib/cluster/target.ts) and carried:
 * `spec.kubeconfig` has no literal `~/.kube/config` default, `$KUBECONFIG` is honoured with
 * kubectl's rules, the path is absolute, and it is what helm's argv gets.
 */

import assert from "node:assert/strict";
import { applyDefaults } from "../../lib/config/mod.ts";
import { contextOf, createCluster, kubeconfigOf, kubeTargetOf } from "../../lib/cluster/mod.ts";
import { defineHelmComponent, installComponent } from "../../lib/components/mod.ts";
import { RecordingRunner } from "../../testing.ts";
import { fakeWorld, freePort } from "./_fake.ts";

/** Runs `fn` with HOME and KUBECONFIG set as given (`undefined`: unset), then restores both. */
async function withEnv(
  env: { HOME: string; KUBECONFIG?: string | undefined },
  fn: () => Promise<void> | void,
): Promise<void> {
  const saved = { HOME: Deno.env.get("HOME"), KUBECONFIG: Deno.env.get("KUBECONFIG") };
  const set = (k: string, v: string | undefined) =>
    v === undefined ? Deno.env.delete(k) : Deno.env.set(k, v);
  set("HOME", env.HOME);
  set("KUBECONFIG", env.KUBECONFIG);
  try {
    await fn();
  } finally {
    set("HOME", saved.HOME);
    set("KUBECONFIG", saved.KUBECONFIG);
  }
}

Deno.test("spec.kubeconfig has no default: the schema leaves it unset", () => {
  assert.equal(applyDefaults({}).spec.kubeconfig, undefined);
});

Deno.test("kubeconfigOf: ~/.kube/config under HOME when KUBECONFIG is unset; absolute", async () => {
  const home = await Deno.makeTempDir({ prefix: "bosun-home-" });
  try {
    await withEnv({ HOME: home, KUBECONFIG: undefined }, () => {
      assert.equal(kubeconfigOf(applyDefaults({})), `${home}/.kube/config`);
      assert.equal(
        kubeconfigOf(applyDefaults({ spec: { kubeconfig: "~/k/config" } })),
        `${home}/k/config`,
      );
      assert.equal(
        kubeconfigOf(applyDefaults({ spec: { kubeconfig: "kube/../kube/config" } }), "/work/p"),
        "/work/p/kube/config",
      );
      assert.equal(
        kubeconfigOf(applyDefaults({ spec: { kubeconfig: "kube" } })),
        `${Deno.cwd()}/kube`,
      );
    });
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("kubeconfigOf: a KUBECONFIG list follows kubectl (only entry; first existing; else last)", async () => {
  const home = await Deno.makeTempDir({ prefix: "bosun-home-" });
  try {
    const [a, b, c] = [`${home}/a`, `${home}/b`, `${home}/c`];
    const config = applyDefaults({});
    await withEnv({ HOME: home, KUBECONFIG: a }, () => assert.equal(kubeconfigOf(config), a));
    await withEnv({ HOME: home, KUBECONFIG: `${a}:${b}:${c}` }, async () => {
      assert.equal(kubeconfigOf(config), c, "none exists: the last entry");
      await Deno.writeTextFile(b, "");
      assert.equal(kubeconfigOf(config), b, "the first entry that exists");
      await Deno.writeTextFile(a, "");
      assert.equal(kubeconfigOf(config), a);
    });
    await withEnv({ HOME: home, KUBECONFIG: "~/x::rel/y" }, () => {
      assert.equal(
        kubeconfigOf(config),
        `${Deno.cwd()}/rel/y`,
        "relative entries are made absolute",
      );
    });
    await withEnv({ HOME: home, KUBECONFIG: c }, () => {
      const explicit = applyDefaults({ spec: { kubeconfig: `${home}/own` } });
      assert.equal(kubeconfigOf(explicit), `${home}/own`, "spec.kubeconfig wins over KUBECONFIG");
    });
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("contextOf/kubeTargetOf: the config's context, else the distribution's", () => {
  const config = applyDefaults({ metadata: { name: "dev" }, spec: { distribution: "K3d" } });
  assert.equal(contextOf(config), "k3d-dev");
  assert.equal(
    kubeTargetOf(applyDefaults({ spec: { context: "mine", kubeconfig: "/k" } })).context,
    "mine",
  );
});

/** A Helm component whose only effect is helm calls (answered by the recording runner). */
const probe = defineHelmComponent({
  name: "probe",
  chart: { repo: "https://charts.example.test", chart: "probe" },
  version: "1.0.0",
  namespace: "probe",
  enabled: () => true,
});

/** A recording runner answering helm like a cluster without the release. */
function fakeHelm(): RecordingRunner {
  let installed = false;
  return new RecordingRunner((cmd, args) => {
    if (!cmd.endsWith("helm")) return { code: 99, stderr: `unexpected ${cmd}` };
    if (args[0] === "version") return { stdout: "v3.17.3+ge4da497\n" };
    if (args[0] === "history") {
      return installed
        ? { stdout: JSON.stringify([{ revision: 1, status: "deployed", chart: "probe-1.0.0" }]) }
        : { code: 1, stderr: "Error: release: not found\n" };
    }
    if (args[0] === "upgrade") {
      installed = true;
      return {};
    }
    return { code: 99, stderr: `unexpected helm ${args.join(" ")}` };
  });
}

function helmKubeconfigs(runner: RecordingRunner): string[] {
  return runner.calls
    .filter((c) => c.cmd.endsWith("helm") && c.args[0] !== "version")
    .map((c) => c.args[c.args.indexOf("--kubeconfig") + 1] ?? "(none)");
}

async function helmStub(dir: string): Promise<void> {
  await Deno.mkdir(`${dir}/bin`, { recursive: true });
  await Deno.writeTextFile(`${dir}/bin/helm`, "#!/bin/sh\nexit 97\n", { mode: 0o755 });
}

Deno.test("the handle createCluster returns carries the resolved path, and helm's argv gets it", async () => {
  const world = await fakeWorld();
  const home = `${world.dir}/user`;
  await Deno.mkdir(home);
  await helmStub(world.dir);
  Deno.env.set("PATH", `${world.dir}/bin:${Deno.env.get("PATH")}`);
  try {
    for (const kubeconfig of [undefined, `${world.dir}/from-env`]) {
      await withEnv({ HOME: home, KUBECONFIG: kubeconfig }, async () => {
        const wanted = kubeconfig ?? `${home}/.kube/config`;
        const cluster = await createCluster({
          name: "dev",
          distribution: "Kind",
          registry: { local: { enabled: true, hostPort: freePort() } },
        }, { applyObjects: () => Promise.resolve() });
        assert.equal(cluster.kubeconfig, wanted);
        assert.equal(cluster.config.spec.kubeconfig, wanted);
        assert.equal(cluster.context, "kind-dev");
        assert.match(await Deno.readTextFile(wanted), /name: kind-dev/);

        const runner = fakeHelm();
        const result = await installComponent(probe, cluster, { runner });
        assert.equal(result.status, "installed");
        const seen = helmKubeconfigs(runner);
        assert.ok(seen.length >= 2, runner.lines.join("\n"));
        assert.deepEqual([...new Set(seen)], [wanted], runner.lines.join("\n"));
        assert.ok(
          runner.calls.every((c) =>
            c.args[c.args.indexOf("--kube-context") + 1] === "kind-dev" || c.args[0] === "version"
          ),
        );

        // A plain config (no handle) resolves to the same file.
        const again = fakeHelm();
        await installComponent(probe, cluster.config, { runner: again });
        assert.deepEqual([...new Set(helmKubeconfigs(again))], [wanted]);
        await Deno.remove(`${world.home}`, { recursive: true });
        const s = world.state();
        s.containers = s.containers.filter((c) =>
          c.labels["io.x-k8s.kind.cluster"] !== "dev" && c.labels["dev.bosun.cluster"] !== "dev"
        );
        world.setState(s);
      });
    }
  } finally {
    await world.dispose();
  }
});

Deno.test("a kubeconfig given to the installer is expanded and made absolute before helm sees it", async () => {
  const home = await Deno.makeTempDir({ prefix: "bosun-home-" });
  await helmStub(home);
  const path = Deno.env.get("PATH");
  Deno.env.set("PATH", `${home}/bin:${path}`);
  try {
    await withEnv({ HOME: home, KUBECONFIG: undefined }, async () => {
      const config = applyDefaults({ metadata: { name: "dev" } });
      for (
        const [given, wanted] of [["~/alt", `${home}/alt`], ["rel/kc", `${Deno.cwd()}/rel/kc`]]
      ) {
        const runner = fakeHelm();
        await installComponent(probe, config, { runner, kubeconfig: given, context: "elsewhere" });
        assert.deepEqual([...new Set(helmKubeconfigs(runner))], [wanted!]);
        assert.ok(runner.calls.some((c) => c.args.includes("elsewhere")));
      }
    });
  } finally {
    Deno.env.set("PATH", path ?? "");
    await Deno.remove(home, { recursive: true });
  }
});
