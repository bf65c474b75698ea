// End to end with Docker: a Kind cluster, the local registry `<cluster>-registry` on the kind
// network, Flux bootstrapped from it, a push, a reconcile, and the workload running.
// Ignored (with a message) where Docker or kind is missing.

import assert from "node:assert/strict";
import { applyDefaults } from "../../lib/config/mod.ts";
import { defaultRunner, which } from "../../lib/exec/mod.ts";
import { bootstrapFlux, pushSource, reconcile } from "../../lib/gitops/mod.ts";
import { connectKube, waitForReady } from "../../lib/kube/mod.ts";

const docker = await which("docker");
const kind = await which("kind");
const dockerUp = docker
  ? (await defaultRunner.run(docker, ["info"], { throwOnError: false })).success
  : false;
const ready = dockerUp && kind !== undefined && Deno.env.get("BOSUN_E2E") !== "0";
if (!ready) {
  console.warn(
    "[e2e] skipping gitops e2e: needs a running Docker engine and kind on PATH (deno task e2e)",
  );
}

Deno.test({
  name: "e2e: Kind + local registry + Flux: push, reconcile, workload running",
  ignore: !ready,
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const name = `bosun-e2e-${crypto.randomUUID().slice(0, 6)}`;
    const registry = `${name}-registry`;
    const port = 5000 + Math.floor(Math.random() * 900) + 100;
    const kubeconfig = await Deno.makeTempFile({ prefix: "bosun-e2e-kubeconfig-" });
    const src = await Deno.makeTempDir({ prefix: "bosun-e2e-src-" });
    const run = (cmd: string, args: string[]) =>
      defaultRunner.run(cmd, args, { timeoutMs: 600_000 });
    try {
      await run(kind!, [
        "create",
        "cluster",
        "--name",
        name,
        "--kubeconfig",
        kubeconfig,
        "--wait",
        "120s",
      ]);
      await run(docker!, [
        "run",
        "-d",
        "--name",
        registry,
        "--label",
        `dev.bosun.cluster=${name}`,
        "-p",
        `127.0.0.1:${port}:5000`,
        "--network",
        "kind",
        "registry:2",
      ]);
      const config = applyDefaults({
        metadata: { name },
        spec: {
          distribution: "Kind",
          kubeconfig,
          registry: { local: { enabled: true, hostPort: port } },
          gitops: { engine: "Flux", sourceDirectory: "k8s", ref: "latest" },
        },
      });
      await Deno.mkdir(`${src}/k8s`);
      await Deno.writeTextFile(
        `${src}/k8s/cm.yaml`,
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: hello\n  namespace: default\ndata:\n  v: one\n",
      );
      const first = await pushSource(config, { baseDir: src });
      await bootstrapFlux(config, { timeoutMs: 600_000 });
      const r1 = await reconcile(config, { digest: first.digest, timeoutMs: 300_000 });
      assert.equal(r1.revision, first.revision);
      // A second revision must be applied too, not just "Ready" for the first.
      await Deno.writeTextFile(
        `${src}/k8s/cm.yaml`,
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: hello\n  namespace: default\ndata:\n  v: two\n",
      );
      const second = await pushSource(config, { baseDir: src });
      assert.notEqual(second.digest, first.digest);
      await reconcile(config, { timeoutMs: 300_000 });
      const kube = await connectKube({ kubeconfig, context: `kind-${name}` });
      const ref = { apiVersion: "v1", kind: "ConfigMap", name: "hello", namespace: "default" };
      await waitForReady(kube, [ref], { timeoutMs: 30_000 });
      assert.equal(((await kube.get(ref))?.data as Record<string, string>).v, "two");
      kube.close();
    } finally {
      await defaultRunner.run(kind!, ["delete", "cluster", "--name", name], {
        throwOnError: false,
      });
      await defaultRunner.run(docker!, ["rm", "-f", registry], { throwOnError: false });
      await Deno.remove(kubeconfig).catch(() => {});
      await Deno.remove(src, { recursive: true }).catch(() => {});
    }
  },
});
