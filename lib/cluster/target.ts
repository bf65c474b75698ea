/**
 * A cluster to work on — as `createCluster` returns it, or written by hand —
 * and how to reach it: the one place names, contexts and kubeconfig paths are
 * derived for the component installer, GitOps and the workflows.
 *
 * @module
 */

import { applyDefaults, type Distribution, type ResolvedConfig } from "../config/mod.ts";
import { expandHome } from "../fs/mod.ts";
import { getProvider } from "./providers.ts";

/**
 * A cluster to install into, as returned by `createCluster` or written by
 * hand: the name, the distribution and how to reach it.
 */
export interface ClusterTarget {
  /** The cluster name. */
  readonly name: string;
  /** Its distribution. */
  readonly distribution: Distribution;
  /** Kubeconfig path. @default `~/.kube/config` */
  readonly kubeconfig?: string | undefined;
  /** Context. @default derived from the distribution and name (`kind-<name>`, …) */
  readonly context?: string | undefined;
  /** The config the cluster was created from (its component settings are used). */
  readonly config?: ResolvedConfig | undefined;
}

/** A resolved config, or a cluster target. */
export type ClusterLike = ResolvedConfig | ClusterTarget;

/**
 * The full config of a config or a cluster target; the target's kubeconfig and
 * context win over its config's.
 *
 * @param target A config or a cluster target.
 * @returns A resolved config.
 *
 * @example
 * ```ts
 * import { toConfig } from "@bosun/sdk";
 * const config = toConfig({ name: "dev", distribution: "K3d" });
 * console.assert(config.metadata.name === "dev" && config.spec.cni === "Default");
 * ```
 */
export function toConfig(target: ClusterLike): ResolvedConfig {
  if ("apiVersion" in target) return target;
  if (target.config !== undefined) {
    const spec = target.config.spec;
    const context = target.context ?? spec.context;
    return {
      ...target.config,
      spec: {
        ...spec,
        kubeconfig: target.kubeconfig ?? spec.kubeconfig,
        ...(context === undefined ? {} : { context }),
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

/**
 * The kubeconfig context of a config: its own, or the one its distribution's
 * tool writes (`kind-<name>`, `k3d-<name>`, `admin@<name>`, `<name>-admin@<name>`).
 *
 * @example
 * ```ts
 * import { applyDefaults, contextOf } from "@bosun/sdk";
 * console.assert(contextOf(applyDefaults({ metadata: { name: "dev" } })) === "kind-dev");
 * ```
 */
export function contextOf(config: ResolvedConfig): string {
  return config.spec.context ??
    getProvider(config.spec.distribution).contextName(config.metadata.name);
}

/** The kubeconfig path of a config, with `~` expanded. */
export function kubeconfigOf(config: ResolvedConfig): string {
  return expandHome(config.spec.kubeconfig);
}
