/**
 * The `local-registry-hosting` ConfigMap in `kube-public` (KEP-1755), which
 * tells tools (Tilt, Skaffold, ko, …) where to push images for the cluster.
 *
 * @module
 */

import { stringify } from "yaml";
import { REGISTRY_PORT, registryContainerName } from "./names.ts";

/** A ConfigMap as a typed object. */
export interface ConfigMapObject {
  /** Always `v1`. */
  readonly apiVersion: "v1";
  /** Always `ConfigMap`. */
  readonly kind: "ConfigMap";
  /** Name, namespace and labels. */
  readonly metadata: {
    readonly name: string;
    readonly namespace: string;
    readonly labels?: Readonly<Record<string, string>>;
  };
  /** The data. */
  readonly data: Readonly<Record<string, string>>;
}

/** The KEP-1755 `LocalRegistryHostingV1` fields. */
export interface LocalRegistryHostingV1 {
  /** Where developers push from the host: `localhost:<hostPort>`. */
  readonly host: string;
  /** Where pods reach the registry: `<cluster>-registry:5000`. */
  readonly hostFromClusterNetwork: string;
  /** What the container runtime pulls from. */
  readonly hostFromContainerRuntime: string;
  /** Documentation link. */
  readonly help: string;
}

/**
 * Builds the `kube-public/local-registry-hosting` ConfigMap for a cluster's
 * local registry.
 *
 * @param cluster The cluster name.
 * @param hostPort The registry's host port.
 * @returns The ConfigMap.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { localRegistryHostingConfigMap } from "@bosun/sdk";
 * const cm = localRegistryHostingConfigMap("dev", 5050);
 * assert.ok(cm.data["localRegistryHosting.v1"]!.includes('host: localhost:5050'));
 * ```
 */
export function localRegistryHostingConfigMap(cluster: string, hostPort: number): ConfigMapObject {
  const inNetwork = `${registryContainerName(cluster)}:${REGISTRY_PORT}`;
  const hosting: LocalRegistryHostingV1 = {
    host: `localhost:${hostPort}`,
    hostFromClusterNetwork: inNetwork,
    hostFromContainerRuntime: inNetwork,
    help:
      "https://github.com/kubernetes/enhancements/tree/master/keps/sig-cluster-lifecycle/generic/1755-communicating-a-local-registry",
  };
  return {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: {
      name: "local-registry-hosting",
      namespace: "kube-public",
      labels: { "app.kubernetes.io/managed-by": "bosun" },
    },
    data: { "localRegistryHosting.v1": stringify(hosting) },
  };
}
