import assert from "node:assert/strict";
import { resolveArtifact } from "../../lib/registry/oci/pull.ts";
import { scaffoldProject } from "../../lib/scaffold/mod.ts";
import { pushWorkflow } from "../../lib/workflows/mod.ts";
import { defaultRunner } from "../../lib/exec/mod.ts";
import { useRegistry } from "../harness/mod.ts";
import { requirePeers } from "../harness/peers.ts";

const peers = await requirePeers("docker-registry", "helm");

Deno.test({
  name: "push sends a scaffolded k8s/ and its chart to a real registry; a second push is unchanged",
  ignore: !peers,
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const registry = await useRegistry();
    const dir = await Deno.makeTempDir({ prefix: "bosun-push-" });
    const oldPath = Deno.env.get("PATH") ?? "";
    Deno.env.set("PATH", `${peers!.helm.slice(0, peers!.helm.lastIndexOf("/"))}:${oldPath}`);
    try {
      const port = Number(registry.host.split(":")[1]);
      await scaffoldProject(`${dir}/repo`, {
        gitops: "Flux",
        ageKeyFile: `${dir}/keys.txt`,
        config: { spec: { registry: { local: { enabled: true, hostPort: port } } } },
      });
      const config = `${dir}/repo/bosun.yaml`;
      const first = await pushWorkflow({ config });
      assert.equal(first.reference, `localhost:${port}/k8s:latest`);
      assert.match(first.digest, /^sha256:[0-9a-f]{64}$/);
      assert.equal(await resolveArtifact(`localhost:${port}/k8s:latest`), first.digest);
      assert.deepEqual(first.charts, [`oci://localhost:${port}/charts/hello`]);
      const pulled = await defaultRunner.run(peers!.helm, [
        "show",
        "chart",
        `oci://localhost:${port}/charts/hello`,
        "--version",
        "0.1.0",
        "--plain-http",
      ]);
      assert.match(pulled.stdout, /name: hello/);

      const second = await pushWorkflow({ config, charts: false });
      assert.equal(second.digest, first.digest);
      assert.equal(second.unchanged, true);
    } finally {
      Deno.env.set("PATH", oldPath);
      await Deno.remove(dir, { recursive: true });
      await registry.stop();
    }
  },
});
