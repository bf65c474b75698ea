// Generated EKS Anywhere specs against the real apiserver: the upstream CRDs
// are installed, then every spec of the matrix passes server-side dry run.

import assert from "node:assert/strict";
import { renderEksaSpec } from "../../lib/cluster/mod.ts";
import { applyDefaults, type BosunConfig, METRICS_SERVER_MODES } from "../../lib/config/mod.ts";
import { applyManifests, connectKube, type Kube, type KubeObject } from "../../lib/kube/mod.ts";
import { planRegistries, registryRoutes } from "../../lib/registry/mod.ts";
import { requirePeers, useTestEnv } from "../harness/mod.ts";

const peers = await requirePeers("etcd", "kube-apiserver");
const env = peers ? await useTestEnv({ mode: "api" }) : undefined;
const CRDS = new URL("../../../shared/vectors/crds/eks-anywhere/", import.meta.url).pathname;
const opts = { sanitizeResources: false, sanitizeOps: false };

async function kube(): Promise<Kube> {
  const k = await connectKube({ kubeconfig: env!.kubeconfig });
  await applyManifests(k, [
    { file: `${CRDS}anywhere.eks.amazonaws.com_clusters.yaml` },
    { file: `${CRDS}anywhere.eks.amazonaws.com_dockerdatacenterconfigs.yaml` },
  ]);
  k.invalidateDiscovery();
  return k;
}

function* matrix(): Generator<BosunConfig> {
  for (const cni of ["Default", "Cilium"] as const) {
    for (const metricsServer of METRICS_SERVER_MODES) {
      for (const enabled of [true, false]) {
        for (
          const mirrors of [{}, {
            "public.ecr.aws": "https://public.ecr.aws",
            "docker.io": "https://registry-1.docker.io",
          }]
        ) {
          for (
            const nodes of [{ controlPlanes: 1, workers: 0 }, { controlPlanes: 3, workers: 2 }]
          ) {
            for (const kubernetesVersion of [undefined, "v1.31.4"]) {
              yield {
                metadata: { name: "dev" },
                spec: {
                  distribution: "EKSAnywhere",
                  cni,
                  metricsServer,
                  nodes,
                  ...(kubernetesVersion ? { kubernetesVersion } : {}),
                  registry: { local: { enabled, hostPort: 5050 }, mirrors },
                },
              };
            }
          }
        }
      }
    }
  }
}

Deno.test({
  name:
    "EKS Anywhere: every generated Cluster + DockerDatacenterConfig passes server-side dry run against the CRDs",
  ignore: !env,
  ...opts,
  fn: async () => {
    const k = await kube();
    try {
      let n = 0;
      for (const config of matrix()) {
        const resolved = applyDefaults(config);
        const registries = planRegistries(resolved);
        const docs = renderEksaSpec({
          config: resolved,
          registries,
          routes: registryRoutes(registries),
          stateDir: "/tmp/x",
        });
        const objects = docs.map((d) => ({
          ...d,
          metadata: { ...(d.metadata as object), namespace: "default" },
        })) as unknown as KubeObject[];
        const results = await applyManifests(k, objects, { dryRun: true });
        assert.equal(results.length, 2);
        n++;
      }
      assert.equal(n, 96);
      // The dry run can fail: a field of the wrong type is rejected by the CRD schema.
      const resolved = applyDefaults({
        metadata: { name: "bad" },
        spec: { distribution: "EKSAnywhere" },
      });
      const [cluster] = renderEksaSpec({
        config: resolved,
        registries: [],
        routes: [],
        stateDir: "/tmp/x",
      });
      (cluster.spec as Record<string, unknown>).controlPlaneConfiguration = { count: "three" };
      await assert.rejects(
        applyManifests(k, [
          { ...cluster, metadata: { name: "bad", namespace: "default" } } as unknown as KubeObject,
        ], { dryRun: true }),
      );
    } finally {
      k.close();
      await env!.stop();
    }
  },
});
