/**
 * Generators for Flux objects: OCIRepository, GitRepository, HelmRepository,
 * Kustomization and HelmRelease (the GA API versions Flux 2.x serves).
 *
 * @module
 */

import { type CommonOptions, type Manifest, metadataFor } from "./types.ts";

/** The namespace Flux objects live in unless told otherwise. */
const FLUX_NAMESPACE = "flux-system";

/** Options shared by Flux sources and reconcilers. */
export interface FluxOptions extends CommonOptions {
  /** How often Flux reconciles the object (Go duration). @default "1m" for sources, "10m" otherwise */
  readonly interval?: string;
}

function fluxMeta(name: string, options: CommonOptions) {
  return metadataFor(name, { ...options, namespace: options.namespace ?? FLUX_NAMESPACE });
}

/** Options for {@linkcode ociRepositoryManifest}. */
export interface OciRepositoryOptions extends FluxOptions {
  /** Artifact URL (`oci://bosun-registry:5000/k8s`). */
  readonly url: string;
  /** Tag to follow. @default "latest" */
  readonly tag?: string;
  /** Plain HTTP registry (the local registry). @default false */
  readonly insecure?: boolean;
}

/**
 * Builds a `source.toolkit.fluxcd.io/v1` OCIRepository.
 *
 * @param name The object name.
 * @param options URL, tag, interval, insecure.
 * @returns The OCIRepository.
 * @throws {TypeError} When the name is invalid or the URL does not start with `oci://`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ociRepositoryManifest } from "@bosun/sdk";
 * const r = ociRepositoryManifest("flux-system", { url: "oci://bosun-registry:5000/k8s", insecure: true });
 * assert.equal(r.metadata.namespace, "flux-system");
 * ```
 */
export function ociRepositoryManifest(name: string, options: OciRepositoryOptions): Manifest {
  if (!options.url.startsWith("oci://")) {
    throw new TypeError(`Invalid OCIRepository URL "${options.url}": it must start with oci://`);
  }
  return {
    apiVersion: "source.toolkit.fluxcd.io/v1",
    kind: "OCIRepository",
    metadata: fluxMeta(name, options),
    spec: {
      interval: options.interval ?? "1m",
      url: options.url,
      ref: { tag: options.tag ?? "latest" },
      ...(options.insecure ? { insecure: true } : {}),
    },
  };
}

/** Options for {@linkcode gitRepositoryManifest}. */
export interface GitRepositoryOptions extends FluxOptions {
  /** Repository URL (https or ssh). */
  readonly url: string;
  /** Branch to follow. @default "main" */
  readonly branch?: string;
  /** Secret with credentials. */
  readonly secretRef?: string;
}

/**
 * Builds a `source.toolkit.fluxcd.io/v1` GitRepository.
 *
 * @param name The object name.
 * @param options URL, branch, interval, credentials.
 * @returns The GitRepository.
 * @throws {TypeError} When the name is invalid.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { gitRepositoryManifest } from "@bosun/sdk";
 * const g = gitRepositoryManifest("platform", { url: "https://example.com/platform.git" });
 * assert.equal(g.kind, "GitRepository");
 * ```
 */
export function gitRepositoryManifest(name: string, options: GitRepositoryOptions): Manifest {
  return {
    apiVersion: "source.toolkit.fluxcd.io/v1",
    kind: "GitRepository",
    metadata: fluxMeta(name, options),
    spec: {
      interval: options.interval ?? "1m",
      url: options.url,
      ref: { branch: options.branch ?? "main" },
      ...(options.secretRef ? { secretRef: { name: options.secretRef } } : {}),
    },
  };
}

/** Options for {@linkcode helmRepositoryManifest}. */
export interface HelmRepositoryOptions extends FluxOptions {
  /** Repository URL (`https://…` or `oci://…`). */
  readonly url: string;
}

/**
 * Builds a `source.toolkit.fluxcd.io/v1` HelmRepository; an `oci://` URL makes
 * it an OCI Helm repository.
 *
 * @param name The object name.
 * @param options URL and interval.
 * @returns The HelmRepository.
 * @throws {TypeError} When the name is invalid.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { helmRepositoryManifest } from "@bosun/sdk";
 * const h = helmRepositoryManifest("podinfo", { url: "oci://ghcr.io/stefanprodan/charts" });
 * assert.equal((h.spec as { type?: string }).type, "oci");
 * ```
 */
export function helmRepositoryManifest(name: string, options: HelmRepositoryOptions): Manifest {
  return {
    apiVersion: "source.toolkit.fluxcd.io/v1",
    kind: "HelmRepository",
    metadata: fluxMeta(name, options),
    spec: {
      interval: options.interval ?? "10m",
      url: options.url,
      ...(options.url.startsWith("oci://") ? { type: "oci" } : {}),
    },
  };
}

/** A Flux source reference. */
export interface SourceRef {
  /** Source kind. */
  readonly kind: "OCIRepository" | "GitRepository" | "Bucket";
  /** Source name. */
  readonly name: string;
  /** Source namespace. @default the object's namespace */
  readonly namespace?: string;
}

/** Options for {@linkcode fluxKustomizationManifest}. */
export interface FluxKustomizationOptions extends FluxOptions {
  /** The source to build. */
  readonly sourceRef: SourceRef;
  /** Path inside the source. @default "./" */
  readonly path?: string;
  /** Delete objects removed from the source. @default true */
  readonly prune?: boolean;
  /** Wait for the applied objects to become ready. @default true */
  readonly wait?: boolean;
  /** Namespace to put namespaced objects in. */
  readonly targetNamespace?: string;
  /** Decrypt SOPS secrets with the keys in this Secret. */
  readonly decryptionSecret?: string;
  /** Kustomizations to wait for first (`name` or `namespace/name`). */
  readonly dependsOn?: readonly string[];
}

/**
 * Builds a `kustomize.toolkit.fluxcd.io/v1` Kustomization: Flux's reconciler
 * for a path in a source.
 *
 * @param name The object name.
 * @param options Source, path, pruning, SOPS decryption.
 * @returns The Kustomization.
 * @throws {TypeError} When the name is invalid.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fluxKustomizationManifest } from "@bosun/sdk";
 * const k = fluxKustomizationManifest("apps", {
 *   sourceRef: { kind: "OCIRepository", name: "flux-system" },
 *   path: "./apps/overlays/local",
 * });
 * assert.equal(k.apiVersion, "kustomize.toolkit.fluxcd.io/v1");
 * ```
 */
export function fluxKustomizationManifest(
  name: string,
  options: FluxKustomizationOptions,
): Manifest {
  const dependsOn = (options.dependsOn ?? []).map((d) => {
    const [a, b] = d.split("/");
    return b === undefined ? { name: a! } : { namespace: a!, name: b };
  });
  return {
    apiVersion: "kustomize.toolkit.fluxcd.io/v1",
    kind: "Kustomization",
    metadata: fluxMeta(name, options),
    spec: {
      interval: options.interval ?? "10m",
      ...(dependsOn.length === 0 ? {} : { dependsOn }),
      sourceRef: { ...options.sourceRef },
      path: options.path ?? "./",
      prune: options.prune ?? true,
      wait: options.wait ?? true,
      timeout: "5m",
      ...(options.targetNamespace ? { targetNamespace: options.targetNamespace } : {}),
      ...(options.decryptionSecret
        ? { decryption: { provider: "sops", secretRef: { name: options.decryptionSecret } } }
        : {}),
    },
  };
}

/** Options for {@linkcode helmReleaseManifest}. */
export interface HelmReleaseOptions extends FluxOptions {
  /** Chart name in a HelmRepository or path in a GitRepository; unused for an OCIRepository. */
  readonly chart?: string;
  /** Chart version range (HelmRepository only). */
  readonly version?: string;
  /** Where the chart comes from. */
  readonly sourceRef: {
    readonly kind: "HelmRepository" | "GitRepository" | "OCIRepository";
    readonly name: string;
    readonly namespace?: string;
  };
  /** Namespace the release installs into. */
  readonly targetNamespace?: string;
  /** Create the target namespace. @default false */
  readonly createNamespace?: boolean;
  /** Helm values. */
  readonly values?: Readonly<Record<string, unknown>>;
}

/**
 * Builds a `helm.toolkit.fluxcd.io/v2` HelmRelease. A chart from an
 * OCIRepository uses `chartRef`; one from a Helm or Git repository uses
 * `chart.spec`.
 *
 * @param name The release name.
 * @param options Chart, source, values.
 * @returns The HelmRelease.
 * @throws {TypeError} When the name is invalid or `chart` is missing for a Helm/Git source.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { helmReleaseManifest } from "@bosun/sdk";
 * const r = helmReleaseManifest("podinfo", {
 *   chart: "podinfo",
 *   version: "6.x",
 *   sourceRef: { kind: "HelmRepository", name: "podinfo" },
 * });
 * assert.equal(r.kind, "HelmRelease");
 * ```
 */
export function helmReleaseManifest(name: string, options: HelmReleaseOptions): Manifest {
  const source = options.sourceRef;
  let chart: Record<string, unknown>;
  if (source.kind === "OCIRepository") {
    chart = { chartRef: { ...source } };
  } else {
    if (!options.chart) {
      throw new TypeError(
        `Cannot build HelmRelease "${name}": a chart name is required with a ${source.kind}`,
      );
    }
    chart = {
      chart: {
        spec: {
          chart: options.chart,
          ...(options.version ? { version: options.version } : {}),
          sourceRef: { ...source },
          interval: options.interval ?? "10m",
        },
      },
    };
  }
  return {
    apiVersion: "helm.toolkit.fluxcd.io/v2",
    kind: "HelmRelease",
    metadata: fluxMeta(name, options),
    spec: {
      interval: options.interval ?? "10m",
      ...chart,
      ...(options.targetNamespace ? { targetNamespace: options.targetNamespace } : {}),
      ...(options.createNamespace ? { install: { createNamespace: true } } : {}),
      ...(options.values ? { values: structuredClone(options.values) } : {}),
    },
  };
}
