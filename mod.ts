/**
 * Bosun rigs local Kubernetes platforms from code: clusters (Kind, K3d, Talos,
 * EKS Anywhere), their components, a local OCI registry and mirrors, GitOps with
 * Flux or Argo CD, and SOPS secrets — as typed, composable functions.
 *
 * @example Load the nearest bosun.yaml
 * ```ts
 * import { loadConfig } from "@bosun/sdk";
 *
 * const { config, path } = await loadConfig();
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
