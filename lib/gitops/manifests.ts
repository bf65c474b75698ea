/**
 * The objects Bosun generates for GitOps, as typed objects (serialise them with `yaml`).
 * Pure functions: no cluster access.
 *
 * @module
 */

import { stringify } from "yaml";
import type { KubeObject } from "../kube/mod.ts";

/** Namespace and name of the Flux objects (`flux-system/flux-system`). */
export const FLUX_NAMESPACE = "flux-system";
/** Name of the OCIRepository/Kustomization the FluxInstance creates (`flux-system/flux-system`). */
export const FLUX_NAME = "flux-system";
/** Name of the FluxInstance: the operator accepts only `flux` (its CRD's validation rule). */
export const FLUX_INSTANCE_NAME = "flux";
/** Namespace of Argo CD. */
export const ARGOCD_NAMESPACE = "argocd";
/** Name of the Argo CD Application Bosun creates. */
export const ARGOCD_APP = "bosun";
/** Name of the Secret holding the age identity Flux decrypts SOPS files with. */
export const SOPS_AGE_SECRET = "sops-age";

/** A Flux sync source. */
export type FluxSyncSource =
  | {
    /** An OCI artifact. */
    readonly kind: "OCIRepository";
    /** `oci://host/repository`. */
    readonly url: string;
    /** The tag. */
    readonly ref: string;
    /** Path inside the artifact. @default "./" */
    readonly path?: string;
    /** Plain HTTP (only for the local registry). @default false */
    readonly insecure?: boolean;
    /** Secret with registry credentials. */
    readonly pullSecret?: string;
  }
  | {
    /** A Git repository. */
    readonly kind: "GitRepository";
    /** HTTPS or SSH URL. */
    readonly url: string;
    /** A Git ref, e.g. `refs/heads/main`. */
    readonly ref: string;
    /** Path inside the repository. @default "./" */
    readonly path?: string;
    /** Secret with Git credentials. */
    readonly pullSecret?: string;
  };

/** Options for {@linkcode fluxInstanceManifest}. */
export interface FluxInstanceOptions {
  /** What the cluster syncs from. */
  readonly source: FluxSyncSource;
  /** Flux distribution version. @default "2.x" */
  readonly version?: string;
  /** Enable SOPS decryption with the `sops-age` Secret on the synced Kustomization. @default false */
  readonly sops?: boolean;
  /** Sync interval. @default "1m" */
  readonly interval?: string;
}

/** Flux controllers Bosun installs. */
export const FLUX_COMPONENTS = [
  "source-controller",
  "kustomize-controller",
  "helm-controller",
  "notification-controller",
] as const;

function jsonPatch(ops: readonly Record<string, unknown>[]): string {
  return stringify(ops);
}

/**
 * The `FluxInstance` `flux-system/flux` (the only name the operator accepts). Its sync creates the OCIRepository (or
 * GitRepository) and Kustomization `flux-system/flux-system`; `insecure: true` (plain HTTP,
 * local registry only) and SOPS decryption are set on those through `spec.kustomize.patches`,
 * because the FluxInstance sync has no fields for them.
 *
 * @param options Source, version, SOPS.
 * @returns The object.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fluxInstanceManifest } from "@bosun/sdk";
 * const fi = fluxInstanceManifest({ source: { kind: "OCIRepository", url: "oci://dev-registry:5000/k8s", ref: "latest", insecure: true } });
 * assert.equal((fi.spec as { sync: { kind: string } }).sync.kind, "OCIRepository");
 * ```
 */
export function fluxInstanceManifest(options: FluxInstanceOptions): KubeObject {
  const { source } = options;
  const patches: { patch: string; target: Record<string, string> }[] = [];
  if (source.kind === "OCIRepository" && source.insecure) {
    patches.push({
      patch: jsonPatch([{ op: "add", path: "/spec/insecure", value: true }]),
      target: { group: "source.toolkit.fluxcd.io", kind: "OCIRepository", name: FLUX_NAME },
    });
  }
  if (options.sops) {
    patches.push({
      patch: jsonPatch([{
        op: "add",
        path: "/spec/decryption",
        value: { provider: "sops", secretRef: { name: SOPS_AGE_SECRET } },
      }]),
      target: { group: "kustomize.toolkit.fluxcd.io", kind: "Kustomization", name: FLUX_NAME },
    });
  }
  return {
    apiVersion: "fluxcd.controlplane.io/v1",
    kind: "FluxInstance",
    metadata: { name: FLUX_INSTANCE_NAME, namespace: FLUX_NAMESPACE },
    spec: {
      distribution: { version: options.version ?? "2.x", registry: "ghcr.io/fluxcd" },
      components: [...FLUX_COMPONENTS],
      cluster: { type: "kubernetes", networkPolicy: true, domain: "cluster.local" },
      sync: {
        kind: source.kind,
        url: source.url,
        ref: source.ref,
        path: source.path ?? "./",
        interval: options.interval ?? "1m",
        name: FLUX_NAME,
        ...(source.pullSecret ? { pullSecret: source.pullSecret } : {}),
      },
      ...(patches.length ? { kustomize: { patches } } : {}),
    },
  };
}

/**
 * The OCIRepository (or GitRepository) and Kustomization `flux-system/flux-system` as the
 * flux-operator creates them from {@linkcode fluxInstanceManifest} with Bosun's patches
 * applied. Bosun does not apply these itself (the operator owns them); they serve dry-run
 * validation, tests, and clusters that run Flux without the operator.
 *
 * @param options The same options as for the FluxInstance.
 * @returns `[source, kustomization]`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fluxSyncManifests } from "@bosun/sdk";
 * const [src, ks] = fluxSyncManifests({ source: { kind: "OCIRepository", url: "oci://dev-registry:5000/k8s", ref: "latest" }, sops: true });
 * assert.equal(src!.kind, "OCIRepository");
 * assert.equal(ks!.kind, "Kustomization");
 * ```
 */
export function fluxSyncManifests(options: FluxInstanceOptions): KubeObject[] {
  const { source } = options;
  const interval = options.interval ?? "1m";
  const meta = { name: FLUX_NAME, namespace: FLUX_NAMESPACE };
  const sourceObj: KubeObject = source.kind === "OCIRepository"
    ? {
      apiVersion: "source.toolkit.fluxcd.io/v1",
      kind: "OCIRepository",
      metadata: { ...meta },
      spec: {
        interval,
        url: source.url,
        ref: { tag: source.ref },
        ...(source.insecure ? { insecure: true } : {}),
        ...(source.pullSecret ? { secretRef: { name: source.pullSecret } } : {}),
      },
    }
    : {
      apiVersion: "source.toolkit.fluxcd.io/v1",
      kind: "GitRepository",
      metadata: { ...meta },
      spec: {
        interval,
        url: source.url,
        ref: { name: source.ref },
        ...(source.pullSecret ? { secretRef: { name: source.pullSecret } } : {}),
      },
    };
  const kustomization: KubeObject = {
    apiVersion: "kustomize.toolkit.fluxcd.io/v1",
    kind: "Kustomization",
    metadata: { ...meta },
    spec: {
      interval: "10m",
      path: source.path ?? "./",
      prune: true,
      sourceRef: { kind: source.kind, name: FLUX_NAME },
      ...(options.sops
        ? { decryption: { provider: "sops", secretRef: { name: SOPS_AGE_SECRET } } }
        : {}),
    },
  };
  return [sourceObj, kustomization];
}

/**
 * The Secret `flux-system/sops-age` kustomize-controller decrypts SOPS files with. Every
 * identity in `ageKeys` is kept (a keys.txt with several identities works as a whole).
 *
 * @param ageKeys The age identity file content (`AGE-SECRET-KEY-1…` lines, comments allowed).
 * @returns The Secret (data base64-encoded).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { sopsAgeSecretManifest } from "@bosun/sdk";
 * const s = sopsAgeSecretManifest("AGE-SECRET-KEY-1XYZ\n");
 * assert.equal(s.metadata.name, "sops-age");
 * ```
 */
export function sopsAgeSecretManifest(ageKeys: string): KubeObject {
  return {
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name: SOPS_AGE_SECRET, namespace: FLUX_NAMESPACE },
    type: "Opaque",
    data: { "age.agekey": btoa(ageKeys.endsWith("\n") ? ageKeys : `${ageKeys}\n`) },
  };
}

/** Options for the Argo CD objects. */
export interface ArgoSourceOptions {
  /** `oci://host/repository`. */
  readonly url: string;
  /** The tag. */
  readonly targetRevision: string;
  /** Path inside the artifact. @default "." */
  readonly path?: string;
  /** Plain HTTP (local registry only). @default false */
  readonly insecure?: boolean;
  /** Destination namespace for objects that set none. @default "default" */
  readonly namespace?: string;
}

/**
 * The repository Secret `argocd/bosun-oci-source` that tells Argo CD how to reach the OCI
 * source (`type: oci`, and `insecureOCIForceHttp` for the plain-HTTP local registry).
 *
 * @param options The source.
 * @returns The Secret.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { argoRepositorySecretManifest } from "@bosun/sdk";
 * const s = argoRepositorySecretManifest({ url: "oci://dev-registry:5000/k8s", targetRevision: "latest", insecure: true });
 * assert.ok(s.metadata.labels?.["argocd.argoproj.io/secret-type"] === "repository");
 * ```
 */
export function argoRepositorySecretManifest(options: ArgoSourceOptions): KubeObject {
  const data: Record<string, string> = { type: "oci", url: options.url, name: "bosun" };
  if (options.insecure) data.insecureOCIForceHttp = "true";
  return {
    apiVersion: "v1",
    kind: "Secret",
    metadata: {
      name: "bosun-oci-source",
      namespace: ARGOCD_NAMESPACE,
      labels: {
        "argocd.argoproj.io/secret-type": "repository",
        "app.kubernetes.io/managed-by": "bosun",
      },
    },
    type: "Opaque",
    data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, btoa(v)])),
  };
}

/**
 * The Application `argocd/bosun`: source `repoURL`/`targetRevision`/`path`, destination the
 * local cluster, automated sync with prune and self-heal, namespaces created on demand.
 *
 * @param options The source.
 * @returns The Application.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { argoApplicationManifest } from "@bosun/sdk";
 * const app = argoApplicationManifest({ url: "oci://dev-registry:5000/k8s", targetRevision: "latest" });
 * assert.equal((app.spec as { source: { path: string } }).source.path, ".");
 * ```
 */
export function argoApplicationManifest(options: ArgoSourceOptions): KubeObject {
  return {
    apiVersion: "argoproj.io/v1alpha1",
    kind: "Application",
    metadata: { name: ARGOCD_APP, namespace: ARGOCD_NAMESPACE },
    spec: {
      project: "default",
      source: {
        repoURL: options.url,
        targetRevision: options.targetRevision,
        path: options.path ?? ".",
      },
      destination: {
        server: "https://kubernetes.default.svc",
        namespace: options.namespace ?? "default",
      },
      syncPolicy: {
        automated: { prune: true, selfHeal: true },
        syncOptions: ["CreateNamespace=true"],
      },
    },
  };
}
