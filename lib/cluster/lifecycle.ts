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
import { acquireClusterLock } from "./_lock.ts";
import { loadKubeconfig } from "../kube/kubeconfig.ts";
import { Ledger, runPlannedCommand, writePlannedFile } from "./_steps.ts";
import {
  ClusterCreateError,
  ClusterError,
  ClusterExistsError,
  ClusterInputError,
} from "./errors.ts";
import { createSteps } from "./plan.ts";
import { getProvider } from "./providers.ts";
import { type ClusterTarget, kubeTargetOf, pinKubeTarget } from "./target.ts";
import type { ClusterProvider, ProviderContext, ProviderInput } from "./types.ts";

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

/**
 * A cluster Bosun created or found: the handle every other function accepts
 * (`deleteCluster(cluster)`, `installComponents(cluster)`, `bootstrapFlux(cluster)`).
 * Its kubeconfig path and context are resolved once, when it is made.
 */
export interface Cluster extends ClusterTarget {
  /** The name. */
  readonly name: string;
  /** The distribution. */
  readonly distribution: Distribution;
  /** The kubeconfig context. */
  readonly context: string;
  /** The kubeconfig file holding the context: an absolute path ({@linkcode kubeconfigOf}). */
  readonly kubeconfig: string;
  /** Whether this call created it (`false`: it existed, and was only brought in line). */
  readonly created: boolean;
  /**
   * What `createCluster` did to a cluster that existed (`started dev-registry`, `Start mirror
   * …`, `merged context kind-dev`); empty when it was already as configured, when this call
   * created it, and from the other lifecycle functions.
   */
  readonly changes: readonly string[];
  /** The local registry, when enabled. */
  readonly registry?: {
    /** From the host: `localhost:<port>`. */
    readonly host: string;
    /** From the cluster network: `<cluster>-registry:5000`. */
    readonly inCluster: string;
  };
  /** The config it was made from, with `spec.kubeconfig` and `spec.context` as resolved. */
  readonly config: ResolvedConfig;
}

/** The handle of a config whose kubeconfig and context are pinned ({@linkcode pinKubeTarget}). */
function handle(
  config: ResolvedConfig,
  created: boolean,
  changes: readonly string[] = [],
): Cluster {
  const name = config.metadata.name;
  const local = config.spec.registry.local;
  const target = kubeTargetOf(config);
  return {
    name,
    distribution: config.spec.distribution,
    context: target.context,
    kubeconfig: target.kubeconfig,
    created,
    changes,
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

/** Whether the kubeconfig file has the context (a missing file has none). */
async function hasContext(kubeconfig: string, context: string): Promise<boolean> {
  const { data } = await loadKubeconfig({ kubeconfig });
  return (data.contexts ?? []).some((c) => c.name === context);
}

/** Resolves the input and pins its kubeconfig and context: the lifecycle's one derivation. */
function resolvePinned(input: ClusterInput, options: InputOptions): ResolvedConfig {
  return pinKubeTarget(resolveClusterInput(input), options.baseDir);
}

/** The Docker host's cgroup version (`docker info`), or undefined when it does not say. */
async function dockerCgroupVersion(runner: Runner): Promise<1 | 2 | undefined> {
  const r = await runner.run("docker", ["info", "--format", "{{.CgroupVersion}}"], {
    throwOnError: false,
    timeoutMs: 30_000,
  });
  const v = r.stdout.trim();
  return r.success && (v === "1" || v === "2") ? Number(v) as 1 | 2 : undefined;
}

/** Runs `work` holding the cluster's lock. */
async function locked<T>(
  config: ResolvedConfig,
  stateDir: string,
  operation: "create" | "delete" | "start" | "stop",
  work: () => Promise<T>,
): Promise<T> {
  const lock = await acquireClusterLock(config.metadata.name, stateDir, operation);
  try {
    return await work();
  } finally {
    await lock.release();
  }
}

/**
 * Creates a cluster with its local registry and mirrors, and merges its
 * context into the kubeconfig — or brings an existing one in line with the
 * config: a stopped cluster (or registry) is started, a missing registry or
 * mirror is created and connected, a missing context is merged. A second call
 * with the same input makes no change. Input is validated, and the registry's
 * host port checked, before anything is changed; the cluster's lock file keeps
 * a second run on the same name out (it fails with {@linkcode ClusterLockedError}).
 * If a step fails, exactly what this call created is removed again (never what
 * existed before it) and the error says what.
 *
 * The kubeconfig file is resolved once ({@linkcode kubeconfigOf}: `spec.kubeconfig`,
 * else kubectl's file from `$KUBECONFIG`, else `~/.kube/config`, made absolute) and
 * carried in the returned handle, with the context.
 *
 * @param input A config, the short form `{ name, distribution, nodes, … }`, or a cluster handle.
 * @param options Runner, reporter, existence policy.
 * @returns The cluster.
 * @throws {ConfigError} Invalid input, naming every field.
 * @throws {ClusterInputError} The registry port is in use, or the native config cannot be used.
 * @throws {ToolNotFoundError} The distribution's CLI or Docker is missing or too old.
 * @throws {ClusterLockedError} Another Bosun process is working on this cluster.
 * @throws {ClusterExistsError} With `errorIfExists` when the cluster exists.
 * @throws {ClusterCreateError} A step failed (after cleanup).
 *
 * @example
 * ```ts ignore
 * import assert from "node:assert/strict";
 * import { createCluster } from "@bosun/sdk";
 * const cluster = await createCluster({ name: "dev", distribution: "Kind", nodes: { workers: 1 } });
 * assert.equal(cluster.context, "kind-dev");
 * assert.ok(cluster.kubeconfig.startsWith("/"));
 * ```
 */
export async function createCluster(
  input: ClusterInput,
  options: CreateClusterOptions = {},
): Promise<Cluster> {
  const config = resolvePinned(input, options);
  const provider = getProvider(config.spec.distribution);
  const name = config.metadata.name;
  const runner = options.runner ?? defaultRunner;
  const reporter = options.reporter ?? silentReporter;
  const top = reporter.step(`Create ${config.spec.distribution} cluster ${name}`);
  try {
    const pinput = await providerInput(config, options);
    provider.plan(pinput); // merges the native config: fails here, before anything exists
    const result = await locked(config, pinput.stateDir, "create", async () => {
      await checkTools(provider, runner);
      const hostCgroupVersion = await dockerCgroupVersion(runner);
      if (hostCgroupVersion === 1) {
        top.log("warn", "the Docker host runs cgroup v1: kubelets are told to accept it");
      }
      const input = hostCgroupVersion === undefined ? pinput : { ...pinput, hostCgroupVersion };
      return await applyCluster(provider, input, { ...options, runner }, top);
    });
    return result;
  } catch (error) {
    top.fail(error);
    throw error;
  }
}

/** The body of {@linkcode createCluster}, run under the cluster's lock. */
async function applyCluster(
  provider: ClusterProvider,
  pinput: ProviderInput,
  options: CreateClusterOptions & { readonly runner: Runner },
  top: Step,
): Promise<Cluster> {
  const { config } = pinput;
  const { runner } = options;
  const name = config.metadata.name;
  const target = kubeTargetOf(config);
  const ctx: ProviderContext = { runner, stateDir: pinput.stateDir, reporter: top };
  const exists = await provider.exists(name, ctx);
  if (exists && options.errorIfExists) {
    throw new ClusterExistsError(name, config.spec.distribution);
  }
  const observed = await observeRegistries(pinput.registries, { runner });
  const local = pinput.registries.find((r) => r.role === "registry");
  const localMissing = local !== undefined && !observed.containers.has(local.name);
  if (localMissing && local.hostPort !== undefined && !portFree(local.hostPort)) {
    throw new ClusterInputError({
      operation: "create",
      cluster: name,
      field: "spec.registry.local.hostPort",
      value: local.hostPort,
      reason: `port ${local.hostPort} is already in use on 127.0.0.1; choose another hostPort`,
    });
  }
  const plan = provider.plan(pinput);
  const docker = new Docker(runner);
  const networkExists = plan.preCreateNetwork &&
    (await docker.networks([], plan.network)).length > 0;
  const steps = createSteps(provider, pinput, observed, networkExists, exists);
  const stopped = exists
    ? (await docker.containers(provider.nodeLabels(name))).some((c) => c.state !== "running")
    : false;
  const done: string[] = [];
  await runWithCleanup(name, top, async (ledger, setStep) => {
    // Undone last: node containers the distribution's tool was still making when it was stopped
    // (docker finishes a `docker run` whose client was killed, after the tool's own delete ran).
    if (!exists) {
      ledger.push(
        `node containers labelled ${provider.nodeLabels(name).join(", ")}`,
        () => removeLateNodes(docker, runner, provider.nodeLabels(name)),
      );
    }
    // Registries first: a node that starts (or boots) pulls through its mirrors.
    const registryStarted = exists ? await setRegistriesRunning(name, "start", { runner }) : [];
    if (registryStarted.length > 0) done.push(`started ${registryStarted.join(", ")}`);
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
      if (exists) done.push(step.title);
    }
    if (stopped) {
      setStep("Starting the stopped cluster");
      const s = top.step(`Start the stopped ${config.spec.distribution} cluster`);
      await provider.start(name, ctx);
      s.succeed();
      done.push("started the cluster");
    }
    if (!exists || !(await hasContext(target.kubeconfig, target.context))) {
      setStep("Merging the kubeconfig");
      const fragment = renameContext(
        await provider.kubeconfig(name, ctx),
        provider.contextName(name),
        target.context,
      );
      ledger.push(`context ${target.context}`, async () => {
        await removeKubeconfigContext(target.context, { kubeconfig: target.kubeconfig });
        return true;
      });
      await mergeKubeconfig(fragment, { kubeconfig: target.kubeconfig, setCurrentContext: true });
      top.step(`Merge context ${target.context} into ${target.kubeconfig}`).succeed();
      if (exists) done.push(`merged context ${target.context}`);
    }
    const publish = !exists || localMissing;
    if (local?.hostPort !== undefined && options.registryHosting !== false && publish) {
      setStep("Publishing kube-public/local-registry-hosting");
      const apply = options.applyObjects ?? defaultApplyObjects;
      await apply([
        localRegistryHostingConfigMap(name, local.hostPort) as unknown as Record<string, unknown>,
      ], target);
    }
  });
  if (!exists) top.succeed();
  else if (done.length === 0) top.skip("already exists, nothing to do");
  else top.succeed(`already existed; ${done.join("; ")}`);
  return handle(config, !exists, exists ? done : []);
}

/**
 * Removes the node containers carrying `labels`, watching a few seconds for late ones.
 * Returns true when none is left.
 */
async function removeLateNodes(
  docker: Docker,
  runner: Runner,
  labels: readonly string[],
): Promise<boolean> {
  let quiet = 0;
  for (let round = 0; round < 20 && quiet < 3; round++) {
    const names = (await docker.containers(labels)).map((c) => c.name);
    if (names.length === 0) quiet++;
    else {
      quiet = 0;
      await runner.run("docker", ["rm", "--force", "--volumes", ...names], {
        throwOnError: false,
        timeoutMs: 60_000,
      });
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  return (await docker.containers(labels)).length === 0;
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
 * @param input A config, the short form, or the handle `createCluster` returned.
 * @param options Runner, reporter, whether to delete volumes.
 * @returns What was removed.
 * @throws {ToolNotFoundError} The CLI or Docker is missing.
 * @throws {ClusterLockedError} Another Bosun process is working on this cluster.
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
  const config = resolvePinned(input, options);
  const provider = getProvider(config.spec.distribution);
  const name = config.metadata.name;
  const runner = options.runner ?? defaultRunner;
  const target = kubeTargetOf(config);
  const top = (options.reporter ?? silentReporter).step(
    `Delete ${config.spec.distribution} cluster ${name}`,
  );
  try {
    const pinput = await providerInput(config, { ...options });
    const result = await locked(config, pinput.stateDir, "delete", async () => {
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
      const removedCtx = await removeKubeconfigContext(target.context, {
        kubeconfig: target.kubeconfig,
      });
      if (exists) await Deno.remove(pinput.stateDir, { recursive: true }).catch(() => {});
      const removed: RemovedResources = {
        containers: [...containers.containers, ...rest.containers],
        networks: rest.networks,
        volumes: rest.volumes,
      };
      return { deleted: exists, removed, contextRemoved: removedCtx.context !== undefined };
    });
    if (!result.deleted) top.skip("no such cluster, nothing to delete");
    else top.succeed();
    return result;
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
  const config = resolvePinned(input, options);
  const provider = getProvider(config.spec.distribution);
  const name = config.metadata.name;
  const runner = options.runner ?? defaultRunner;
  const top = (options.reporter ?? silentReporter).step(
    `${action === "start" ? "Start" : "Stop"} ${config.spec.distribution} cluster ${name}`,
  );
  try {
    const pinput = await providerInput(config, options);
    await locked(config, pinput.stateDir, action, async () => {
      await checkTools(provider, runner);
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
    });
    top.succeed();
    return handle(config, false);
  } catch (error) {
    top.fail(error);
    throw error;
  }
}

/**
 * Starts a stopped cluster: its registries, then its nodes (`k3d cluster
 * start`, or `docker start` of the node containers for the others).
 *
 * @param input A config, the short form, or a cluster handle.
 * @param options Runner and reporter.
 * @returns The cluster.
 * @throws {ClusterError} The cluster does not exist.
 * @throws {ClusterLockedError} Another Bosun process is working on this cluster.
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
 * @param input A config, the short form, or a cluster handle.
 * @param options Runner and reporter.
 * @returns The cluster.
 * @throws {ClusterError} The cluster does not exist.
 * @throws {ClusterLockedError} Another Bosun process is working on this cluster.
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
