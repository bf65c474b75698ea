import assert from "node:assert/strict";
import { defaultRunner } from "../../lib/exec/mod.ts";
import { VERSION } from "../../cli.ts";

const root = new URL("../../", import.meta.url).pathname;
const deno = Deno.execPath();

function bosun(args: string[], cwd = root) {
  return defaultRunner.run(deno, ["run", "-A", `${root}cli.ts`, ...args], {
    throwOnError: false,
    cwd,
    env: { NO_COLOR: "1" },
  });
}

Deno.test("config validate of a typo exits 2 naming the field, the value and the fix", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(
      `${dir}/bad.yaml`,
      "apiVersion: bosun.dev/v1alpha1\nkind: Cluster\nspec:\n  distribution: Kinde\n",
    );
    const out = await bosun(["config", "validate", `${dir}/bad.yaml`]);
    assert.equal(out.code, 2);
    assert.match(out.stderr, /spec\.distribution/);
    assert.match(out.stderr, /"Kinde"/);
    assert.match(out.stderr, /did you mean "Kind"\?/);
    assert.match(out.stderr, /bad\.yaml:4:17/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("config validate of a good file succeeds, with JSON output under --json", async () => {
  const out = await bosun([
    "--json",
    "config",
    "validate",
    `${root}examples/configs/kind-cilium-flux.yaml`,
  ]);
  assert.equal(out.code, 0, out.stderr);
  const result = JSON.parse(out.stdout);
  assert.equal(result.valid, true);
  assert.equal(result.config.spec.cni, "Cilium");
});

Deno.test("config schema prints the JSON schema", async () => {
  const out = await bosun(["config", "schema"]);
  assert.equal(out.code, 0);
  const schema = JSON.parse(out.stdout);
  assert.deepEqual(schema.properties.spec.properties.distribution.enum, [
    "Kind",
    "K3d",
    "Talos",
    "EKSAnywhere",
  ]);
});

Deno.test("unknown commands and flags exit 2 with a clear message", async () => {
  const cmd = await bosun(["clustr"]);
  assert.equal(cmd.code, 2);
  assert.match(cmd.stderr, /unknown command 'clustr'/);
  const flag = await bosun(["--frobnicate"]);
  assert.equal(flag.code, 2);
  assert.match(flag.stderr, /unknown option '--frobnicate'/);
});

Deno.test("--version prints the package version and --help exits 0", async () => {
  const version = await bosun(["--version"]);
  assert.equal(version.code, 0);
  assert.equal(version.stdout.trim(), VERSION);
  const help = await bosun(["--help"]);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /Usage: bosun/);
});
