/**
 * Bring a platform up from code (needs Docker and kind), push the manifests
 * and wait for Flux: `deno run -A examples/platform_up.ts`.
 */

import { defineConfig, formatUpSummary, statusWorkflow, upWorkflow } from "@bosun/sdk";

const config = defineConfig({
  metadata: { name: "demo" },
  spec: {
    distribution: "Kind",
    nodes: { workers: 1 },
    cni: "Cilium",
    metricsServer: "Enabled",
    gitops: { engine: "Flux", sourceDirectory: "k8s" },
  },
});

const summary = await upWorkflow({ config });
console.log(formatUpSummary(summary));

const status = await statusWorkflow({ config });
console.log(`GitOps ready: ${status.gitops?.ready}, revision ${status.gitops?.revision}`);
