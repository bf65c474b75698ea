/**
 * `bootstrapArgoCD`: the Argo CD chart, a repository Secret for the OCI source and the
 * Application `argocd/bosun`.
 *
 * ## SOPS with Argo CD
 *
 * Argo CD does not decrypt SOPS files itself (Flux's kustomize-controller does). Bosun
 * therefore (1) puts the age identities in the Secret `argocd/sops-age` when SOPS is
 * configured, for a config-management plugin such as KSOPS or helm-secrets mounted into
 * the repo-server to use, and (2) leaves the Application plain: without such a plugin,
 * SOPS-encrypted Secrets reach the cluster encrypted and fail to apply. For local
 * development with SOPS, Flux is the engine that works out of the box.
 *
 * @module
 */

import type { Component } from "../components/types.ts";
import { defineHelmComponent } from "../components/define.ts";
import type { Helm } from "../helm/mod.ts";
import { applyManifests, type Kube, type KubeObject, waitForReady } from "../kube/mod.ts";
import { type Reporter, silentReporter } from "../ui/mod.ts";
import { type ClusterLike, toConfig } from "./_target.ts";
import { bootstrapEngine } from "./_bootstrap.ts";
import { findAgeKeys, type SopsKeyOptions } from "./_sops.ts";
import { GITOPS_CHARTS } from "./charts.ts";
import type { BootstrapResult } from "./flux.ts";
import {
  argoApplicationManifest,
  ARGOCD_NAMESPACE,
  argoRepositorySecretManifest,
  type ArgoSourceOptions,
  SOPS_AGE_SECRET,
} from "./manifests.ts";
import {
  argoLocalSource,
  isLocalRegistrySource,
  type LocalRegistrySource,
  withLocalSource,
} from "./source.ts";

/** Options for {@linkcode bootstrapArgoCD}. */
export interface BootstrapArgoCDOptions extends SopsKeyOptions {
  /**
   * What to sync: an OCI source, or `{ localRegistry: true, path?, ref? }` for the cluster's
   * local registry. @default the local registry, plain HTTP, tag `spec.gitops.ref`, path `.`
   */
  readonly source?: ArgoSourceOptions | LocalRegistrySource;
  /** argo-cd chart version. @default pinned in GITOPS_CHARTS (or bosun.yaml's override) */
  readonly chartVersion?: string;
  /** Budget for the whole bootstrap, in milliseconds. @default 600000 */
  readonly timeoutMs?: number;
  /** An open Kubernetes connection. */
  readonly kube?: Kube;
  /** A Helm client. */
  readonly helm?: Helm;
  /** Progress. @default silentReporter */
  readonly reporter?: Reporter;
  /** Cancels the bootstrap. */
  readonly signal?: AbortSignal;
}

/**
 * Bosun's values for the argo-cd chart: stable names (`argocd-server`, `argocd-repo-server`),
 * no Dex, no notifications.
 *
 * @returns The values.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { argoCdValues } from "@bosun/sdk";
 * assert.equal(argoCdValues().fullnameOverride, "argocd");
 * ```
 */
export function argoCdValues(): Record<string, unknown> {
  return { fullnameOverride: "argocd", dex: { enabled: false }, notifications: { enabled: false } };
}

/**
 * The objects Bosun adds to Argo CD for a config: the repository Secret, the Application,
 * and the `sops-age` Secret when age identities are given.
 *
 * @param source The OCI source.
 * @param ageKeys age identities for a SOPS plugin, if any.
 * @returns The objects to apply.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { argoCdManifests } from "@bosun/sdk";
 * const objs = argoCdManifests({ url: "oci://dev-registry:5000/k8s", targetRevision: "latest", insecure: true });
 * assert.equal(objs.length, 2);
 * ```
 */
export function argoCdManifests(source: ArgoSourceOptions, ageKeys?: string): KubeObject[] {
  const objects = [argoRepositorySecretManifest(source), argoApplicationManifest(source)];
  if (ageKeys) {
    objects.unshift({
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: SOPS_AGE_SECRET, namespace: ARGOCD_NAMESPACE },
      type: "Opaque",
      data: { "keys.txt": btoa(ageKeys) },
    });
  }
  return objects;
}

/**
 * The part of the Argo CD bootstrap after the chart: waits for `argocd-server` and
 * `argocd-repo-server`, then applies the repository Secret and the Application.
 *
 * @param cluster The resolved config, or a cluster (the handle `createCluster` returns).
 * @param kube The connection.
 * @param options Source, SOPS keys, timeout, reporter.
 * @returns What was configured.
 * @throws {NotReadyError} The Argo CD servers were not ready in time.
 *
 * @example
 * ```ts ignore
 * import { configureArgoCD, connectKube, loadConfig } from "@bosun/sdk";
 * const { config } = await loadConfig();
 * await configureArgoCD(config, await connectKube());
 * ```
 */
export async function configureArgoCD(
  cluster: ClusterLike,
  kube: Kube,
  options: Omit<BootstrapArgoCDOptions, "kube" | "helm" | "chartVersion"> = {},
): Promise<BootstrapResult> {
  const config = toConfig(cluster);
  const reporter = options.reporter ?? silentReporter;
  const given = options.source;
  const source = given === undefined
    ? argoLocalSource(config)
    : isLocalRegistrySource(given)
    ? argoLocalSource(withLocalSource(config, given))
    : given;
  const ageKeys = await findAgeKeys(config, options);
  const step = reporter.step("Configuring Argo CD");
  try {
    step.update("waiting for argocd-server and argocd-repo-server");
    await waitForReady(
      kube,
      ["argocd-server", "argocd-repo-server"].map((name) => ({
        apiVersion: "apps/v1",
        kind: "Deployment",
        name,
        namespace: ARGOCD_NAMESPACE,
      })),
      { timeoutMs: options.timeoutMs ?? 600_000, signal: options.signal },
    );
    kube.invalidateDiscovery();
    const applied = await applyManifests(kube, argoCdManifests(source, ageKeys), {});
    step.succeed();
    return {
      engine: "ArgoCD",
      url: source.url,
      ref: source.targetRevision,
      sops: ageKeys !== undefined,
      state: "controllers-ready",
      changed: applied.some((r) => r.action !== "unchanged"),
    };
  } catch (error) {
    step.fail(error);
    throw error;
  }
}

/**
 * Installs Argo CD (3.1+, for OCI sources) with its chart, a repository Secret for the OCI
 * source (plain HTTP only for the local registry) and the Application `argocd/bosun`
 * (`repoURL`, `targetRevision`, `path`, automated sync with prune and self-heal). Waits for
 * the server and repo-server. See the module docs for SOPS.
 *
 * @param cluster The config, or a cluster target.
 * @param options Source, chart version, SOPS keys, timeout, connections, reporter.
 * @returns What was configured.
 * @throws {HelmError} The chart could not be installed.
 * @throws {NotReadyError} The servers were not ready in time.
 *
 * @example
 * ```ts ignore
 * import { bootstrapArgoCD } from "@bosun/sdk";
 * await bootstrapArgoCD({ name: "dev", distribution: "Kind" });
 * ```
 */
export async function bootstrapArgoCD(
  cluster: ClusterLike,
  options: BootstrapArgoCDOptions = {},
): Promise<BootstrapResult> {
  return await bootstrapEngine(cluster, {
    chart: "argo-cd",
    values: argoCdValues(),
    configure: configureArgoCD,
  }, options);
}

/**
 * The `argo-cd` GitOps component for the install graph. Enabled when `spec.gitops.engine`
 * is `ArgoCD`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { applyDefaults, argoCdComponent } from "@bosun/sdk";
 * assert.ok(argoCdComponent.enabled(applyDefaults({ spec: { gitops: { engine: "ArgoCD" } } })));
 * ```
 */
export const argoCdComponent: Component = defineHelmComponent({
  name: "argo-cd",
  phase: "gitops",
  chart: GITOPS_CHARTS["argo-cd"].chart,
  version: GITOPS_CHARTS["argo-cd"].version,
  release: GITOPS_CHARTS["argo-cd"].release,
  namespace: GITOPS_CHARTS["argo-cd"].namespace,
  enabled: (config) => config.spec.gitops.engine === "ArgoCD",
  values: () => argoCdValues(),
  async after(ctx) {
    const result = await configureArgoCD(ctx.config, await ctx.kube(), {
      reporter: ctx.step,
      timeoutMs: ctx.timeoutMs,
      signal: ctx.signal,
    });
    return result.changed;
  },
});
