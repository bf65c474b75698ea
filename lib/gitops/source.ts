/**
 * Where a cluster's GitOps source lives: the local registry repository derived from
 * `spec.gitops.sourceDirectory`, seen from the cluster and from this machine.
 *
 * @module
 */

import type { ResolvedConfig } from "../config/mod.ts";
import { inClusterRegistryHost } from "../registry/names.ts";
import { GitOpsConfigError } from "./errors.ts";

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
 * import { sourceRepository } from "@bosun/sdk";
 * console.assert(sourceRepository("./K8s Manifests/") === "k8s-manifests");
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
 * import { applyDefaults, gitOpsSource } from "@bosun/sdk";
 * const src = gitOpsSource(applyDefaults({ metadata: { name: "dev" } }));
 * console.assert(src.url === "oci://dev-registry:5000/k8s" && src.pushRef === "localhost:5050/k8s:latest");
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
