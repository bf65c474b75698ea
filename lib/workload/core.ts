/**
 * Generators for built-in Kubernetes kinds: Deployment, Service, ConfigMap,
 * Secret, Ingress and Namespace.
 *
 * @module
 */

import { type CommonOptions, type Manifest, metadataFor, NAME_LABEL } from "./types.ts";

/** Options for {@linkcode deploymentManifest}. */
export interface DeploymentOptions extends CommonOptions {
  /** Container image (`nginx:1.27`). */
  readonly image: string;
  /** Replicas. @default 1 */
  readonly replicas?: number;
  /** Container port to expose. */
  readonly port?: number;
  /** Environment variables. */
  readonly env?: Readonly<Record<string, string>>;
  /** Container arguments. */
  readonly args?: readonly string[];
  /** Container command (entrypoint override). */
  readonly command?: readonly string[];
}

/**
 * Builds an `apps/v1` Deployment with one container, selected by the
 * `app.kubernetes.io/name` label.
 *
 * @param name The Deployment (and container) name.
 * @param options Image, replicas, port, environment.
 * @returns The Deployment.
 * @throws {TypeError} When the name is invalid or `replicas` is negative.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { deploymentManifest } from "@bosun/sdk";
 * const d = deploymentManifest("web", { image: "nginx:1.27", port: 80 });
 * assert.equal(d.kind, "Deployment");
 * ```
 */
export function deploymentManifest(name: string, options: DeploymentOptions): Manifest {
  const replicas = options.replicas ?? 1;
  if (!Number.isInteger(replicas) || replicas < 0) {
    throw new TypeError(`Invalid replicas ${replicas} for Deployment "${name}": use 0 or more`);
  }
  const selector = { [NAME_LABEL]: name };
  const env = Object.entries(options.env ?? {}).map(([k, v]) => ({ name: k, value: v }));
  const container = {
    name,
    image: options.image,
    ...(options.command ? { command: [...options.command] } : {}),
    ...(options.args ? { args: [...options.args] } : {}),
    ...(options.port === undefined
      ? {}
      : { ports: [{ name: "http", containerPort: options.port, protocol: "TCP" }] }),
    ...(env.length === 0 ? {} : { env }),
  };
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: metadataFor(name, options, selector),
    spec: {
      replicas,
      selector: { matchLabels: selector },
      template: {
        metadata: { labels: { ...selector } },
        spec: { containers: [container] },
      },
    },
  };
}

/** Options for {@linkcode serviceManifest}. */
export interface ServiceOptions extends CommonOptions {
  /** Service port. */
  readonly port: number;
  /** Port on the pods. @default port */
  readonly targetPort?: number | string;
  /** Service type. @default "ClusterIP" */
  readonly type?: "ClusterIP" | "NodePort" | "LoadBalancer";
  /** Pod selector. @default { "app.kubernetes.io/name": name } */
  readonly selector?: Readonly<Record<string, string>>;
}

/**
 * Builds a `v1` Service for the pods a {@linkcode deploymentManifest} of the
 * same name creates.
 *
 * @param name The Service name.
 * @param options Port, target port, type and selector.
 * @returns The Service.
 * @throws {TypeError} When the name or port is invalid.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { serviceManifest } from "@bosun/sdk";
 * const s = serviceManifest("web", { port: 80, targetPort: 8080 });
 * assert.equal(s.kind, "Service");
 * ```
 */
export function serviceManifest(name: string, options: ServiceOptions): Manifest {
  assertPort(options.port, `Service "${name}"`);
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: metadataFor(name, options, { [NAME_LABEL]: name }),
    spec: {
      type: options.type ?? "ClusterIP",
      selector: { ...(options.selector ?? { [NAME_LABEL]: name }) },
      ports: [{
        name: "http",
        port: options.port,
        targetPort: options.targetPort ?? options.port,
        protocol: "TCP",
      }],
    },
  };
}

/** Options for {@linkcode configMapManifest}. */
export interface ConfigMapOptions extends CommonOptions {
  /** The entries. */
  readonly data: Readonly<Record<string, string>>;
}

/**
 * Builds a `v1` ConfigMap.
 *
 * @param name The ConfigMap name.
 * @param options The data and metadata.
 * @returns The ConfigMap.
 * @throws {TypeError} When the name is invalid.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { configMapManifest } from "@bosun/sdk";
 * const cm = configMapManifest("settings", { data: { LOG_LEVEL: "debug" } });
 * assert.equal(cm.kind, "ConfigMap");
 * ```
 */
export function configMapManifest(name: string, options: ConfigMapOptions): Manifest {
  return {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: metadataFor(name, options),
    data: { ...options.data },
  };
}

/** Options for {@linkcode secretManifest}. */
export interface SecretOptions extends CommonOptions {
  /** The entries, as plain text (`stringData`). */
  readonly stringData: Readonly<Record<string, string>>;
  /** Secret type. @default "Opaque" */
  readonly type?: string;
}

/**
 * Builds a `v1` Secret from plain-text values (`stringData`). Encrypt it with
 * SOPS before committing it (`bosun gen secret --encrypt`).
 *
 * @param name The Secret name.
 * @param options The values, type and metadata.
 * @returns The Secret.
 * @throws {TypeError} When the name is invalid.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { secretManifest } from "@bosun/sdk";
 * const s = secretManifest("db", { stringData: { password: "s3cret" } });
 * assert.equal(s.type, "Opaque");
 * ```
 */
export function secretManifest(name: string, options: SecretOptions): Manifest {
  return {
    apiVersion: "v1",
    kind: "Secret",
    metadata: metadataFor(name, options),
    type: options.type ?? "Opaque",
    stringData: { ...options.stringData },
  };
}

/** Options for {@linkcode ingressManifest}. */
export interface IngressOptions extends CommonOptions {
  /** Host name routed to the service. */
  readonly host: string;
  /** Backend service. @default name */
  readonly service?: string;
  /** Backend service port. */
  readonly port: number;
  /** Path prefix. @default "/" */
  readonly path?: string;
  /** IngressClass. */
  readonly className?: string;
  /** Secret holding the TLS certificate for `host`. */
  readonly tlsSecret?: string;
}

/**
 * Builds a `networking.k8s.io/v1` Ingress routing one host to one service.
 *
 * @param name The Ingress name.
 * @param options Host, backend, path, class and TLS.
 * @returns The Ingress.
 * @throws {TypeError} When the name or port is invalid.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ingressManifest } from "@bosun/sdk";
 * const i = ingressManifest("web", { host: "web.localtest.me", port: 80 });
 * assert.equal(i.kind, "Ingress");
 * ```
 */
export function ingressManifest(name: string, options: IngressOptions): Manifest {
  assertPort(options.port, `Ingress "${name}"`);
  return {
    apiVersion: "networking.k8s.io/v1",
    kind: "Ingress",
    metadata: metadataFor(name, options),
    spec: {
      ...(options.className === undefined ? {} : { ingressClassName: options.className }),
      ...(options.tlsSecret === undefined
        ? {}
        : { tls: [{ hosts: [options.host], secretName: options.tlsSecret }] }),
      rules: [{
        host: options.host,
        http: {
          paths: [{
            path: options.path ?? "/",
            pathType: "Prefix",
            backend: {
              service: { name: options.service ?? name, port: { number: options.port } },
            },
          }],
        },
      }],
    },
  };
}

/** Options for {@linkcode namespaceManifest}. */
export type NamespaceOptions = Omit<CommonOptions, "namespace">;

/**
 * Builds a `v1` Namespace.
 *
 * @param name The namespace.
 * @param options Labels and annotations.
 * @returns The Namespace.
 * @throws {TypeError} When the name is invalid.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { namespaceManifest } from "@bosun/sdk";
 * assert.equal(namespaceManifest("apps").metadata.name, "apps");
 * ```
 */
export function namespaceManifest(name: string, options: NamespaceOptions = {}): Manifest {
  return { apiVersion: "v1", kind: "Namespace", metadata: metadataFor(name, options) };
}

function assertPort(port: number, what: string): void {
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new TypeError(`Invalid port ${port} for ${what}: use 1-65535`);
  }
}
