// Components on a real Kind cluster (1 control plane, no worker): three components from the local
// fixture chart tests/fixtures/charts/e2e-tier (a Deployment of bosun.test/busybox:1, built here),
// installed through Bosun's DAG (db → api → web), whose pods really run, in dependency order:
// each pod is created only after the pod of what it depends on is Ready. A fourth component whose
// container exits at once fails Bosun's readiness wait with the pod's name and CrashLoopBackOff.
// These are fixture charts, not upstream programs: no upstream chart can be fetched here.

import assert from "node:assert/strict";
import { applyDefaults } from "../../lib/config/mod.ts";
import {
  ComponentInstallError,
  defineHelmComponent,
  installComponents,
  ReleasePodsNotReadyError,
} from "../../lib/components/mod.ts";
import { createCluster, deleteCluster } from "../../lib/cluster/mod.ts";
import { clusterName, E2E_IMAGE, e2eTest, kindNative, REPO_ROOT, sh } from "./_e2e.ts";

const CHART = `${REPO_ROOT}/tests/fixtures/charts/e2e-tier`;

function tier(name: string, dependsOn: string[], values: Record<string, unknown> = {}) {
  return defineHelmComponent({
    name,
    dependsOn,
    chart: { path: CHART },
    version: "0.1.0",
    namespace: "tiers",
    enabled: () => true,
    values: () => ({ image: E2E_IMAGE, ...values }),
  });
}

interface Pod {
  metadata: { name: string; creationTimestamp: string; labels: Record<string, string> };
  status: { conditions?: { type: string; status: string; lastTransitionTime: string }[] };
}

e2eTest(
  "three fixture-chart components run real pods in dependency order; a crashing one is named",
  async () => {
    const name = clusterName("components");
    const dir = await Deno.makeTempDir({ prefix: "bosun-e2e-components-" });
    const kubeconfig = `${dir}/kubeconfig`;
    await Deno.writeTextFile(`${dir}/kind.yaml`, kindNative());
    const config = applyDefaults({
      metadata: { name },
      spec: {
        distribution: "Kind",
        distributionConfig: `${dir}/kind.yaml`,
        kubernetesVersion: "v1.36.3",
        nodes: { controlPlanes: 1, workers: 0 },
        kubeconfig,
        registry: { local: { enabled: false } },
        gitops: { engine: "None" },
      },
    });
    try {
      const cluster = await createCluster(config);
      await sh("kind", ["load", "docker-image", E2E_IMAGE, "--name", name]);
      const components = [tier("db", []), tier("api", ["db"]), tier("web", ["api"])];
      const result = await installComponents(cluster, { components, timeoutMs: 300_000 });
      assert.deepEqual(
        result.components.map((c) => [c.name, c.status]),
        [["db", "installed"], ["api", "installed"], ["web", "installed"]],
      );

      const kubectl = (...args: string[]) =>
        sh("kubectl", ["--kubeconfig", kubeconfig, "--context", cluster.context, ...args]);
      const pods = JSON.parse((await kubectl("get", "pods", "-n", "tiers", "-o", "json")).stdout)
        .items as Pod[];
      const of = (release: string) => {
        const p = pods.find((x) => x.metadata.labels["app.kubernetes.io/instance"] === release);
        assert.ok(p, `a pod of ${release}`);
        const ready = p.status.conditions?.find((c) => c.type === "Ready");
        assert.equal(ready?.status, "True", `${p.metadata.name} is Ready`);
        return {
          created: Date.parse(p.metadata.creationTimestamp),
          ready: Date.parse(ready.lastTransitionTime),
        };
      };
      const [db, api, web] = [of("db"), of("api"), of("web")];
      assert.ok(api.created >= db.ready, "api's pod was created after db's pod was Ready");
      assert.ok(web.created >= api.ready, "web's pod was created after api's pod was Ready");
      // the container really runs the image's program
      const started = await kubectl(
        "exec",
        "-n",
        "tiers",
        "deploy/web",
        "--",
        "cat",
        "/tmp/started",
      );
      assert.match(started.stdout.trim(), /^\d+$/);

      // A release whose pod can never start: Bosun's wait fails naming the pod and its reason.
      const crash = tier("crash", [], { command: "echo bye; exit 3" });
      const err = await installComponents(cluster, { components: [crash], timeoutMs: 45_000 })
        .then(() => assert.fail("the crashing component installed"), (e: unknown) => e);
      assert.ok(err instanceof ComponentInstallError, String(err));
      const cause = err.cause;
      assert.ok(cause instanceof ReleasePodsNotReadyError, String(cause));
      assert.match(
        cause.pods.join("\n"),
        /^tiers\/crash-[a-z0-9]+-[a-z0-9]+: container app (CrashLoopBackOff|Error)/m,
      );
      assert.match(err.message, /Cannot install component "crash".*\n?.*tiers\/crash-/);
    } finally {
      await deleteCluster(config).catch((e) => console.warn(`[e2e] cleanup: ${e}`));
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    }
  },
);
