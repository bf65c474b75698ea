/**
 * How each distribution is told about the local registry and the mirrors:
 * containerd `hosts.toml` files (Kind), k3s `registries.yaml` (K3d), Talos
 * `RegistryMirrorConfig` documents, and the EKS Anywhere mirror block. All are
 * built from one list of {@linkcode RegistryRoute}s.
 *
 * @module
 */

import { stringify } from "yaml";
import { REGISTRY_PORT } from "./names.ts";
import type { RegistryContainer } from "./plan.ts";

/** One registry host as nodes see it: where to pull from, in order. */
export interface RegistryRoute {
  /** The registry host images are named with (`docker.io`, `localhost:5050`). */
  readonly host: string;
  /** Endpoints tried first, in order (`http://dev-mirror-docker.io:5000`). */
  readonly endpoints: readonly string[];
  /** The upstream used when every endpoint fails; none for the local registry. */
  readonly fallback?: string;
}

/**
 * Routes for a cluster's registries: each mirror host to its mirror (falling
 * back to the upstream), and both `localhost:<hostPort>` and
 * `<cluster>-registry:5000` to the local registry, so an image pushed to
 * `localhost:5050/app` pulls inside the cluster under the same name.
 *
 * @param registries From {@linkcode planRegistries}.
 * @returns The routes, local registry first.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { applyDefaults, planRegistries, registryRoutes } from "@bosun/sdk";
 * const routes = registryRoutes(planRegistries(applyDefaults({ metadata: { name: "dev" } })));
 * assert.equal(routes.map((r) => r.host).join(), "localhost:5050,dev-registry:5000");
 * ```
 */
export function registryRoutes(registries: readonly RegistryContainer[]): RegistryRoute[] {
  const routes: RegistryRoute[] = [];
  for (const reg of registries) {
    if (reg.role === "registry") {
      if (reg.hostPort !== undefined) {
        routes.push({ host: `localhost:${reg.hostPort}`, endpoints: [reg.endpoint] });
      }
      routes.push({ host: `${reg.name}:${REGISTRY_PORT}`, endpoints: [reg.endpoint] });
    } else if (reg.mirrorOf !== undefined) {
      routes.push({
        host: reg.mirrorOf,
        endpoints: [reg.endpoint],
        ...(reg.upstream !== undefined ? { fallback: reg.upstream } : {}),
      });
    }
  }
  return routes;
}

/** A file to write under containerd's `certs.d` directory. */
export interface HostsFile {
  /** Path relative to the `certs.d` directory: `<host>/hosts.toml`. */
  readonly path: string;
  /** The TOML text. */
  readonly content: string;
}

/**
 * containerd `hosts.toml` files (one per route) for `config_path =
 * "/etc/containerd/certs.d"`.
 *
 * @param routes From {@linkcode registryRoutes}.
 * @returns The files, relative to `certs.d`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { containerdHostsFiles } from "@bosun/sdk";
 * const [file] = containerdHostsFiles([{ host: "docker.io", endpoints: ["http://m:5000"], fallback: "https://registry-1.docker.io" }]);
 * assert.equal(file!.path, "docker.io/hosts.toml");
 * assert.ok(file!.content.startsWith('server = "https://registry-1.docker.io"'));
 * ```
 */
export function containerdHostsFiles(routes: readonly RegistryRoute[]): HostsFile[] {
  return routes.map((route) => {
    const server = route.fallback ?? route.endpoints[0]!;
    const lines = [`server = ${tomlString(server)}`, ""];
    for (const endpoint of route.endpoints) {
      lines.push(`[host.${tomlString(endpoint)}]`);
      lines.push(`  capabilities = ["pull", "resolve"]`);
      lines.push("");
    }
    return { path: `${route.host}/hosts.toml`, content: lines.join("\n") };
  });
}

/** TOML basic strings share JSON's escapes for the characters registry URLs can hold. */
function tomlString(value: string): string {
  return JSON.stringify(value);
}

/** The k3s `registries.yaml` document (what k3d's `registries.config` holds). */
export interface K3sRegistries {
  /** Registry host → endpoints, tried in order. */
  mirrors: Record<string, { endpoint: string[] }>;
  /** Other settings a user's file may carry (`configs`). */
  [key: string]: unknown;
}

/**
 * The k3s `registries.yaml` for the routes: each host's endpoints, then its
 * upstream. Merged over `base` (a user's own `registries.config`): their other
 * hosts and `configs` are kept.
 *
 * @param routes From {@linkcode registryRoutes}.
 * @param base An existing `registries.yaml` document.
 * @returns The document (serialise it with `yaml`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { k3sRegistries } from "@bosun/sdk";
 * const doc = k3sRegistries([{ host: "docker.io", endpoints: ["http://m:5000"], fallback: "https://registry-1.docker.io" }]);
 * assert.equal(doc.mirrors["docker.io"]!.endpoint.length, 2);
 * ```
 */
export function k3sRegistries(
  routes: readonly RegistryRoute[],
  base: Readonly<Record<string, unknown>> = {},
): K3sRegistries {
  const baseMirrors = (base.mirrors ?? {}) as Record<string, { endpoint: string[] }>;
  const mirrors: Record<string, { endpoint: string[] }> = { ...baseMirrors };
  for (const route of routes) {
    mirrors[route.host] = {
      endpoint: [...route.endpoints, ...(route.fallback ? [route.fallback] : [])],
    };
  }
  return { ...base, mirrors };
}

/** k3s `registries.yaml` text for k3d's `registries.config`. */
export function k3sRegistriesYaml(
  routes: readonly RegistryRoute[],
  base: Readonly<Record<string, unknown>> = {},
): string {
  return stringify(k3sRegistries(routes, base));
}

/** A Talos `RegistryMirrorConfig` document (Talos 1.12+). */
export interface TalosRegistryMirrorConfig {
  /** Always `v1alpha1`. */
  readonly apiVersion: "v1alpha1";
  /** Always `RegistryMirrorConfig`. */
  readonly kind: "RegistryMirrorConfig";
  /** The registry host. */
  readonly name: string;
  /** Endpoints, tried in order; Talos falls back to the host itself afterwards. */
  readonly endpoints: readonly { readonly url: string }[];
}

/**
 * Talos `RegistryMirrorConfig` documents for the routes. The upstream is not
 * listed: Talos falls back to the registry host itself unless `skipFallback`.
 *
 * @param routes From {@linkcode registryRoutes}.
 * @returns One document per route.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { talosRegistryMirrors } from "@bosun/sdk";
 * const [doc] = talosRegistryMirrors([{ host: "docker.io", endpoints: ["http://m:5000"] }]);
 * assert.equal(doc!.kind, "RegistryMirrorConfig");
 * assert.equal(doc!.name, "docker.io");
 * ```
 */
export function talosRegistryMirrors(
  routes: readonly RegistryRoute[],
): TalosRegistryMirrorConfig[] {
  return routes.map((route) => ({
    apiVersion: "v1alpha1",
    kind: "RegistryMirrorConfig",
    name: route.host,
    endpoints: route.endpoints.map((url) => ({ url })),
  }));
}

/** The `spec.registryMirrorConfiguration` block of an EKS Anywhere `Cluster`. */
export interface EksaRegistryMirrorConfiguration {
  /** Host name of the mirror. */
  readonly endpoint: string;
  /** Its port, as a string. */
  readonly port: string;
  /** Which upstream registries it serves, and under which namespace. */
  readonly ociNamespaces: readonly { readonly registry: string; readonly namespace: string }[];
  /** Plain HTTP / self-signed: skip TLS verification. */
  readonly insecureSkipVerify: boolean;
}

/**
 * The EKS Anywhere mirror block. EKS Anywhere takes one mirror endpoint, so
 * Bosun points it at the mirror of `public.ecr.aws` (where EKS Anywhere pulls
 * its images) when one is configured, else at the first mirror; the hosts it
 * serves are listed as OCI namespaces.
 *
 * @param registries From {@linkcode planRegistries}.
 * @returns The block, or `undefined` when no mirror is configured.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { applyDefaults, eksaRegistryMirrorConfiguration, planRegistries } from "@bosun/sdk";
 * const regs = planRegistries(applyDefaults({ metadata: { name: "dev" }, spec: { registry: { mirrors: { "public.ecr.aws": "https://public.ecr.aws" } } } }));
 * assert.ok(eksaRegistryMirrorConfiguration(regs)?.endpoint === "dev-mirror-public.ecr.aws");
 * ```
 */
export function eksaRegistryMirrorConfiguration(
  registries: readonly RegistryContainer[],
): EksaRegistryMirrorConfiguration | undefined {
  const mirrors = registries.filter((r) => r.role === "mirror");
  const chosen = mirrors.find((m) => m.mirrorOf === "public.ecr.aws") ?? mirrors[0];
  if (chosen === undefined || chosen.mirrorOf === undefined) return undefined;
  return {
    endpoint: chosen.name,
    port: String(REGISTRY_PORT),
    ociNamespaces: [{ registry: chosen.mirrorOf, namespace: "" }],
    insecureSkipVerify: true,
  };
}
