/**
 * Private: turning a cluster target into a config, and a config into a
 * kubeconfig path and context.
 *
 * @module
 */

import { applyDefaults, type ComponentOverride, type ResolvedConfig } from "../config/mod.ts";
import { expandHome } from "../fs/mod.ts";
import type { ClusterTarget } from "./types.ts";

/** A full config from either a config or a bare cluster target. */
export function toConfig(target: ResolvedConfig | ClusterTarget): ResolvedConfig {
  if ("apiVersion" in target) return target;
  if (target.config !== undefined) {
    const spec = target.config.spec;
    return {
      ...target.config,
      spec: {
        ...spec,
        kubeconfig: target.kubeconfig ?? spec.kubeconfig,
        ...(target.context ?? spec.context) === undefined
          ? {}
          : { context: (target.context ?? spec.context)! },
      },
    };
  }
  return applyDefaults({
    metadata: { name: target.name },
    spec: {
      distribution: target.distribution,
      ...(target.kubeconfig === undefined ? {} : { kubeconfig: target.kubeconfig }),
      ...(target.context === undefined ? {} : { context: target.context }),
    },
  });
}

/** The kubeconfig context of a config: its own, or the distribution tool's naming. */
export function contextOf(config: ResolvedConfig): string {
  if (config.spec.context !== undefined) return config.spec.context;
  const name = config.metadata.name;
  switch (config.spec.distribution) {
    case "Kind":
      return `kind-${name}`;
    case "K3d":
      return `k3d-${name}`;
    case "Talos":
      return `admin@${name}`;
    case "EKSAnywhere":
      return `${name}-admin@${name}`;
  }
}

/** The kubeconfig path of a config, with `~` expanded. */
export function kubeconfigOf(config: ResolvedConfig): string {
  return expandHome(config.spec.kubeconfig);
}

/** bosun.yaml's override for a component, if any. */
export function overrideOf(config: ResolvedConfig, name: string): ComponentOverride | undefined {
  return (config.spec.components as Readonly<Record<string, ComponentOverride | undefined>>)[name];
}
