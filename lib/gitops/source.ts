/**
 * Where a cluster's GitOps source lives: the local registry repository derived from
 * `spec.gitops.sourceDirectory`, seen from the cluster and from this machine.
 *
 * @module
 */

import type { ResolvedConfig } from "../config/mod.ts";
import { inClusterRegistryHost } from "../registry/names.ts";
import { GitOpsConfigError } from "./errors.ts";
import type { ArgoSourceOptions, FluxSyncSource } from "./manifests.ts";

/** The GitOps source of a cluster in its local registry. */
export interface GitOpsSource {
  /** Repository name in the registry (`k8s`, `deploy/k8s`). */
  readonly repository: string;
  /** The tag the engine follows (`spec.gitops.ref`). */
  readonly tag: string;
  /** `oci://<cluster>-registry:5000/<repository>`: what the engine pulls, over the cluster network. */
  readonly url: string;
  /** `localhost:<hostPort>/<repository>:<tag>`: where this machine pushes. */
  readonly pushRef: string;
  /** The directory to push, as written in the config (relative to it). */
  readonly directory: string;
}

/**
 * Turns a source directory into a registry repository path: each segment lower-cased, runs
 * of characters other than `a-z0-9._-` replaced by `-`, `.` segments dropped.
 *
 * @param directory The directory, e.g. `./K8s/Overlays/dev`.
 * @returns The repository, e.g. `k8s/overlays/dev` (`manifests` when nothing is left).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { sourceRepository } from "@bosun/sdk";
 * assert.equal(sourceRepository("./K8s Manifests/"), "k8s-manifests");
 * ```
 */
export function sourceRepository(directory: string): string {
  const parts = directory.split("/")
    .filter((p) => p !== "" && p !== "." && p !== "..")
    .map((p) =>
      p.toLowerCase().replace(/[^a-z0-9._-]+/g, "-").replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, "")
    )
    .filter((p) => p !== "");
  return parts.join("/") || "manifests";
}

/**
 * The GitOps source of a config: the local registry repository named after
 * `spec.gitops.sourceDirectory`, tag `spec.gitops.ref`, always derived from the real
 * cluster name (never a distribution default).
 *
 * @param config The resolved config.
 * @returns In-cluster URL, push reference, repository and tag.
 * @throws {GitOpsConfigError} When the local registry is disabled (there is nothing to push to).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { applyDefaults, gitOpsSource } from "@bosun/sdk";
 * const src = gitOpsSource(applyDefaults({ metadata: { name: "dev" } }));
 * assert.equal(src.url, "oci://dev-registry:5000/k8s");
 * assert.equal(src.pushRef, "localhost:5050/k8s:latest");
 * ```
 */
export function gitOpsSource(config: ResolvedConfig): GitOpsSource {
  const local = config.spec.registry.local;
  if (!local.enabled) {
    throw new GitOpsConfigError(
      config.metadata.name,
      "the local registry is disabled (spec.registry.local.enabled), so there is no OCI source to follow",
    );
  }
  const repository = sourceRepository(config.spec.gitops.sourceDirectory);
  const tag = config.spec.gitops.ref;
  return {
    repository,
    tag,
    url: `oci://${inClusterRegistryHost(config.metadata.name)}/${repository}`,
    pushRef: `localhost:${local.hostPort}/${repository}:${tag}`,
    directory: config.spec.gitops.sourceDirectory,
  };
}

/**
 * The Flux source of a config's local registry: `oci://<cluster>-registry:5000/<repository>`,
 * tag `spec.gitops.ref`, plain HTTP.
 *
 * @param config The resolved config.
 * @returns The OCIRepository source.
 * @throws {GitOpsConfigError} The local registry is disabled.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { applyDefaults, fluxLocalSource } from "@bosun/sdk";
 * const source = fluxLocalSource(applyDefaults({ metadata: { name: "dev" } }));
 * assert.deepEqual(source, { kind: "OCIRepository", url: "oci://dev-registry:5000/k8s", ref: "latest", path: "./", insecure: true });
 * ```
 */
export function fluxLocalSource(config: ResolvedConfig): FluxSyncSource {
  const src = gitOpsSource(config);
  return { kind: "OCIRepository", url: src.url, ref: src.tag, path: "./", insecure: true };
}

/**
 * The Argo CD source of a config's local registry (plain HTTP, path `.`).
 *
 * @param config The resolved config.
 * @returns The OCI source options.
 * @throws {GitOpsConfigError} The local registry is disabled.
 */
export function argoLocalSource(config: ResolvedConfig): ArgoSourceOptions {
  const src = gitOpsSource(config);
  return { url: src.url, targetRevision: src.tag, path: ".", insecure: true };
}

/**
 * The cluster's own local registry as a GitOps source: the artifact `bosun push`
 * makes of a directory, `oci://<cluster>-registry:5000/<repository>` over plain HTTP.
 */
export interface LocalRegistrySource {
  /** Always `true`: follow the cluster's local registry. */
  readonly localRegistry: true;
  /**
   * The source directory whose artifact is followed, as `bosun push` names it (`k8s` →
   * `oci://<cluster>-registry:5000/k8s`). @default `spec.gitops.sourceDirectory`
   */
  readonly path?: string;
  /** The tag followed. @default `spec.gitops.ref` */
  readonly ref?: string;
}

/**
 * The config whose GitOps source is `source`: `spec.gitops.sourceDirectory` and `ref`
 * replaced by the source's `path` and `ref` where given.
 *
 * @param config The resolved config.
 * @param source The local-registry source.
 * @returns The config to derive the source (and the push reference) from.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { applyDefaults, gitOpsSource, withLocalSource } from "@bosun/sdk";
 * const config = withLocalSource(applyDefaults({ metadata: { name: "dev" } }), {
 *   localRegistry: true,
 *   path: "deploy/k8s",
 * });
 * assert.equal(gitOpsSource(config).url, "oci://dev-registry:5000/deploy/k8s");
 * ```
 */
export function withLocalSource(
  config: ResolvedConfig,
  source: LocalRegistrySource,
): ResolvedConfig {
  return {
    ...config,
    spec: {
      ...config.spec,
      gitops: {
        ...config.spec.gitops,
        ...(source.path === undefined ? {} : { sourceDirectory: source.path }),
        ...(source.ref === undefined ? {} : { ref: source.ref }),
      },
    },
  };
}

/** Whether a source option names the local registry. */
export function isLocalRegistrySource(source: object | undefined): source is LocalRegistrySource {
  return source !== undefined && "localRegistry" in source &&
    (source as { localRegistry?: unknown }).localRegistry === true;
}
