/**
 * The provider for each distribution. Knowledge about a distribution lives in
 * its provider file; this only maps names to providers.
 *
 * @module
 */

import { ConfigError, type Distribution, DISTRIBUTIONS } from "../config/mod.ts";
import { EksaProvider } from "./eksa.ts";
import { K3dProvider } from "./k3d.ts";
import { KindProvider } from "./kind.ts";
import { TalosProvider } from "./talos.ts";
import type { ClusterProvider, DistributionCapabilities } from "./types.ts";

const FACTORIES: Readonly<Record<Distribution, () => ClusterProvider>> = {
  Kind: () => new KindProvider(),
  K3d: () => new K3dProvider(),
  Talos: () => new TalosProvider(),
  EKSAnywhere: () => new EksaProvider(),
};

/**
 * Returns the provider of a distribution.
 *
 * @param distribution `Kind`, `K3d`, `Talos` or `EKSAnywhere`.
 * @returns The provider.
 * @throws {ConfigError} For any other name, naming `spec.distribution` and the allowed values.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { getProvider } from "@bosun/sdk";
 * assert.equal(getProvider("K3d").contextName("dev"), "k3d-dev");
 * ```
 */
export function getProvider(distribution: string): ClusterProvider {
  const factory = (FACTORIES as Record<string, (() => ClusterProvider) | undefined>)[distribution];
  if (factory === undefined) {
    throw new ConfigError([{
      path: "spec.distribution",
      value: distribution,
      allowed: DISTRIBUTIONS,
      message: `${JSON.stringify(distribution)} is not one of ${DISTRIBUTIONS.join(", ")}`,
    }]);
  }
  return factory();
}

/** Every provider, in the order of {@linkcode DISTRIBUTIONS}. */
export function allProviders(): ClusterProvider[] {
  return DISTRIBUTIONS.map((d) => FACTORIES[d]());
}

/**
 * What a distribution bundles and how its nodes behave, as its provider
 * declares it. Components ask this instead of switching on the name.
 *
 * @param distribution `Kind`, `K3d`, `Talos` or `EKSAnywhere`.
 * @returns The provider's {@linkcode DistributionCapabilities}.
 * @throws {ConfigError} For any other name, naming `spec.distribution`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { capabilitiesOf } from "@bosun/sdk";
 * assert.equal(capabilitiesOf("EKSAnywhere").bundled.cni.name, "cilium");
 * assert.equal(capabilitiesOf("K3d").bundled.metricsServer, true);
 * ```
 */
export function capabilitiesOf(distribution: string): DistributionCapabilities {
  return getProvider(distribution).capabilities;
}
