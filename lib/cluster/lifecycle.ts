/**
 * The cluster lifecycle: {@linkcode createCluster}, {@linkcode deleteCluster},
 * {@linkcode startCluster}, {@linkcode stopCluster}, {@linkcode listClusters},
 * {@linkcode describeCluster}.
 *
 * @module
 */

import { parse } from "yaml";
import type { Distribution, ResolvedConfig } from "../config/mod.ts";
import { defaultRunner, type Runner } from "../exec/mod.ts";
import { checkTools } from "./_tools.ts";
import { type Reporter, silentReporter, type Step } from "../ui/mod.ts";
import {
  inClusterRegistryHost,
  type KubeconfigData,
  localRegistryHostingConfigMap,
  mergeKubeconfig,
  observeRegistries,
  removeClusterResources,
  type RemovedResources,
  removeKubeconfigContext,
  setRegistriesRunning,
} from "./_deps.ts";
import { Docker } from "../registry/_docker.ts";
import type { KubeObject } from "../kube/types.ts";
import {
  type ClusterInput,
  type InputOptions,
  providerInput,
  resolveClusterInput,
} from "./_input.ts";
import { Ledger, runPlannedCommand, writePlannedFile } from "./_steps.ts";
import {
  ClusterCreateError,
  ClusterError,
  ClusterExistsError,
  ClusterInputError,
} from "./errors.ts";
import { createSteps } from "./plan.ts";
import { getProvider } from "./providers.ts";
import type { ClusterProvider, ProviderContext } from "./types.ts";

/** Options shared by the lifecycle functions. */
export interface ClusterOptions extends InputOptions {
  /** The runner. @default defaultRunner */
  readonly runner?: Runner;
  /** Progress. @default silentReporter */
  readonly reporter?: Reporter;
}

/** Applies Kubernetes objects to a cluster (the default uses lib/kube server-side apply). */
export type ApplyObjects = (
  objects: readonly Record<string, unknown>[],
  target: { readonly kubeconfig: string; readonly context: string },
) => Promise<void>;

/** Options for {@linkcode createCluster}. */
export interface CreateClusterOptions extends ClusterOptions {
  /** Throw {@linkcode ClusterExistsError} instead of reporting a no-op. @default false */
  readonly errorIfExists?: boolean;
  /** Publish the `kube-public/local-registry-hosting` ConfigMap. @default true */
  readonly registryHosting?: boolean;
  /** How objects are applied (tests inject one). @default server-side apply via lib/kube */
  readonly applyObjects?: ApplyObjects;
}

/** A cluster Bosun created or found. */
export interface Cluster {
  /** The name. */
  readonly name: string;
  /** The distribution. */
  readonly distribution: Distribution;
  /** The kubeconfig context. */
  readonly context: string;
  /** The kubeconfig file holding the context. */
  readonly kubeconfig: string;
  /** Whether this call created it (`false`: it existed). */
  readonly created: boolean;
  /** The local registry, when enabled. */
  readonly registry?: {
    /** From the host: `localhost:<port>`. */
    readonly host: string;
    /** From the cluster network: `<cluster>-registry:5000`. */
    readonly inCluster: string;
  };
  /** The config it was made from. */
  readonly config: ResolvedConfig;
}

function handle(config: ResolvedConfig, provider: ClusterProvider, created: boolean): Cluster {
  const name = config.metadata.name;
  const local = config.spec.registry.local;
  return {
    name,
    distribution: config.spec.distribution,
    context: config.spec.context ?? provider.contextName(name),
    kubeconfig: config.spec.kubeconfig,
    created,
    ...(local.enabled
      ? {
        registry: { host: `localhost:${local.hostPort}`, inCluster: inClusterRegistryHost(name) },
      }
      : {}),
    config,
  };
}

function portFree(port: number): boolean {
  try {
    const listener = Deno.listen({ hostname: "127.0.0.1", port });
    listener.close();
    return true;
  } catch {
    return false;
  }
}

async function defaultApplyObjects(
  objects: readonly Record<string, unknown>[],
  target: { readonly kubeconfig: string; readonly context: string },
): Promise<void> {
  const kube = await import("../kube/mod.ts");
  const client = await kube.connectKube(target);
  try {
    await kube.applyManifests(client, objects as unknown as KubeObject[]);
  } finally {
    client.close();
  }
}

/** Renames the context in a one-context kubeconfig when bosun.yaml names it. */
function renameContext(text: string, from: string, to: string): string | KubeconfigData {
  if (from === to) return text;
  const data = parse(text) as KubeconfigData;
  for (const c of data.contexts ?? []) if (c.name === from) c.name = to;
  if (data["current-context"] === from) data["current-context"] = to;
  return data;
}

/**
 * Creates a cluster with its local registry and mirrors, and merges its
 * context into the kubeconfig. Idempotent: an existing cluster is a reported
 * no-op (`created: false`) that makes no change. Input is validated, and the
 * registry's host port checked, before anything is created; if a step fails,
 * everything this call created is removed again and the error says what.
 *
 * @param input A config or the short form `{ name, distribution, nodes, … }`.
 * @param options Runner, reporter, existence policy.
 * @returns The cluster.
 * @throws {ConfigError} Invalid input, naming every field.
 * @throws {ClusterInputError} The registry port is in use, or the native config cannot be used.
 * @throws {ToolNotFoundError} The distribution's CLI or Docker is missing or too old.
 * @throws {ClusterExistsError} With `errorIfExists` when the cluster exists.
 * @throws {ClusterCreateError} A step failed (after cleanup).
 *
 * @example
 * ```ts ignore
 * import { createCluster } from "@bosun/sdk";
 * const cluster = await createCluster({ name: "dev", distribution: "Kind", nodes: { workers: 1 } });
 * console.log(cluster.context); // kind-dev
 * ```
 */
export async function createCluster(
  input: ClusterInput,
  options: CreateClusterOptions = {},
): Promise<Cluster> {
  const config = resolveClusterInput(input);
  const provider = getProvider(config.spec.distribution);
  const name = config.metadata.name;
  const runner = options.runner ?? defaultRunner;
  const reporter = options.reporter ?? silentReporter;
  const top = reporter.step(`Create ${config.spec.distribution} cluster ${name}`);
  try {
    const pinput = await providerInput(config, options);
    provider.plan(pinput); // merges the native config: fails here, before anything exists
    await checkTools(provider, runner);
    const ctx: ProviderContext = { runner, stateDir: pinput.stateDir, reporter: top };
    if (await provider.exists(name, ctx)) {
      if (options.errorIfExists) throw new ClusterExistsError(name, config.spec.distribution);
      top.skip("already exists, nothing to do");
      return handle(config, provider, false);
    }
    const observed = await observeRegistries(pinput.registries, { runner });
    const local = pinput.registries.find((r) => r.role === "registry");
    if (
      local?.hostPort !== undefined && !observed.containers.has(local.name) &&
      !portFree(local.hostPort)
    ) {
      throw new ClusterInputError({
        operation: "create",
        cluster: name,
        field: "spec.registry.local.hostPort",
        value: local.hostPort,
        reason: `port ${local.hostPort} is already in use on 127.0.0.1; choose another hostPort`,
      });
    }
    const plan = provider.plan(pinput);
    const networkExists = plan.preCreateNetwork &&
      (await new Docker(runner).networks([], plan.network)).length > 0;
    const steps = createSteps(provider, pinput, observed, networkExists);
    const result = handle(config, provider, true);
    await runWithCleanup(name, top, async (ledger, setStep) => {
      for (const step of steps) {
        setStep(step.title);
        const s = top.step(step.title);
        try {
          if (step.kind === "file") await writePlannedFile(step, ledger);
          else await runPlannedCommand(runner, step, ledger);
          s.succeed();
        } catch (error) {
          s.fail(error);
          throw error;
        }
      }
      setStep("Merging the kubeconfig");
      const fragment = renameContext(
        await provider.kubeconfig(name, ctx),
        provider.contextName(name),
        result.context,
      );
      ledger.push(`context ${result.context}`, async () => {
        await removeKubeconfigContext(result.context, { kubeconfig: config.spec.kubeconfig });
        return true;
      });
      await mergeKubeconfig(fragment, {
        kubeconfig: config.spec.kubeconfig,
        setCurrentContext: true,
      });
      top.step(`Merge context ${result.context} into ${config.spec.kubeconfig}`).succeed();
      if (local?.hostPort !== undefined && options.registryHosting !== false) {
        setStep("Publishing kube-public/local-registry-hosting");
        const apply = options.applyObjects ?? defaultApplyObjects;
        await apply([
          localRegistryHostingConfigMap(name, local.hostPort) as unknown as Record<string, unknown>,
        ], {
          kubeconfig: config.spec.kubeconfig,
          context: result.context,
        });
      }
    });
    top.succeed();
    return result;
  } catch (error) {
    top.fail(error);
    throw error;
  }
}

async function runWithCleanup(
  cluster: string,
  step: Step,
  work: (ledger: Ledger, setStep: (title: string) => void) => Promise<void>,
): Promise<void> {
  const ledger = new Ledger();
  let current = "Preparing";
  try {
    await work(ledger, (t) => current = t);
  } catch (cause) {
    const { cleanedUp, failures } = await ledger.rollback();
    step.log("warn", `cleaned up after failure: ${cleanedUp.join("; ") || "nothing to remove"}`);
    throw new ClusterCreateError(
      { cluster, step: current, cleanedUp, cleanupFailures: failures },
      { cause },
    );
  }
}

/** Options for {@linkcode deleteCluster}. */
export interface DeleteClusterOptions extends ClusterOptions {
  /** Also remove the registry volumes (pushed images, mirror caches). @default false */
  readonly deleteVolumes?: boolean;
}

/** What {@linkcode deleteCluster} did. */
export interface DeleteResult {
  /** Whether the cluster existed and was deleted. */
  readonly deleted: boolean;
  /** The Bosun-labelled Docker resources removed. */
  readonly removed: RemovedResources;
  /** Whether the kubeconfig context was removed. */
  readonly contextRemoved: boolean;
}

/**
 * Deletes a cluster, then exactly the containers, networks and (optionally)
 * volumes labelled `dev.bosun.cluster=<name>`, and its kubeconfig context. A
 * missing cluster is a reported no-op (leftover labelled resources are still
 * removed).
 *
 * @param input A config or the short form.
 * @param options Runner, reporter, whether to delete volumes.
 * @returns What was removed.
 * @throws {ToolNotFoundError} The CLI or Docker is missing.
 *
 * @example
 * ```ts ignore
 * import { deleteCluster } from "@bosun/sdk";
 * await deleteCluster({ name: "dev", distribution: "Kind" });
 * ```
 */
export async function deleteCluster(
  input: ClusterInput,
  options: DeleteClusterOptions = {},
): Promise<DeleteResult> {
  const config = resolveClusterInput(input);
  const provider = getProvider(config.spec.distribution);
  const name = config.metadata.name;
  const runner = options.runner ?? defaultRunner;
  const top = (options.reporter ?? silentReporter).step(
    `Delete ${config.spec.distribution} cluster ${name}`,
  );
  try {
    const pinput = await providerInput(config, { ...options });
    await checkTools(provider, runner);
    const ctx: ProviderContext = { runner, stateDir: pinput.stateDir, reporter: top };
    const exists = await provider.exists(name, ctx);
    const containers = await removeClusterResources(name, { runner, containersOnly: true });
    if (exists) {
      const s = top.step(`Delete the ${config.spec.distribution} cluster`);
      await provider.delete(name, ctx);
      s.succeed();
    }
    const rest = await removeClusterResources(name, {
      runner,
      deleteVolumes: options.deleteVolumes === true,
    });
    const context = config.spec.context ?? provider.contextName(name);
    const removedCtx = await removeKubeconfigContext(context, {
      kubeconfig: config.spec.kubeconfig,
    });
    if (exists) await Deno.remove(pinput.stateDir, { recursive: true }).catch(() => {});
    const removed: RemovedResources = {
      containers: [...containers.containers, ...rest.containers],
      networks: rest.networks,
      volumes: rest.volumes,
    };
    if (!exists) top.skip("no such cluster, nothing to delete");
    else top.succeed();
    return { deleted: exists, removed, contextRemoved: removedCtx.context !== undefined };
  } catch (error) {
    top.fail(error);
    throw error;
  }
}

async function setRunning(
  input: ClusterInput,
  action: "start" | "stop",
  options: ClusterOptions,
): Promise<Cluster> {
  const config = resolveClusterInput(input);
  const provider = getProvider(config.spec.distribution);
  const name = config.metadata.name;
  const runner = options.runner ?? defaultRunner;
  const top = (options.reporter ?? silentReporter).step(
    `${action === "start" ? "Start" : "Stop"} ${config.spec.distribution} cluster ${name}`,
  );
  try {
    await checkTools(provider, runner);
    const pinput = await providerInput(config, options);
    const ctx: ProviderContext = { runner, stateDir: pinput.stateDir, reporter: top };
    if (!(await provider.exists(name, ctx))) {
      throw new ClusterError({ operation: action, cluster: name, reason: "it does not exist" });
    }
    if (action === "start") {
      await setRegistriesRunning(name, "start", { runner });
      await provider.start(name, ctx);
    } else {
      await provider.stop(name, ctx);
      await setRegistriesRunning(name, "stop", { runner });
    }
    top.succeed();
    return handle(config, provider, false);
  } catch (error) {
    top.fail(error);
    throw error;
  }
}

/**
 * Starts a stopped cluster: its registries, then its nodes (`k3d cluster
 * start`, or `docker start` of the node containers for the others).
 *
 * @param input A config or the short form.
 * @param options Runner and reporter.
 * @returns The cluster.
 * @throws {ClusterError} The cluster does not exist.
 *
 * @example
 * ```ts ignore
 * import { startCluster } from "@bosun/sdk";
 * await startCluster({ name: "dev", distribution: "Talos" });
 * ```
 */
export function startCluster(input: ClusterInput, options: ClusterOptions = {}): Promise<Cluster> {
  return setRunning(input, "start", options);
}

/**
 * Stops a cluster's nodes, then its registries; nothing is removed.
 *
 * @param input A config or the short form.
 * @param options Runner and reporter.
 * @returns The cluster.
 * @throws {ClusterError} The cluster does not exist.
 *
 * @example
 * ```ts ignore
 * import { stopCluster } from "@bosun/sdk";
 * await stopCluster({ name: "dev", distribution: "Kind" });
 * ```
 */
export function stopCluster(input: ClusterInput, options: ClusterOptions = {}): Promise<Cluster> {
  return setRunning(input, "stop", options);
}
