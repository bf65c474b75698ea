/**
 * Bosun rigs local Kubernetes platforms from code: clusters (Kind, K3d, Talos,
 * EKS Anywhere), their components, a local OCI registry and mirrors, GitOps with
 * Flux or Argo CD, and SOPS secrets — as typed, composable functions. The
 * `Cluster` handle `createCluster` returns (its kubeconfig path and context
 * resolved once) is accepted by every other function.
 *
 * @example A cluster with Cilium, Flux following the local registry, a secret (needs Docker)
 * ```ts ignore
 * import assert from "node:assert/strict";
 * import { bootstrapFlux, createCluster, deleteCluster, encryptSecret, installCilium } from "@bosun/sdk";
 *
 * const cluster = await createCluster({
 *   name: "dev",
 *   distribution: "Kind",
 *   cni: "Cilium", // the cluster comes up without its default CNI; installCilium provides it
 *   nodes: { workers: 1 },
 * });
 * assert.equal(cluster.context, "kind-dev");
 * assert.ok(cluster.kubeconfig.startsWith("/"), "an absolute path, resolved once");
 * const cilium = await installCilium(cluster);
 * assert.ok(cilium.status === "installed" || cilium.status === "unchanged");
 * const flux = await bootstrapFlux(cluster, { source: { localRegistry: true, path: "k8s" } });
 * assert.equal(flux.url, "oci://dev-registry:5000/k8s");
 * const encrypted = await encryptSecret("k8s/secrets/db.yaml", { age: ["age1..."] });
 * assert.match(encrypted.content, /ENC\[AES256_GCM,/);
 * assert.equal((await deleteCluster(cluster)).deleted, true);
 * ```
 *
 * @example Load the nearest bosun.yaml
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadConfig } from "@bosun/sdk";
 *
 * const { config, path } = await loadConfig();
 * assert.equal(config.kind, "Cluster");
 * console.log(`${config.metadata.name} on ${config.spec.distribution} (${path ?? "defaults"})`);
 * ```
 *
 * @module
 */

export * from "./lib/config/mod.ts";
export * from "./lib/exec/mod.ts";
export * from "./lib/fs/mod.ts";
export * from "./lib/helm/mod.ts";
export * from "./lib/components/mod.ts";
export * from "./lib/kube/mod.ts";
export * from "./lib/ui/mod.ts";
export * from "./lib/workload/mod.ts";
export * from "./lib/scaffold/mod.ts";
export * from "./lib/workflows/mod.ts";
export * from "./lib/registry/oci/mod.ts";
export * from "./lib/gitops/mod.ts";
export * from "./lib/cluster/mod.ts";
export * from "./lib/registry/mod.ts";
export * from "./lib/sops/mod.ts";
export * from "./lib/tools/mod.ts";
