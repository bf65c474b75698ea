/**
 * Private: turning a cluster target into a config, and a config into a
 * kubeconfig path and context.
 *
 * @module
 */

import type { ComponentOverride, ResolvedConfig } from "../config/mod.ts";

export { kubeTargetOf, toConfig } from "../cluster/target.ts";

/** bosun.yaml's override for a component, if any. */
export function overrideOf(config: ResolvedConfig, name: string): ComponentOverride | undefined {
  return (config.spec.components as Readonly<Record<string, ComponentOverride | undefined>>)[name];
}
