/**
 * A cluster to work on — as `createCluster` returns it, or written by hand —
 * and how to reach it. This is the one place the context name and the
 * kubeconfig path are derived; the lifecycle, the component installer, GitOps
 * and the workflows all ask here.
 *
 * @module
 */

import { isAbsolute, resolve } from "node:path";
import { applyDefaults, type Distribution, type ResolvedConfig } from "../config/mod.ts";
import { expandHome } from "../fs/mod.ts";
import { kubeconfigFile } from "../kube/kubeconfig.ts";
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
  /** Kubeconfig path. @default the config's, else kubectl's file (see {@linkcode kubeconfigOf}) */
  readonly kubeconfig?: string | undefined;
  /** Context. @default the config's, else derived from the distribution and name (`kind-<name>`, …) */
  readonly context?: string | undefined;
  /** The config the cluster was created from (its component settings are used). */
  readonly config?: ResolvedConfig | undefined;
}

/** A resolved config, or a cluster target (the `Cluster` handle is one). */
export type ClusterLike = ResolvedConfig | ClusterTarget;

/** How to reach a cluster: an absolute kubeconfig path and the context in it. */
export interface KubeTarget {
  /** Absolute path of the kubeconfig file holding the context. */
  readonly kubeconfig: string;
  /** The context name. */
  readonly context: string;
}

/**
 * The full config of a config or a cluster target; the target's kubeconfig and
 * context win over its config's.
 *
 * @param target A config or a cluster target.
 * @returns A resolved config.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { toConfig } from "@bosun/sdk";
 * const config = toConfig({ name: "dev", distribution: "K3d" });
 * assert.equal(config.metadata.name, "dev");
 * assert.equal(config.spec.cni, "Default");
 * ```
 */
export function toConfig(target: ClusterLike): ResolvedConfig {
  if ("apiVersion" in target) return target;
  if (target.config !== undefined) {
    const spec = target.config.spec;
    const kubeconfig = target.kubeconfig ?? spec.kubeconfig;
    const context = target.context ?? spec.context;
    return {
      ...target.config,
      spec: {
        ...spec,
        ...(kubeconfig === undefined ? {} : { kubeconfig }),
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
 * import assert from "node:assert/strict";
 * import { applyDefaults, contextOf } from "@bosun/sdk";
 * assert.equal(contextOf(applyDefaults({ metadata: { name: "dev" } })), "kind-dev");
 * ```
 */
export function contextOf(config: ResolvedConfig): string {
  return config.spec.context ??
    getProvider(config.spec.distribution).contextName(config.metadata.name);
}

/**
 * The kubeconfig file of a config, absolute: `spec.kubeconfig` with `~`
 * expanded and a relative path resolved against `baseDir`; when unset, the file
 * kubectl writes to — from `$KUBECONFIG`, its only entry, else its first entry
 * that exists, else its last (client-go's `PathOptions.GetDefaultFilename`) —
 * else `~/.kube/config`.
 *
 * @param config The resolved config.
 * @param baseDir Where a relative `spec.kubeconfig` starts (bosun.yaml's directory). @default the working directory
 * @returns The absolute path (the file need not exist yet).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { applyDefaults, kubeconfigOf } from "@bosun/sdk";
 * const config = applyDefaults({ spec: { kubeconfig: "kube/config" } });
 * assert.equal(kubeconfigOf(config, "/work/platform"), "/work/platform/kube/config");
 * ```
 */
export function kubeconfigOf(config: ResolvedConfig, baseDir?: string): string {
  const set = config.spec.kubeconfig;
  if (set === undefined) return kubeconfigFile();
  const expanded = expandHome(set);
  return isAbsolute(expanded) ? resolve(expanded) : resolve(baseDir ?? Deno.cwd(), expanded);
}

/**
 * The kubeconfig file and context of a config, each derived once
 * ({@linkcode kubeconfigOf}, {@linkcode contextOf}).
 *
 * @param config The resolved config.
 * @param baseDir Where a relative `spec.kubeconfig` starts. @default the working directory
 * @returns The absolute kubeconfig path and the context.
 */
export function kubeTargetOf(config: ResolvedConfig, baseDir?: string): KubeTarget {
  return { kubeconfig: kubeconfigOf(config, baseDir), context: contextOf(config) };
}

/**
 * The config with its kubeconfig path (absolute) and context written into
 * `spec`, so that everything handed this config reaches the same file and
 * context without deriving them again.
 *
 * @param config The resolved config.
 * @param baseDir Where a relative `spec.kubeconfig` starts. @default the working directory
 * @returns The same config with `spec.kubeconfig` and `spec.context` set.
 */
export function pinKubeTarget(config: ResolvedConfig, baseDir?: string): ResolvedConfig {
  const target = kubeTargetOf(config, baseDir);
  if (config.spec.kubeconfig === target.kubeconfig && config.spec.context === target.context) {
    return config;
  }
  return { ...config, spec: { ...config.spec, ...target } };
}
