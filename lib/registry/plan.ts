/**
 * What registry containers a cluster needs, derived from its config, and the
 * exact `docker` arguments that create them.
 *
 * @module
 */

import type { ResolvedConfig } from "../config/mod.ts";
import {
  CLUSTER_LABEL,
  MIRROR_OF_LABEL,
  mirrorContainerName,
  REGISTRY_PORT,
  registryContainerName,
  ROLE_LABEL,
} from "./names.ts";

/** One registry container Bosun runs for a cluster. */
export interface RegistryContainer {
  /** The cluster it belongs to. */
  readonly cluster: string;
  /** Container name, also its DNS name on the cluster network. */
  readonly name: string;
  /** `registry` for the local registry, `mirror` for a pull-through mirror. */
  readonly role: "registry" | "mirror";
  /** The image. */
  readonly image: string;
  /** The Docker volume holding its data (`/var/lib/registry`). */
  readonly volume: string;
  /** Host port published on 127.0.0.1 (local registry only). */
  readonly hostPort?: number;
  /** The registry host a mirror stands in for (`docker.io`). */
  readonly mirrorOf?: string;
  /** The upstream a mirror pulls through from. */
  readonly upstream?: string;
  /** The endpoint nodes use: `http://<name>:5000`. */
  readonly endpoint: string;
}

/**
 * A registry setting in the config cannot be used. `field` is the config path.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { RegistryConfigError } from "@bosun/sdk";
 * const err = new RegistryConfigError({ cluster: "dev", field: 'spec.registry.mirrors["docker.io"]', value: "nope", reason: "is not a URL" });
 * assert.ok(err.message.includes('spec.registry.mirrors["docker.io"]'));
 * ```
 */
export class RegistryConfigError extends TypeError {
  /** The cluster. */
  readonly cluster: string;
  /** The config field path. */
  readonly field: string;
  /** The offending value. */
  readonly value: unknown;

  /** Builds the error. */
  constructor(init: { cluster: string; field: string; value: unknown; reason: string }) {
    super(
      `Cannot set up registries for cluster "${init.cluster}": ${init.field}: ${
        JSON.stringify(init.value)
      } ${init.reason}`,
    );
    this.name = "RegistryConfigError";
    this.cluster = init.cluster;
    this.field = init.field;
    this.value = init.value;
  }
}

/**
 * Lists the registry containers a cluster needs: the local registry when
 * enabled, then one pull-through mirror per configured host (sorted by host).
 *
 * @param config The resolved config.
 * @returns The containers, in creation order.
 * @throws {RegistryConfigError} A mirror upstream is not an http(s) URL, or a mirror host is invalid.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { applyDefaults, planRegistries } from "@bosun/sdk";
 * const config = applyDefaults({
 *   metadata: { name: "dev" },
 *   spec: { registry: { mirrors: { "docker.io": "https://registry-1.docker.io" } } },
 * });
 * const names = planRegistries(config).map((r) => r.name);
 * assert.equal(names.join(), "dev-registry,dev-mirror-docker.io");
 * ```
 */
export function planRegistries(config: ResolvedConfig): RegistryContainer[] {
  const cluster = config.metadata.name;
  const out: RegistryContainer[] = [];
  const local = config.spec.registry.local;
  if (local.enabled) {
    const name = registryContainerName(cluster);
    out.push({
      cluster,
      name,
      role: "registry",
      image: config.spec.registry.image,
      volume: name,
      hostPort: local.hostPort,
      endpoint: `http://${name}:${REGISTRY_PORT}`,
    });
  }
  const mirrors = Object.entries(config.spec.registry.mirrors).sort(([a], [b]) =>
    a.localeCompare(b)
  );
  for (const [host, upstream] of mirrors) {
    const field = `spec.registry.mirrors[${JSON.stringify(host)}]`;
    if (!/^[a-z0-9.-]+(:\d+)?$/.test(host)) {
      throw new RegistryConfigError({
        cluster,
        field,
        value: host,
        reason: "is not a registry host such as docker.io",
      });
    }
    let url: URL;
    try {
      url = new URL(upstream);
    } catch {
      throw new RegistryConfigError({
        cluster,
        field,
        value: upstream,
        reason: "is not a URL (for example https://registry-1.docker.io)",
      });
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") {
      throw new RegistryConfigError({
        cluster,
        field,
        value: upstream,
        reason: "is not an http(s) URL",
      });
    }
    const name = mirrorContainerName(cluster, host);
    out.push({
      cluster,
      name,
      role: "mirror",
      image: config.spec.registry.image,
      volume: name,
      mirrorOf: host,
      upstream,
      endpoint: `http://${name}:${REGISTRY_PORT}`,
    });
  }
  return out;
}

/**
 * The labels Bosun puts on a registry container and its volume.
 *
 * @param registry The container.
 * @returns `key=value` strings.
 */
export function registryLabels(registry: RegistryContainer): string[] {
  return [
    `${CLUSTER_LABEL}=${registry.cluster}`,
    `${ROLE_LABEL}=${registry.role}`,
    ...(registry.mirrorOf ? [`${MIRROR_OF_LABEL}=${registry.mirrorOf}`] : []),
  ];
}

/**
 * The `docker volume create` arguments for a registry's volume.
 *
 * @param registry The container.
 * @returns Arguments after `docker`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { applyDefaults, planRegistries, registryVolumeArgs } from "@bosun/sdk";
 * const [reg] = planRegistries(applyDefaults({ metadata: { name: "dev" } }));
 * assert.equal(registryVolumeArgs(reg!).at(-1), "dev-registry");
 * ```
 */
export function registryVolumeArgs(registry: RegistryContainer): string[] {
  return [
    "volume",
    "create",
    ...registryLabels(registry).flatMap((l) => ["--label", l]),
    registry.volume,
  ];
}

/**
 * The `docker run` arguments that start a registry container: detached,
 * restarted unless stopped, labelled, its volume at `/var/lib/registry`; the
 * local registry published on `127.0.0.1:<hostPort>`, a mirror configured as a
 * pull-through cache with `REGISTRY_PROXY_REMOTEURL`.
 *
 * @param registry The container.
 * @param network A network to start it on, when it exists before the cluster.
 * @param ip Its fixed IPv4 address on that network (for nodes that reach registries by address).
 * @returns Arguments after `docker`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { applyDefaults, planRegistries, registryRunArgs } from "@bosun/sdk";
 * const [reg] = planRegistries(applyDefaults({ metadata: { name: "dev" } }));
 * assert.ok(registryRunArgs(reg!).includes("127.0.0.1:5050:5000"));
 * ```
 */
export function registryRunArgs(
  registry: RegistryContainer,
  network?: string,
  ip?: string,
): string[] {
  return [
    "run",
    "--detach",
    "--name",
    registry.name,
    "--restart",
    "unless-stopped",
    ...registryLabels(registry).flatMap((l) => ["--label", l]),
    "--volume",
    `${registry.volume}:/var/lib/registry`,
    ...(registry.hostPort !== undefined
      ? ["--publish", `127.0.0.1:${registry.hostPort}:${REGISTRY_PORT}`]
      : []),
    ...(registry.upstream !== undefined
      ? ["--env", `REGISTRY_PROXY_REMOTEURL=${registry.upstream}`]
      : []),
    ...(network !== undefined ? ["--network", network] : []),
    ...(network !== undefined && ip !== undefined ? ["--ip", ip] : []),
    registry.image,
  ];
}
