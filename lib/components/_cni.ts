/**
 * Private: when Bosun installs a CNI, and the refusal when asked to install
 * one into a cluster that already runs another.
 *
 * @module
 */

import { capabilitiesOf } from "../cluster/providers.ts";
import type { ResolvedConfig } from "../config/mod.ts";
import { ComponentConfigError } from "./errors.ts";

/** A CNI Bosun can install. */
export type BosunCni = "Cilium" | "Calico";

/**
 * Whether Bosun installs `cni`: bosun.yaml asks for it and the distribution
 * let the cluster be created without its own CNI (EKS Anywhere's Cilium
 * cannot be left out, so `spec.cni: Cilium` there means EKS Anywhere's).
 */
export function bosunInstallsCni(config: ResolvedConfig, cni: BosunCni): boolean {
  return config.spec.cni === cni && capabilitiesOf(config.spec.distribution).bundled.cni.removable;
}

/**
 * Refuses to install `cni` into a cluster whose config says it runs another
 * CNI: the distribution's own (`spec.cni: Default`), the other one Bosun
 * installs, or a bundled CNI that cannot be replaced.
 *
 * @throws {ComponentConfigError} Naming `spec.cni` and what to do instead.
 */
export function requireCni(component: string, config: ResolvedConfig, cni: BosunCni): void {
  if (bosunInstallsCni(config, cni)) return;
  const distribution = config.spec.distribution;
  const bundled = capabilitiesOf(distribution).bundled.cni;
  const setting = `spec.cni is ${JSON.stringify(config.spec.cni)}`;
  let problem: string;
  if (!bundled.removable) {
    problem = `${distribution} always runs its own CNI (${bundled.name}) and a cluster cannot be ` +
      `created without it, so Bosun does not install ${cni} as a second CNI` +
      (bundled.name.toLowerCase() === cni.toLowerCase()
        ? `; the cluster already runs ${bundled.name}: configure it through the ${distribution} ` +
          `cluster spec (spec.distributionConfig)`
        : `; use spec.cni: Default`);
  } else if (config.spec.cni === "Default") {
    problem = `${setting}: the cluster was created with ${distribution}'s own CNI ` +
      `(${bundled.name}), and installing ${cni} would run a second CNI beside it. Create the ` +
      `cluster with spec.cni: ${cni} (bosun.yaml, or cni: "${cni}" in createCluster) so it comes ` +
      `up without ${bundled.name}, then install ${cni}`;
  } else {
    problem = `${setting}: the cluster was created for ${config.spec.cni}, and installing ${cni} ` +
      `would run a second CNI beside it. Install ${config.spec.cni}, or create the cluster ` +
      `again with spec.cni: ${cni}`;
  }
  throw new ComponentConfigError(component, problem, "spec.cni");
}
