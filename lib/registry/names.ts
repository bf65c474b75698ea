/**
 * The names and labels that tie a cluster to its registry containers
 * (DESIGN.md naming contract).
 *
 * @module
 */

/** The Docker label on everything Bosun creates for a cluster; its value is the cluster name. */
export const CLUSTER_LABEL = "dev.bosun.cluster";
/** The Docker label saying what a Bosun container is: `registry` or `mirror`. */
export const ROLE_LABEL = "dev.bosun.role";
/** The Docker label on a mirror naming the registry host it mirrors (`docker.io`). */
export const MIRROR_OF_LABEL = "dev.bosun.mirror-of";
/** The default of `spec.registry.image`: the image of the local registry and every mirror. */
export const REGISTRY_IMAGE = "registry:3";
/** The port the registry listens on inside its container. */
export const REGISTRY_PORT = 5000;

/**
 * The local registry container's name: `<cluster>-registry`.
 *
 * @param cluster The cluster name.
 * @returns The container name, which is also its DNS name on the cluster network.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { registryContainerName } from "@bosun/sdk";
 * assert.equal(registryContainerName("dev"), "dev-registry");
 * ```
 */
export function registryContainerName(cluster: string): string {
  return `${cluster}-registry`;
}

/**
 * A pull-through mirror's container name: `<cluster>-mirror-<host>`, with `:`
 * and `/` in the host replaced by `-` (dots are kept).
 *
 * @param cluster The cluster name.
 * @param host The registry host it mirrors (`docker.io`, `localhost:5000`).
 * @returns The container name.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { mirrorContainerName } from "@bosun/sdk";
 * assert.equal(mirrorContainerName("dev", "docker.io"), "dev-mirror-docker.io");
 * ```
 */
export function mirrorContainerName(cluster: string, host: string): string {
  return `${cluster}-mirror-${host.replace(/[:/]/g, "-")}`;
}

/**
 * The address nodes and pods use for the local registry: `<cluster>-registry:5000`.
 *
 * @param cluster The cluster name.
 * @returns `host:port` on the cluster network.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { inClusterRegistryHost } from "@bosun/sdk";
 * assert.equal(inClusterRegistryHost("dev"), "dev-registry:5000");
 * ```
 */
export function inClusterRegistryHost(cluster: string): string {
  return `${registryContainerName(cluster)}:${REGISTRY_PORT}`;
}
