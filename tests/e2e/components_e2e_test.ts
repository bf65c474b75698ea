// End to end with Docker: a Kind cluster (Bosun disables kindnet and turns on kubelet serving
// certificates), then the real charts — Cilium, local-path storage, kubelet-csr-approver +
// metrics-server with verified kubelet TLS, cert-manager, Kyverno — installed as a graph; a second
// install changes nothing. Ignored (with a message) where Docker or kind is missing, and where the
// chart repositories cannot be reached.

import assert from "node:assert/strict";
import { applyDefaults } from "../../lib/config/mod.ts";
import { installComponents, planComponents } from "../../lib/components/mod.ts";
import { createCluster, deleteCluster } from "../../lib/cluster/mod.ts";
import { defaultRunner, which } from "../../lib/exec/mod.ts";
import { connectKube } from "../../lib/kube/mod.ts";

const docker = await which("docker");
const kind = await which("kind");
const helm = await which("helm");
const dockerUp = docker
  ? (await defaultRunner.run(docker, ["info"], { throwOnError: false })).success
  : false;
const ready = dockerUp && kind !== undefined && helm !== undefined &&
  Deno.env.get("BOSUN_E2E") !== "0";
if (!ready) {
  console.warn(
    "[e2e] skipping components e2e: needs a running Docker engine, kind and helm on PATH, and " +
      "access to the chart repositories (deno task e2e)",
  );
}

Deno.test({
  name:
    "e2e: Kind + Cilium, local-path, metrics-server (secure TLS), cert-manager, Kyverno; rerun unchanged",
  ignore: !ready,
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const name = `bosun-e2e-${crypto.randomUUID().slice(0, 6)}`;
    const kubeconfig = await Deno.makeTempFile({ prefix: "bosun-e2e-kubeconfig-" });
    const config = applyDefaults({
      metadata: { name },
      spec: {
        distribution: "Kind",
        kubeconfig,
        cni: "Cilium",
        csi: "LocalPathStorage",
        metricsServer: "Enabled",
        certManager: "Enabled",
        policyEngine: "Kyverno",
        registry: { local: { enabled: false } },
      },
    });
    const plan = planComponents(config);
    assert.deepEqual(plan.waves[0], ["cilium"]);
    try {
      const cluster = await createCluster(config);
      const first = await installComponents(cluster, { timeoutMs: 600_000 });
      assert.ok(first.components.every((c) => c.status === "installed"), JSON.stringify(first));
      const second = await installComponents(cluster, { timeoutMs: 600_000 });
      assert.equal(second.changed, false, JSON.stringify(second.components));

      const kube = await connectKube({ kubeconfig, context: cluster.context });
      try {
        // metrics-server answers through the aggregated API only with verified kubelet TLS.
        const metrics = await kube.request<{ items: unknown[] }>(
          "GET",
          "/apis/metrics.k8s.io/v1beta1/nodes",
        );
        assert.ok(metrics.items.length > 0);
        const sc = await kube.get({
          apiVersion: "storage.k8s.io/v1",
          kind: "StorageClass",
          name: "local-path",
        });
        assert.equal(
          sc?.metadata.annotations?.["storageclass.kubernetes.io/is-default-class"],
          "true",
        );
      } finally {
        kube.close();
      }
    } finally {
      await deleteCluster(config).catch((e) => console.warn(`[e2e] cleanup: ${e}`));
      await Deno.remove(kubeconfig).catch(() => {});
    }
  },
});
