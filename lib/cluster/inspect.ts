/**
 * Looking at clusters without changing them: {@linkcode listClusters} and
 * {@linkcode describeCluster}.
 *
 * @module
 */

import type { Distribution } from "../config/mod.ts";
import { defaultRunner } from "../exec/mod.ts";
import { silentReporter } from "../ui/mod.ts";
import { CLUSTER_LABEL } from "../registry/mod.ts";
import { Docker } from "../registry/_docker.ts";
import { type ClusterInput, providerInput, resolveClusterInput } from "./_input.ts";
import { checkTools } from "./_tools.ts";
import type { ClusterOptions } from "./lifecycle.ts";
import { allProviders, getProvider } from "./providers.ts";
import { kubeTargetOf } from "./target.ts";
import type { ProviderContext } from "./types.ts";

/** One cluster found by {@linkcode listClusters}. */
export interface ClusterSummary {
  /** The name. */
  readonly name: string;
  /** The distribution. */
  readonly distribution: Distribution;
  /** Its context (the tool's naming). */
  readonly context: string;
}

/** Options for {@linkcode listClusters}. */
export interface ListClustersOptions extends Omit<ClusterOptions, "stateDir" | "baseDir"> {
  /** Only these distributions; their tools must be installed. @default every distribution whose tool is installed */
  readonly distributions?: readonly Distribution[];
}

/**
 * Lists clusters of every distribution (or the ones asked for). A
 * distribution whose CLI is not installed is skipped with a warning on the
 * reporter, unless it was asked for explicitly (then it throws).
 *
 * @param options Distributions, runner, reporter.
 * @returns The clusters, sorted by distribution then name.
 * @throws {ToolNotFoundError} A requested distribution's CLI (or Docker) is missing.
 *
 * @example
 * ```ts ignore
 * import { listClusters } from "@bosun/sdk";
 * for (const c of await listClusters()) console.log(c.distribution, c.name);
 * ```
 */
export async function listClusters(options: ListClustersOptions = {}): Promise<ClusterSummary[]> {
  const runner = options.runner ?? defaultRunner;
  const reporter = options.reporter ?? silentReporter;
  const providers = options.distributions
    ? options.distributions.map((d) => getProvider(d))
    : allProviders();
  const out: ClusterSummary[] = [];
  for (const provider of providers) {
    try {
      await checkTools(provider, runner);
    } catch (error) {
      if (options.distributions) throw error;
      reporter.log("warn", `skipping ${provider.distribution}: ${(error as Error).message}`);
      continue;
    }
    const ctx: ProviderContext = { runner, stateDir: "", reporter };
    for (const name of (await provider.list(ctx)).sort()) {
      out.push({ name, distribution: provider.distribution, context: provider.contextName(name) });
    }
  }
  return out;
}

/** What {@linkcode describeCluster} found. */
export interface ClusterDescription {
  /** The name. */
  readonly name: string;
  /** The distribution. */
  readonly distribution: Distribution;
  /** The context. */
  readonly context: string;
  /** The kubeconfig file (absolute). */
  readonly kubeconfig: string;
  /** Whether the cluster exists. */
  readonly exists: boolean;
  /** Node containers and their state. */
  readonly nodes: readonly { readonly name: string; readonly state: string }[];
  /** Bosun's registry containers and their state. */
  readonly registries: readonly {
    readonly name: string;
    readonly role: string;
    readonly state: string;
  }[];
  /** The state directory. */
  readonly stateDir: string;
}

/**
 * Describes a cluster: whether it exists, its node and registry containers.
 *
 * @param input A config, the short form, or a cluster handle.
 * @param options Runner.
 * @returns The description.
 * @throws {ToolNotFoundError} The CLI or Docker is missing.
 *
 * @example
 * ```ts ignore
 * import { describeCluster } from "@bosun/sdk";
 * console.log(await describeCluster({ name: "dev" }));
 * ```
 */
export async function describeCluster(
  input: ClusterInput,
  options: ClusterOptions = {},
): Promise<ClusterDescription> {
  const config = resolveClusterInput(input);
  const provider = getProvider(config.spec.distribution);
  const name = config.metadata.name;
  const runner = options.runner ?? defaultRunner;
  const target = kubeTargetOf(config, options.baseDir);
  await checkTools(provider, runner);
  const pinput = await providerInput(config, options);
  const ctx: ProviderContext = { runner, stateDir: pinput.stateDir, reporter: silentReporter };
  const docker = new Docker(runner);
  const nodes = await docker.containers(provider.nodeLabels(name));
  const regs = await docker.containers([`${CLUSTER_LABEL}=${name}`]);
  return {
    name,
    distribution: config.spec.distribution,
    context: target.context,
    kubeconfig: target.kubeconfig,
    exists: await provider.exists(name, ctx),
    nodes: nodes.map((n) => ({ name: n.name, state: n.state })).sort((a, b) =>
      a.name.localeCompare(b.name)
    ),
    registries: regs.map((r) => ({
      name: r.name,
      role: r.labels["dev.bosun.role"] ?? "",
      state: r.state,
    })),
    stateDir: pinput.stateDir,
  };
}
