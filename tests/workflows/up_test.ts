import assert from "node:assert/strict";
import {
  downWorkflow,
  formatUpSummary,
  statusWorkflow,
  upWorkflow,
} from "../../lib/workflows/mod.ts";
import { requirePeers } from "../harness/peers.ts";
import { useTestEnv } from "../harness/mod.ts";
import { fakeTools, fakeWorld, kubeconfigAs, stubPath } from "./_fake_tools.ts";

const peers = await requirePeers("kube-apiserver", "etcd");

function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

Deno.test({
  name: "up runs registry → cluster → components → summary, with recorded docker/kind/helm",
  ignore: !peers,
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const env = await useTestEnv({ mode: "api" });
    const stubs = await stubPath(["kind", "docker", "helm"]);
    const dir = await Deno.makeTempDir({ prefix: "bosun-up-" });
    try {
      const world = fakeWorld();
      const runner = fakeTools(world, () => kubeconfigAs(env.kubeconfig, "kind-dev"));
      const config = {
        metadata: { name: "dev" },
        spec: {
          distribution: "Kind" as const,
          kubeconfig: `${dir}/kubeconfig`,
          metricsServer: "Enabled" as const,
          certManager: "Enabled" as const,
          registry: {
            local: { enabled: true, hostPort: freePort() },
            mirrors: { "docker.io": "https://registry-1.docker.io" },
          },
        },
      };
      const summary = await upWorkflow({ config, runner, stateDir: `${dir}/state`, baseDir: dir });
      const lines = runner.lines.map((l) => l.replace(/^\S*\//, ""));
      const index = (re: RegExp) => lines.findIndex((l) => re.test(l));
      const registry = index(/^docker run .*--name dev-registry/);
      const mirror = index(/^docker run .*--name dev-mirror-docker\.io/);
      const create = index(/^kind create cluster .*--name dev/);
      const metrics = index(/^helm upgrade --install metrics-server /);
      const cert = index(/^helm upgrade --install cert-manager /);
      assert.ok(registry >= 0 && mirror >= 0 && create >= 0, lines.join("\n"));
      // where the registries start relative to the cluster is the provider's choice (Kind: on
      // the kind network, which kind creates); that they end up on it is checked below
      assert.ok(metrics > create && cert > create, "components after the cluster");
      const running = (name: string) =>
        world.docker.containers.find((c) => c.name === name && c.state === "running");
      for (const name of ["dev-registry", "dev-mirror-docker.io"]) {
        assert.ok(running(name)?.networks.includes("kind"), `${name} runs on the kind network`);
      }
      assert.ok(running("dev-control-plane"), "kind made the node");

      assert.equal(summary.cluster, "dev");
      assert.equal(summary.context, "kind-dev");
      assert.equal(summary.created, true);
      assert.equal(summary.registry?.inCluster, "dev-registry:5000");
      assert.deepEqual(summary.components.map((c) => c.name).sort(), [
        "cert-manager",
        "kubelet-csr-approver",
        "metrics-server",
      ]);
      for (const c of summary.components) {
        assert.equal(c.status, "installed");
        assert.match(c.version, /^v?\d+\.\d+/);
      }
      assert.deepEqual(summary.steps.map((s) => [s.name, s.status]), [
        ["config", "ok"],
        ["registry, mirrors and cluster", "ok"],
        ["components and GitOps engine", "ok"],
        ["first push and reconcile", "skipped"],
      ]);
      const text = formatUpSummary(summary);
      assert.match(text, /Context +kind-dev/);
      assert.match(text, /Registry +localhost:\d+ \(in cluster: dev-registry:5000\)/);
      assert.match(text, /metrics-server +\S+ +installed/);
      assert.match(text, /registry, mirrors and cluster +ok/);

      // A second run creates nothing and installs nothing again.
      const before = runner.calls.length;
      const again = await upWorkflow({ config, runner, stateDir: `${dir}/state`, baseDir: dir });
      const second = runner.lines.slice(before).map((l) => l.replace(/^\S*\//, ""));
      assert.equal(again.created, false);
      assert.deepEqual(second.filter((l) => /^(kind create|docker run|helm upgrade)/.test(l)), []);
      assert.ok(
        again.components.every((c) => c.status === "unchanged"),
        JSON.stringify(again.components),
      );

      // status reads the cluster through kind, the API and helm.
      const where = { config, runner, stateDir: `${dir}/state`, baseDir: dir };
      const status = await statusWorkflow(where);
      assert.equal(status.exists, true);
      assert.equal(status.context, "kind-dev");
      const components = status.components
        .map((c) => [c.name, c.status, c.installed === c.wanted.replace(/^v/, "")])
        .sort((x, y) => String(x[0]).localeCompare(String(y[0])));
      assert.deepEqual(components, [
        ["cert-manager", "deployed", true],
        ["kubelet-csr-approver", "deployed", true],
        ["metrics-server", "deployed", true],
      ]);
      assert.equal(status.gitops, undefined);

      // down deletes the cluster; then status says it is gone.
      const down = await downWorkflow(where);
      assert.equal(down.deleted, true);
      assert.ok(runner.lines.some((l) => /kind delete cluster .*--name dev/.test(l)));
      assert.equal((await statusWorkflow(where)).exists, false);
      assert.deepEqual(world.docker.containers, [], "down removed the node and the registries");
      assert.deepEqual(world.docker.volumes, [], "down leaves no labelled volume either");
      assert.deepEqual(runner.unexpected, []);
    } finally {
      await stubs.restore();
      await Deno.remove(dir, { recursive: true });
      await env.stop();
    }
  },
});
