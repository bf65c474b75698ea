/**
 * The kustomize `Kustomization` file (`kustomization.yaml`).
 *
 * @module
 */

import type { Manifest } from "./types.ts";

/** Options for {@linkcode kustomizationManifest}. */
export interface KustomizationOptions {
  /** Files and directories to include. */
  readonly resources?: readonly string[];
  /** Namespace set on every namespaced object. */
  readonly namespace?: string;
  /** Prefix added to every object name. */
  readonly namePrefix?: string;
  /** Labels added to every object (without touching selectors). */
  readonly labels?: Readonly<Record<string, string>>;
  /** Patch files (strategic merge or JSON 6902 with a target). */
  readonly patches?: readonly { readonly path: string; readonly target?: Record<string, string> }[];
  /** Image overrides: name → `newName[:newTag]`. */
  readonly images?: Readonly<Record<string, string>>;
  /** Helm charts inflated by kustomize. */
  readonly components?: readonly string[];
}

/**
 * Builds a `kustomize.config.k8s.io/v1beta1` Kustomization, the content of a
 * `kustomization.yaml`.
 *
 * @param options Resources, namespace, patches, images.
 * @returns The Kustomization (its metadata name is `kustomization`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { kustomizationManifest } from "@bosun/sdk";
 * const k = kustomizationManifest({ resources: ["../../base"], namespace: "apps" });
 * assert.equal(k.kind, "Kustomization");
 * ```
 */
export function kustomizationManifest(options: KustomizationOptions = {}): Manifest {
  const images = Object.entries(options.images ?? {}).map(([name, target]) => {
    const colon = target.lastIndexOf(":");
    const slash = target.lastIndexOf("/");
    return colon > slash
      ? { name, newName: target.slice(0, colon), newTag: target.slice(colon + 1) }
      : { name, newName: target };
  });
  return {
    apiVersion: "kustomize.config.k8s.io/v1beta1",
    kind: "Kustomization",
    metadata: { name: "kustomization" },
    ...(options.namespace ? { namespace: options.namespace } : {}),
    ...(options.namePrefix ? { namePrefix: options.namePrefix } : {}),
    ...(options.labels
      ? { labels: [{ pairs: { ...options.labels }, includeSelectors: false }] }
      : {}),
    resources: [...(options.resources ?? [])],
    ...(options.components?.length ? { components: [...options.components] } : {}),
    ...(options.patches?.length
      ? {
        patches: options.patches.map((p) => ({
          ...p,
          ...(p.target ? { target: { ...p.target } } : {}),
        })),
      }
      : {}),
    ...(images.length ? { images } : {}),
  };
}
