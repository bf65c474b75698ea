/**
 * GitOps: bootstrap Flux (flux-operator + FluxInstance) or Argo CD from the cluster's local
 * registry, push the source directory as an OCI artifact, and reconcile with a wait that
 * only ends when the pushed revision is applied.
 *
 * @example Generate the FluxInstance for a cluster
 * ```ts
 * import assert from "node:assert/strict";
 * import { applyDefaults, fluxInstanceManifest, gitOpsSource } from "@bosun/sdk";
 * const src = gitOpsSource(applyDefaults({ metadata: { name: "dev" } }));
 * const fi = fluxInstanceManifest({ source: { kind: "OCIRepository", url: src.url, ref: src.tag, insecure: true } });
 * assert.equal(fi.metadata.name, "flux");
 * ```
 *
 * @module
 */

export * from "./errors.ts";
export * from "./source.ts";
export * from "./manifests.ts";
export * from "./charts.ts";
export * from "./flux.ts";
export * from "./argocd.ts";
export * from "./reconcile.ts";
export * from "./push.ts";
export * from "./components.ts";
export type { SopsKeyOptions } from "./_sops.ts";
export * from "./plan.ts";
