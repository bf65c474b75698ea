/**
 * Turning what a caller passes (a bosun.yaml config, a resolved config, or the
 * short form `{ name, distribution, nodes }`) into a validated config and the
 * provider input.
 *
 * @module
 */

import {
  applyDefaults,
  type BosunConfig,
  type ClusterSpec,
  ConfigError,
  type DeepPartial,
  type ResolvedConfig,
  validateConfig,
} from "../config/mod.ts";
import { expandHome } from "../fs/mod.ts";
import { planRegistries, registryRoutes } from "../registry/mod.ts";
import { clusterStateDir } from "./_state.ts";
import { ClusterInputError } from "./errors.ts";
import { type ClusterTarget, toConfig } from "./target.ts";
import type { ProviderInput } from "./types.ts";

/** The short form: the cluster name and any `spec` field, flat. */
export interface ClusterShorthand extends DeepPartial<ClusterSpec> {
  /** The cluster name. @default "bosun" */
  readonly name?: string;
}

/**
 * What cluster functions accept: a config (as written or resolved), the short
 * form, or a cluster target — the `Cluster` handle `createCluster` returns is
 * one, so `deleteCluster(await createCluster(…))` works.
 */
export type ClusterInput = BosunConfig | ResolvedConfig | ClusterShorthand | ClusterTarget;

/** A target that carries its config (the `Cluster` handle, or one written by hand). */
function isTargetWithConfig(input: ClusterInput): input is ClusterTarget {
  const config = (input as { config?: unknown }).config;
  return typeof config === "object" && config !== null && "spec" in config;
}

/**
 * Validates and defaults the input. A cluster target's kubeconfig and context
 * win over its config's.
 *
 * @throws {ConfigError} Naming every invalid field (unknown distribution, fewer than 1 control plane, a mirror upstream that is not a URL, …).
 */
export function resolveClusterInput(input: ClusterInput): ResolvedConfig {
  let config: BosunConfig;
  if (isTargetWithConfig(input)) {
    config = toConfig(input);
  } else if ("spec" in input || "metadata" in input || "apiVersion" in input) {
    config = input as BosunConfig;
  } else {
    const { name, ...spec } = input as ClusterShorthand;
    // A hand-written target may carry `kubeconfig: undefined`: that means "unset".
    const set = Object.fromEntries(Object.entries(spec).filter(([, v]) => v !== undefined));
    config = { ...(name !== undefined ? { metadata: { name } } : {}), spec: set };
  }
  const problems = validateConfig(config);
  if (problems.length > 0) throw new ConfigError(problems);
  return applyDefaults(config);
}

/** Options that locate files. */
export interface InputOptions {
  /** State directory override. @default `$BOSUN_HOME/clusters/<name>` */
  readonly stateDir?: string;
  /** Directory `spec.distributionConfig` is relative to. @default the current directory */
  readonly baseDir?: string;
}

/** Builds the provider input, reading the native config file when one is set. */
export async function providerInput(
  config: ResolvedConfig,
  options: InputOptions,
): Promise<ProviderInput> {
  const name = config.metadata.name;
  const registries = planRegistries(config);
  const stateDir = clusterStateDir(name, options.stateDir);
  const nativeRef = config.spec.distributionConfig;
  if (nativeRef === undefined) {
    return { config, registries, routes: registryRoutes(registries), stateDir };
  }
  const expanded = expandHome(nativeRef);
  const path = expanded.startsWith("/") ? expanded : `${options.baseDir ?? Deno.cwd()}/${expanded}`;
  let native: string;
  try {
    native = await Deno.readTextFile(path);
  } catch (cause) {
    throw new ClusterInputError({
      operation: "create",
      cluster: name,
      field: "spec.distributionConfig",
      value: nativeRef,
      reason: `cannot read ${path}: ${cause instanceof Error ? cause.message : String(cause)}`,
    });
  }
  return {
    config,
    registries,
    routes: registryRoutes(registries),
    stateDir,
    native,
    nativePath: path,
  };
}
