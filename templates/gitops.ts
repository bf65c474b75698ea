/**
 * GitOps templates: the FluxInstance, Flux Kustomizations and a HelmRelease
 * for the chart, and Argo CD Applications. Every source is the OCI artifact
 * that `bosun push` writes to the local registry (DESIGN.md naming contract).
 *
 * @module
 */

import {
  applicationManifest,
  fluxKustomizationManifest,
  helmReleaseManifest,
  type Manifest,
  ociRepositoryManifest,
} from "../lib/workload/mod.ts";
import { argoApplicationManifest, fluxInstanceManifest } from "../lib/gitops/manifests.ts";
import { sourceRepository } from "../lib/gitops/source.ts";

/** Where the cluster pulls the repository from. */
export interface GitOpsSourceOptions {
  /** Cluster name (the registry is `<cluster>-registry:5000`). */
  readonly cluster: string;
  /** Directory pushed as the artifact, which is also its repository name. @default "k8s" */
  readonly sourceDirectory?: string;
  /** Tag followed. @default "latest" */
  readonly ref?: string;
}

/**
 * The in-cluster OCI URL of the pushed source directory.
 *
 * @param options Cluster, source directory and (unused) ref.
 * @returns `oci://<cluster>-registry:5000/<sourceDirectory>`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { sourceUrl } from "./gitops.ts";
 * assert.equal(sourceUrl({ cluster: "dev" }), "oci://dev-registry:5000/k8s");
 * ```
 */
export function sourceUrl(options: GitOpsSourceOptions): string {
  return `oci://${options.cluster}-registry:5000/${
    sourceRepository(options.sourceDirectory ?? "k8s")
  }`;
}

/**
 * The FluxInstance that installs Flux and syncs the artifact's root (whose
 * kustomization.yaml points at `clusters/local`), with SOPS decryption: the
 * same object `bootstrapFlux` applies, so Flux can manage itself from the
 * repository without fighting the bootstrap.
 *
 * @param options The source.
 * @returns The FluxInstance.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fluxInstanceTemplate } from "./gitops.ts";
 * assert.equal(fluxInstanceTemplate({ cluster: "dev" }).metadata.name, "flux");
 * ```
 */
export function fluxInstanceTemplate(options: GitOpsSourceOptions): Manifest {
  return fluxInstanceManifest({
    source: {
      kind: "OCIRepository",
      url: sourceUrl(options),
      ref: options.ref ?? "latest",
      path: "./",
      insecure: true,
    },
    sops: true,
  }) as Manifest;
}

/**
 * Flux Kustomizations for the infrastructure and apps layers; apps wait for
 * infrastructure and decrypt SOPS secrets with the `sops-age` Secret.
 *
 * @returns The two Kustomizations.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fluxLayersTemplate } from "./gitops.ts";
 * assert.equal(fluxLayersTemplate().length, 2);
 * ```
 */
export function fluxLayersTemplate(): Manifest[] {
  const sourceRef = { kind: "OCIRepository", name: "flux-system" } as const;
  return [
    fluxKustomizationManifest("infrastructure", {
      sourceRef,
      path: "./infrastructure",
      decryptionSecret: "sops-age",
    }),
    fluxKustomizationManifest("apps", {
      sourceRef,
      path: "./apps/overlays/local",
      dependsOn: ["infrastructure"],
      decryptionSecret: "sops-age",
    }),
  ];
}

/**
 * An OCIRepository for the chart `bosun push` publishes to
 * `<cluster>-registry:5000/charts/<chart>`, and a HelmRelease installing it.
 *
 * @param chart The chart name.
 * @param options The source (cluster name).
 * @returns The OCIRepository and the HelmRelease (namespace left to the overlay).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { chartReleaseTemplate } from "./gitops.ts";
 * const [repo, release] = chartReleaseTemplate("hello", { cluster: "dev" });
 * assert.equal(repo!.kind, "OCIRepository");
 * assert.equal(release!.kind, "HelmRelease");
 * ```
 */
export function chartReleaseTemplate(chart: string, options: GitOpsSourceOptions): Manifest[] {
  const repo = ociRepositoryManifest(`${chart}-chart`, {
    url: `oci://${options.cluster}-registry:5000/charts/${chart}`,
    tag: "0.1.0",
    insecure: true,
    interval: "5m",
  });
  delete repo.metadata.namespace;
  (repo.spec as Record<string, unknown>).layerSelector = {
    mediaType: "application/vnd.cncf.helm.chart.content.v1.tar+gzip",
    operation: "copy",
  };
  const release = helmReleaseManifest(`${chart}-chart`, {
    sourceRef: { kind: "OCIRepository", name: `${chart}-chart` },
    values: { replicaCount: 1 },
  });
  delete release.metadata.namespace;
  return [repo, release];
}

/**
 * The root Argo CD Application `argocd/bosun`, syncing the artifact's root
 * (whose kustomization.yaml points at `clusters/local`): the same object
 * `bootstrapArgoCD` applies.
 *
 * @param options The source.
 * @returns The Application.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { argoRootApplicationTemplate } from "./gitops.ts";
 * assert.equal(argoRootApplicationTemplate({ cluster: "dev" }).metadata.name, "bosun");
 * ```
 */
export function argoRootApplicationTemplate(options: GitOpsSourceOptions): Manifest {
  return argoApplicationManifest({
    url: sourceUrl(options),
    targetRevision: options.ref ?? "latest",
    path: ".",
    insecure: true,
  }) as Manifest;
}

/**
 * An Argo CD Application rendering the chart from the pushed artifact.
 *
 * @param chart The chart name (its directory is `charts/<chart>`).
 * @param options The source; `namespace` is where the chart installs.
 * @returns The Application.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { argoChartApplicationTemplate } from "./gitops.ts";
 * const app = argoChartApplicationTemplate("hello", { cluster: "dev", namespace: "apps" });
 * assert.equal(app.kind, "Application");
 * ```
 */
export function argoChartApplicationTemplate(
  chart: string,
  options: GitOpsSourceOptions & { readonly namespace: string },
): Manifest {
  return applicationManifest(`${chart}-chart`, {
    repoURL: sourceUrl(options),
    path: `charts/${chart}`,
    targetRevision: options.ref ?? "latest",
    destinationNamespace: options.namespace,
  });
}
