/**
 * What a GitOps bootstrap would apply, without a cluster: {@linkcode planGitOps}.
 *
 * @module
 */

import type { ResolvedConfig } from "../config/mod.ts";
import type { KubeObject } from "../kube/mod.ts";
import { argoCdManifests } from "./argocd.ts";
import {
  ARGOCD_NAMESPACE,
  FLUX_NAMESPACE,
  fluxInstanceManifest,
  SOPS_AGE_SECRET,
} from "./manifests.ts";
import { argoLocalSource, fluxLocalSource, type GitOpsSource, gitOpsSource } from "./source.ts";

/** What {@linkcode planGitOps} says a bootstrap would apply. */
export interface GitOpsPlan {
  /** The engine. */
  readonly engine: "Flux" | "ArgoCD";
  /** The local-registry source it follows, and where `bosun push` pushes it. */
  readonly source: GitOpsSource;
  /**
   * The objects applied after the engine's chart, in order. The `sops-age` Secret (present
   * when `spec.sops.age` lists recipients) is shown without `data`: its identities are read
   * from this machine at bootstrap time and never printed.
   */
  readonly objects: readonly KubeObject[];
}

/**
 * The objects bootstrapping the config's GitOps engine would apply (the engine's chart is
 * in the component graph: `flux-operator`, `argo-cd`), computed without a cluster or any
 * file access.
 *
 * @param config The resolved config.
 * @returns The plan, or `undefined` when `spec.gitops.engine` is `None`.
 * @throws {GitOpsConfigError} An engine is set but the local registry is disabled.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { applyDefaults, planGitOps } from "@bosun/sdk";
 * const plan = planGitOps(applyDefaults({ metadata: { name: "dev" }, spec: { gitops: { engine: "Flux" } } }));
 * assert.deepEqual(plan?.objects.map((o) => `${o.kind} ${o.metadata.namespace}/${o.metadata.name}`), [
 *   "FluxInstance flux-system/flux",
 * ]);
 * ```
 */
export function planGitOps(config: ResolvedConfig): GitOpsPlan | undefined {
  const engine = config.spec.gitops.engine;
  if (engine === "None") return undefined;
  const sops = config.spec.sops.age.length > 0;
  const secret = (namespace: string): KubeObject => ({
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name: SOPS_AGE_SECRET, namespace },
    type: "Opaque",
  });
  const source = gitOpsSource(config);
  if (engine === "Flux") {
    return {
      engine,
      source,
      objects: [
        ...(sops ? [secret(FLUX_NAMESPACE)] : []),
        fluxInstanceManifest({ source: fluxLocalSource(config), sops }),
      ],
    };
  }
  return {
    engine,
    source,
    objects: [
      ...(sops ? [secret(ARGOCD_NAMESPACE)] : []),
      ...argoCdManifests(argoLocalSource(config)),
    ],
  };
}
