import assert from "node:assert/strict";
import type { Runner, RunOptions, RunResult, SpawnedProcess } from "../../lib/exec/mod.ts";
import { CommandError } from "../../lib/exec/mod.ts";
import { UnexpectedCallError } from "../../testing.ts";
import {
  chartArgs,
  describeChart,
  Helm,
  HelmError,
  helmMessage,
  mergeValues,
} from "../../lib/helm/mod.ts";

/**
 * A runner that records argv, captures the values file while helm "runs", and replies; a call
 * the reply does not answer (`undefined`) fails the test.
 */
class RecordingRunner implements Runner {
  calls: string[][] = [];
  valuesFiles: { mode: number; text: string }[] = [];
  constructor(
    readonly reply: (
      args: readonly string[],
    ) => (Partial<RunResult> & { fail?: string | undefined }) | undefined,
  ) {}
  async run(cmd: string, args: readonly string[], _o?: RunOptions): Promise<RunResult> {
    this.calls.push([cmd, ...args]);
    const i = args.indexOf("--values");
    if (i >= 0) {
      const path = args[i + 1]!;
      const st = await Deno.stat(path);
      this.valuesFiles.push({ mode: st.mode! & 0o777, text: await Deno.readTextFile(path) });
    }
    const r = this.reply(args);
    if (r === undefined) throw new UnexpectedCallError(cmd, args);
    if (r.fail !== undefined) {
      throw new CommandError({ argv: [cmd, ...args], code: 1, stdout: "", stderr: r.fail });
    }
    return {
      argv: [cmd, ...args],
      code: 0,
      success: true,
      stdout: r.stdout ?? "",
      stderr: "",
      durationMs: 1,
    };
  }
  spawn(): SpawnedProcess {
    throw new TypeError("not used");
  }
}

Deno.test("chartArgs covers repository, OCI and local charts", () => {
  assert.deepEqual(chartArgs({ repo: "https://charts.jetstack.io", chart: "cert-manager" }, "v1"), {
    chart: "cert-manager",
    flags: ["--repo", "https://charts.jetstack.io", "--version", "v1"],
  });
  assert.deepEqual(chartArgs({ oci: "oci://ghcr.io/a/b" }, "1.0.0"), {
    chart: "oci://ghcr.io/a/b",
    flags: ["--version", "1.0.0"],
  });
  assert.deepEqual(chartArgs({ path: "./c" }, "1.0.0"), { chart: "./c", flags: [] });
  assert.throws(() => chartArgs({ oci: "ghcr.io/a/b" }), TypeError);
  assert.equal(describeChart({ repo: "https://x/", chart: "y" }, "1"), "https://x/y@1");
});

Deno.test("helmMessage keeps Helm's error text and drops warnings", () => {
  assert.equal(
    helmMessage("walk.go:75: found symbolic link\nError: INSTALLATION FAILED: boom\n  detail\n"),
    "INSTALLATION FAILED: boom\n  detail",
  );
  assert.equal(helmMessage("plain failure\n"), "plain failure");
});

Deno.test("mergeValues merges objects, replaces arrays, deletes on null", () => {
  const base = { a: { b: 1, c: [1, 2] }, keep: true, drop: 1 };
  const out = mergeValues(base, { a: { c: [3] }, drop: null, add: { x: 1 } });
  assert.deepEqual(out, { a: { b: 1, c: [3] }, keep: true, add: { x: 1 } });
  assert.deepEqual(base.a.c, [1, 2], "the base is not modified");
});

Deno.test("upgradeInstall passes values in a private 0600 file, never --set, and removes it", async () => {
  const runner: RecordingRunner = new RecordingRunner((args) => {
    if (args[0] === "history") {
      const installed = runner.calls.some((c) => c[1] === "upgrade");
      return {
        fail: installed ? undefined : "Error: release: not found",
        stdout: installed
          ? JSON.stringify([{
            revision: "1",
            status: "deployed",
            chart: "web-0.1.0",
            app_version: "1.0",
          }])
          : "",
      };
    }
    if (args[0] === "upgrade") return {};
    return undefined;
  });
  const helm = new Helm({
    path: "/usr/bin/helm",
    version: "4.1.4",
    kubeconfig: "/k",
    context: "c",
    runner,
  });
  const secret = "s3cr3t-password-value";
  const result = await helm.upgradeInstall(
    "web",
    { repo: "https://charts.example", chart: "web" },
    {
      namespace: "apps",
      version: "0.1.0",
      values: { auth: { password: secret }, list: [1, "two"] },
      timeoutMs: 90_000,
    },
  );
  assert.equal(result.changed, true);
  assert.equal(result.release.revision, 1);
  const upgrade = runner.calls.find((c) => c[1] === "upgrade")!;
  assert.ok(!upgrade.some((a) => a.startsWith("--set")), "no --set flags");
  assert.ok(!upgrade.some((a) => a.includes(secret)), "values never appear in argv");
  for (const flag of ["--install", "--wait", "--wait-for-jobs", "--create-namespace"]) {
    assert.ok(upgrade.includes(flag), flag);
  }
  assert.deepEqual(upgrade.slice(upgrade.indexOf("--timeout"), upgrade.indexOf("--timeout") + 2), [
    "--timeout",
    "90s",
  ]);
  assert.deepEqual(upgrade.slice(-4), ["--kubeconfig", "/k", "--kube-context", "c"]);
  assert.equal(runner.valuesFiles.length, 1);
  assert.equal(runner.valuesFiles[0]!.mode, 0o600);
  assert.deepEqual(JSON.parse(runner.valuesFiles[0]!.text), {
    auth: { password: secret },
    list: [1, "two"],
  });
  const file = upgrade[upgrade.indexOf("--values") + 1]!;
  await assert.rejects(Deno.stat(file), Deno.errors.NotFound);
});

Deno.test("upgradeInstall skips a deployed release with the same chart and values", async () => {
  const runner = new RecordingRunner((args) => {
    if (args[0] === "history") {
      return {
        stdout: JSON.stringify([{
          revision: 3,
          status: "deployed",
          chart: "cert-manager-v1.20.2",
        }]),
      };
    }
    if (args[0] === "get") {
      return { stdout: JSON.stringify({ crds: { keep: true, enabled: true } }) };
    }
    return { fail: "Error: should not upgrade" };
  });
  const helm = new Helm({ path: "helm", version: "3.19.0", runner });
  const chart = { repo: "https://charts.jetstack.io", chart: "cert-manager" };
  const same = await helm.upgradeInstall("cm", chart, {
    namespace: "cert-manager",
    version: "v1.20.2",
    values: { crds: { enabled: true, keep: true } },
  });
  assert.equal(same.changed, false);
  await assert.rejects(
    helm.upgradeInstall("cm", chart, {
      namespace: "cert-manager",
      version: "v1.20.2",
      values: { crds: { enabled: false } },
    }),
    (e: unknown) =>
      e instanceof HelmError && e.helmMessage === "should not upgrade" &&
      e.message.startsWith('Cannot install release "cm" in namespace "cert-manager"'),
  );
});

Deno.test("a local chart whose templates changed but whose version did not is upgraded", async () => {
  const dir = await Deno.makeTempDir({ prefix: "bosun-chart-" });
  try {
    await Deno.mkdir(`${dir}/templates`);
    await Deno.writeTextFile(`${dir}/Chart.yaml`, "apiVersion: v2\nname: web\nversion: 0.1.0\n");
    await Deno.writeTextFile(`${dir}/values.yaml`, "replicas: 1\n");
    await Deno.writeTextFile(
      `${dir}/templates/cm.yaml`,
      "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: web}\ndata: {a: one}\n",
    );
    // a fake helm that remembers the description of the last install, as history reports it
    let deployed: { description: string } | undefined;
    const runner = new RecordingRunner((args) => {
      if (args[0] === "history") {
        return {
          stdout: deployed === undefined ? "" : JSON.stringify([{
            revision: 1,
            status: "deployed",
            chart: "web-0.1.0",
            description: deployed.description,
          }]),
          ...(deployed === undefined ? { fail: "Error: release: not found" } : {}),
        };
      }
      if (args[0] === "get") return { stdout: "{}" };
      if (args[0] === "upgrade") {
        deployed = { description: args[args.indexOf("--description") + 1]! };
        return {};
      }
      return { fail: `Error: unexpected helm ${args.join(" ")}` };
    });
    const helm = new Helm({ path: "helm", version: "3.19.0", runner });
    const chart = { path: dir };
    const upgrades = () => runner.calls.filter((c) => c[1] === "upgrade").length;

    assert.equal((await helm.upgradeInstall("web", chart, { namespace: "web" })).changed, true);
    assert.match(deployed!.description, /^Bosun: local chart sha256:[0-9a-f]{64}$/);
    assert.equal((await helm.upgradeInstall("web", chart, { namespace: "web" })).changed, false);
    assert.equal(upgrades(), 1, "same files: no upgrade");

    await Deno.writeTextFile(
      `${dir}/templates/cm.yaml`,
      "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: web}\ndata: {a: two}\n",
    );
    assert.equal((await helm.upgradeInstall("web", chart, { namespace: "web" })).changed, true);
    assert.equal(upgrades(), 2, "a changed template, same Chart.yaml version: upgraded");

    await Deno.writeTextFile(`${dir}/templates/extra.yaml`, "# new file\n");
    assert.equal((await helm.upgradeInstall("web", chart, { namespace: "web" })).changed, true);
    assert.equal(upgrades(), 3, "a new file: upgraded");
    assert.equal((await helm.upgradeInstall("web", chart, { namespace: "web" })).changed, false);
    assert.equal(upgrades(), 3);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("rollbackOnFailure maps to --atomic on Helm 3 and --rollback-on-failure on Helm 4", async () => {
  for (const [version, flag] of [["3.19.0", "--atomic"], ["4.1.4", "--rollback-on-failure"]]) {
    const runner = new RecordingRunner((args) =>
      args[0] === "history"
        ? { stdout: JSON.stringify([{ revision: 1, status: "deployed", chart: "x-1" }]) }
        : args[0] === "upgrade"
        ? {}
        : undefined
    );
    const helm = new Helm({ path: "helm", version: version!, runner });
    await helm.upgradeInstall("x", { path: "/nonexistent" }, {
      namespace: "x",
      rollbackOnFailure: true,
    });
    const upgrade = runner.calls.find((c) => c[1] === "upgrade")!;
    assert.ok(upgrade.includes(flag!), `${version}: ${flag}`);
  }
});
