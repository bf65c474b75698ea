/**
 * Generator for Argo CD Applications.
 *
 * @module
 */

import { type CommonOptions, type Manifest, metadataFor } from "./types.ts";

/** The namespace Argo CD runs in. */
const ARGOCD_NAMESPACE = "argocd";

/** Options for {@linkcode applicationManifest}. */
export interface ApplicationOptions extends CommonOptions {
  /** Source repository: a Git URL, a Helm repository, or an OCI registry (`oci://…`). */
  readonly repoURL: string;
  /** Directory in the repository (Git/OCI sources). */
  readonly path?: string;
  /** Chart name (Helm repository sources). */
  readonly chart?: string;
  /** Revision: branch, tag, chart version. @default "HEAD" */
  readonly targetRevision?: string;
  /** Namespace the objects are applied to. @default "default" */
  readonly destinationNamespace?: string;
  /** API server. @default "https://kubernetes.default.svc" */
  readonly destinationServer?: string;
  /** Argo CD project. @default "default" */
  readonly project?: string;
  /** Sync automatically, pruning and self-healing. @default true */
  readonly automated?: boolean;
  /** Create the destination namespace when syncing. @default true */
  readonly createNamespace?: boolean;
}

/**
 * Builds an `argoproj.io/v1alpha1` Application.
 *
 * @param name The Application name.
 * @param options Source, destination and sync policy.
 * @returns The Application (in the `argocd` namespace unless told otherwise).
 * @throws {TypeError} When the name is invalid, or neither `path` nor `chart` is given.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { applicationManifest } from "@bosun/sdk";
 * const app = applicationManifest("bosun", {
 *   repoURL: "oci://bosun-registry:5000/k8s",
 *   path: ".",
 *   targetRevision: "latest",
 * });
 * assert.equal(app.metadata.namespace, "argocd");
 * ```
 */
export function applicationManifest(name: string, options: ApplicationOptions): Manifest {
  if (options.path === undefined && options.chart === undefined) {
    throw new TypeError(`Cannot build Application "${name}": give a path or a chart`);
  }
  const automated = options.automated ?? true;
  return {
    apiVersion: "argoproj.io/v1alpha1",
    kind: "Application",
    metadata: metadataFor(name, {
      ...options,
      namespace: options.namespace ?? ARGOCD_NAMESPACE,
    }),
    spec: {
      project: options.project ?? "default",
      source: {
        repoURL: options.repoURL,
        targetRevision: options.targetRevision ?? "HEAD",
        ...(options.path === undefined ? {} : { path: options.path }),
        ...(options.chart === undefined ? {} : { chart: options.chart }),
      },
      destination: {
        server: options.destinationServer ?? "https://kubernetes.default.svc",
        namespace: options.destinationNamespace ?? "default",
      },
      syncPolicy: {
        ...(automated ? { automated: { prune: true, selfHeal: true } } : {}),
        ...(options.createNamespace ?? true ? { syncOptions: ["CreateNamespace=true"] } : {}),
      },
    },
  };
}
