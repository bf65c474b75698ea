// Real clusters in Docker (opt-in): Kind and K3d with the local registry.
// An image is pushed to localhost:<port> from the host and pulled by a Job in
// the cluster under the same name and under <cluster>-registry:5000. Skipped,
// with a message saying why, when Docker (or the distribution's CLI) is absent.

import assert from "node:assert/strict";
import { createCluster, deleteCluster } from "../../lib/cluster/mod.ts";
import type { Distribution } from "../../lib/config/mod.ts";
import { defaultRunner, which } from "../../lib/exec/mod.ts";
import { applyManifests, connectKube, waitForReady } from "../../lib/kube/mod.ts";
import { createTerminalReporter } from "../../lib/ui/mod.ts";

async function dockerRunning(): Promise<boolean> {
  try {
    return (await defaultRunner.run("docker", ["info", "--format", "{{.ServerVersion}}"], {
      throwOnError: false,
      timeoutMs: 15_000,
    })).success;
  } catch {
    return false;
  }
}

const docker = await dockerRunning();
const tools: Record<string, boolean> = {
  kind: (await which("kind")) !== undefined,
  k3d: (await which("k3d")) !== undefined,
};
if (!docker) {
  console.log(
    "cluster e2e SKIPPED: no running Docker daemon (`docker info` failed); the contract suite in tests/cluster covers the logic with stub tools.",
  );
}

const IMAGE = "busybox:1.36";

for (const [distribution, tool, port] of [["Kind", "kind", 5061], ["K3d", "k3d", 5062]] as const) {
  if (docker && !tools[tool]) {
    console.log(`cluster e2e ${distribution} SKIPPED: ${tool} is not on PATH`);
  }
  Deno.test({
    name:
      `e2e ${distribution}: create with local registry, push from the host, pull from a pod, delete`,
    ignore: !docker || !tools[tool],
    sanitizeOps: false,
    sanitizeResources: false,
    fn: async () => {
      const dir = await Deno.makeTempDir({ prefix: "bosun-e2e-" });
      const name = `bosun-e2e-${tool}`;
      const config = {
        metadata: { name },
        spec: {
          distribution: distribution as Distribution,
          kubeconfig: `${dir}/kubeconfig`,
          registry: { local: { enabled: true, hostPort: port }, mirrors: {} },
        },
      };
      const reporter = createTerminalReporter({ quiet: false, verbose: false });
      try {
        const cluster = await createCluster(config, { reporter, stateDir: `${dir}/state` });
        assert.equal(cluster.created, true);
        const again = await createCluster(config, { stateDir: `${dir}/state` });
        assert.equal(again.created, false);

        const pushed = `localhost:${port}/e2e/busybox:1.36`;
        await defaultRunner.run("docker", ["pull", IMAGE]);
        await defaultRunner.run("docker", ["tag", IMAGE, pushed]);
        await defaultRunner.run("docker", ["push", pushed]);

        const kube = await connectKube({
          kubeconfig: cluster.kubeconfig,
          context: cluster.context,
        });
        try {
          const cm = await kube.get({
            apiVersion: "v1",
            kind: "ConfigMap",
            name: "local-registry-hosting",
            namespace: "kube-public",
          });
          assert.ok(cm, "KEP-1755 ConfigMap published");
          const jobs = [pushed, `${name}-registry:5000/e2e/busybox:1.36`].map((image, i) => ({
            apiVersion: "batch/v1",
            kind: "Job",
            metadata: { name: `pull-${i}`, namespace: "default" },
            spec: {
              backoffLimit: 0,
              template: {
                spec: {
                  restartPolicy: "Never",
                  containers: [{ name: "c", image, command: ["true"] }],
                },
              },
            },
          }));
          await applyManifests(kube, jobs);
          await waitForReady(kube, jobs, { timeoutMs: 180_000 });
        } finally {
          kube.close();
        }
      } finally {
        const result = await deleteCluster(config, {
          stateDir: `${dir}/state`,
          deleteVolumes: true,
        });
        const left = await defaultRunner.run("docker", [
          "ps",
          "--all",
          "--quiet",
          "--filter",
          `label=dev.bosun.cluster=${name}`,
        ]);
        await Deno.remove(dir, { recursive: true }).catch(() => {});
        assert.equal(result.deleted, true);
        assert.equal(left.stdout.trim(), "", "no labelled container left");
      }
    },
  });
}
