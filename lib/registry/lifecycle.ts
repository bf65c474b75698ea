/**
 * Creating, connecting, starting, stopping and removing a cluster's registry
 * containers. Everything is found by the label `dev.bosun.cluster=<name>`, so
 * nothing belonging to another cluster is ever touched.
 *
 * @module
 */

import { defaultRunner, type Runner } from "../exec/mod.ts";
import { Docker } from "./_docker.ts";
import { CLUSTER_LABEL, ROLE_LABEL } from "./names.ts";
import { type RegistryContainer, registryRunArgs, registryVolumeArgs } from "./plan.ts";

/** A docker invocation Bosun plans to make, with the one that undoes it. */
export interface DockerAction {
  /** What it does, for plans and progress. */
  readonly title: string;
  /** Arguments after `docker`. */
  readonly args: readonly string[];
  /** Arguments after `docker` that undo it (cleanup on failure), when any. */
  readonly undo?: readonly string[];
}

/** What already exists in Docker for a cluster's registries. */
export interface RegistryObservation {
  /** Names of registry containers that already exist and carry the cluster's label. */
  readonly containers: ReadonlySet<string>;
  /** Names of volumes that already exist. */
  readonly volumes: ReadonlySet<string>;
  /** Container name → networks it is attached to. */
  readonly networks: ReadonlyMap<string, readonly string[]>;
}

/** Nothing exists yet: what plans assume. */
export const NOTHING_EXISTS: RegistryObservation = {
  containers: new Set(),
  volumes: new Set(),
  networks: new Map(),
};

/**
 * A container with a registry's name exists but is not Bosun's for this
 * cluster; Bosun will not adopt or remove it.
 */
export class RegistryConflictError extends Error {
  /** The cluster. */
  readonly cluster: string;
  /** The container name. */
  readonly container: string;

  /** Builds the error. */
  constructor(cluster: string, container: string) {
    super(
      `Cannot set up registries for cluster "${cluster}": a container named "${container}" ` +
        `already exists without the label ${CLUSTER_LABEL}=${cluster}; remove or rename it`,
    );
    this.name = "RegistryConflictError";
    this.cluster = cluster;
    this.container = container;
  }
}

/** Options for {@linkcode observeRegistries} and the other Docker-backed helpers. */
export interface RegistryDockerOptions {
  /** The runner. @default defaultRunner */
  readonly runner?: Runner;
}

/**
 * Looks at Docker for the registries a cluster needs.
 *
 * @param registries From {@linkcode planRegistries}.
 * @param options The runner.
 * @returns What exists already.
 * @throws {RegistryConflictError} A container has a registry's name but another owner.
 */
export async function observeRegistries(
  registries: readonly RegistryContainer[],
  options: RegistryDockerOptions = {},
): Promise<RegistryObservation> {
  const docker = new Docker(options.runner ?? defaultRunner);
  const containers = new Set<string>();
  const volumes = new Set<string>();
  const networks = new Map<string, readonly string[]>();
  for (const reg of registries) {
    const found = await docker.container(reg.name);
    if (found) {
      if (found.labels[CLUSTER_LABEL] !== reg.cluster) {
        throw new RegistryConflictError(reg.cluster, reg.name);
      }
      containers.add(reg.name);
      networks.set(reg.name, found.networks);
    }
    if ((await docker.volumes([], reg.volume)).length > 0) volumes.add(reg.volume);
  }
  return { containers, volumes, networks };
}

/**
 * The docker calls that create the registries that do not exist yet: the
 * labelled volume, then the container.
 *
 * @param registries From {@linkcode planRegistries}.
 * @param observed What exists (use {@linkcode NOTHING_EXISTS} for a plan).
 * @param network A network to start them on, when it exists before the cluster.
 * @param addresses Fixed IPv4 addresses on that network, by container name.
 * @returns The actions, in order.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { applyDefaults, NOTHING_EXISTS, planRegistries, registryCreateActions } from "@bosun/sdk";
 * const actions = registryCreateActions(planRegistries(applyDefaults({ metadata: { name: "dev" } })), NOTHING_EXISTS);
 * assert.equal(actions[1]!.args[0], "run");
 * assert.equal(actions[1]!.undo!.join(" "), "rm --force --volumes dev-registry");
 * ```
 */
export function registryCreateActions(
  registries: readonly RegistryContainer[],
  observed: RegistryObservation,
  network?: string,
  addresses?: Readonly<Record<string, string>>,
): DockerAction[] {
  const out: DockerAction[] = [];
  for (const reg of registries) {
    if (observed.containers.has(reg.name)) continue;
    if (!observed.volumes.has(reg.volume)) {
      out.push({
        title: `Create volume ${reg.volume}`,
        args: registryVolumeArgs(reg),
        undo: ["volume", "rm", "--force", reg.volume],
      });
    }
    out.push({
      title: reg.role === "registry"
        ? `Start local registry ${reg.name} on 127.0.0.1:${reg.hostPort}`
        : `Start mirror ${reg.name} for ${reg.upstream}`,
      args: registryRunArgs(reg, network, addresses?.[reg.name]),
      undo: ["rm", "--force", "--volumes", reg.name],
    });
  }
  return out;
}

/**
 * The docker calls that attach registries to the cluster network (skipping
 * those already attached).
 *
 * @param registries From {@linkcode planRegistries}.
 * @param network The cluster's Docker network.
 * @param observed What exists.
 * @param addresses Fixed IPv4 addresses on that network, by container name.
 * @returns The actions.
 */
export function registryConnectActions(
  registries: readonly RegistryContainer[],
  network: string,
  observed: RegistryObservation,
  addresses?: Readonly<Record<string, string>>,
): DockerAction[] {
  return registries
    .filter((reg) => !(observed.networks.get(reg.name) ?? []).includes(network))
    .map((reg) => {
      const ip = addresses?.[reg.name];
      return {
        title: `Connect ${reg.name} to network ${network}${ip ? ` at ${ip}` : ""}`,
        args: ["network", "connect", ...(ip ? ["--ip", ip] : []), network, reg.name],
        undo: ["network", "disconnect", "--force", network, reg.name],
      };
    });
}

/** What {@linkcode removeClusterResources} removed. */
export interface RemovedResources {
  /** Container names. */
  readonly containers: readonly string[];
  /** Network names. */
  readonly networks: readonly string[];
  /** Volume names. */
  readonly volumes: readonly string[];
}

/** Options for {@linkcode removeClusterResources}. */
export interface RemoveResourcesOptions extends RegistryDockerOptions {
  /** Also remove the registry volumes (the local registry's images, the mirror caches). @default false */
  readonly deleteVolumes?: boolean;
  /** Only containers (networks are removed after the cluster). @default false */
  readonly containersOnly?: boolean;
}

/**
 * Removes every container, network and (optionally) volume labelled
 * `dev.bosun.cluster=<cluster>`; nothing else.
 *
 * @param cluster The cluster name.
 * @param options Whether to remove volumes.
 * @returns What was removed (empty lists when nothing was there: no call is made).
 */
export async function removeClusterResources(
  cluster: string,
  options: RemoveResourcesOptions = {},
): Promise<RemovedResources> {
  const docker = new Docker(options.runner ?? defaultRunner);
  const label = `${CLUSTER_LABEL}=${cluster}`;
  const containers = (await docker.containers([label])).map((c) => c.name);
  if (containers.length > 0) await docker.run(["rm", "--force", ...containers]);
  if (options.containersOnly) return { containers, networks: [], volumes: [] };
  const networks = (await docker.networks([label])).map((n) => n.name);
  for (const n of networks) await docker.run(["network", "rm", n]);
  let volumes: string[] = [];
  if (options.deleteVolumes) {
    volumes = (await docker.volumes([label])).map((v) => v.name);
    if (volumes.length > 0) await docker.run(["volume", "rm", "--force", ...volumes]);
  }
  return { containers, networks, volumes };
}

/**
 * Starts (or stops) the cluster's registry containers.
 *
 * @param cluster The cluster name.
 * @param action `start` or `stop`.
 * @param options The runner.
 * @returns The containers acted on (only those not already in the wanted state).
 */
export async function setRegistriesRunning(
  cluster: string,
  action: "start" | "stop",
  options: RegistryDockerOptions = {},
): Promise<string[]> {
  const docker = new Docker(options.runner ?? defaultRunner);
  const found = await docker.containers([`${CLUSTER_LABEL}=${cluster}`, ROLE_LABEL]);
  const names = found
    .filter((c) => action === "start" ? c.state !== "running" : c.state === "running")
    .map((c) => c.name);
  if (names.length > 0) await docker.run([action, ...names]);
  return names;
}
