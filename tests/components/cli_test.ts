/** `bosun components plan|install` through the real CLI entry point. */
import assert from "node:assert/strict";
import { stringify } from "yaml";
import { main } from "../../cli.ts";
import { useFullTestEnv } from "../helm/_live.ts";

const env = await useFullTestEnv();

async function withConfig(spec: Record<string, unknown>): Promise<string> {
  const dir = await Deno.makeTempDir();
  const file = `${dir}/bosun.yaml`;
  await Deno.writeTextFile(
    file,
    stringify({
      apiVersion: "bosun.dev/v1alpha1",
      kind: "Cluster",
      metadata: { name: "cli" },
      spec,
    }),
  );
  return file;
}

async function capture(args: string[]): Promise<{ code: number; out: string }> {
  const lines: string[] = [];
  const log = console.log;
  console.log = (...a: unknown[]) => void lines.push(a.map(String).join(" "));
  try {
    const code = await main(args);
    return { code, out: lines.join("\n") };
  } finally {
    console.log = log;
  }
}

Deno.test("bosun components plan --json prints the graph with pinned versions", async () => {
  const file = await withConfig({
    cni: "Calico",
    csi: "LocalPathStorage",
    metricsServer: "Enabled",
    certManager: "Enabled",
    policyEngine: "Gatekeeper",
  });
  const { code, out } = await capture(["--config", file, "--json", "components", "plan"]);
  assert.equal(code, 0);
  const graph = JSON.parse(out) as {
    waves: string[][];
    nodes: { name: string; version: string }[];
  };
  assert.deepEqual(graph.waves[0], ["calico"]);
  assert.ok(
    graph.waves.findIndex((w) => w.includes("cert-manager")) <
      graph.waves.findIndex((w) => w.includes("gatekeeper")),
  );
  assert.ok(graph.nodes.every((n) => /\d+\.\d+\.\d+/.test(n.version)));
});

Deno.test({
  name: "bosun components install installs local-path storage into the test cluster, twice",
  ignore: !env,
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const file = await withConfig({
      csi: "LocalPathStorage",
      kubeconfig: env!.kubeconfig,
      context: "bosun-test",
    });
    const first = await capture(["--config", file, "--quiet", "components", "install"]);
    assert.equal(first.code, 0, first.out);
    assert.match(first.out, /local-path-storage v0\.0\.32 (installed|unchanged)/);
    const second = await capture(["--config", file, "--quiet", "components", "install"]);
    assert.match(second.out, /local-path-storage v0\.0\.32 unchanged/);
    const unknown = await capture(["--config", file, "--quiet", "components", "install", "nope"]);
    assert.equal(unknown.code, 1);
  },
});
