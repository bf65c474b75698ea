/**
 * `bootstrapFlux`: the flux-operator chart and a FluxInstance syncing from the local
 * registry (or a Git repository), with SOPS decryption when configured.
 *
 * @module
 */

import type { ResolvedConfig } from "../config/mod.ts";
import type { Component } from "../components/types.ts";
import { defineHelmComponent } from "../components/define.ts";
import type { Helm } from "../helm/mod.ts";
import { applyManifests, type Kube, type ObjectRef, waitForReady } from "../kube/mod.ts";
import { ArtifactNotFoundError, RegistryUnreachableError } from "../registry/oci/errors.ts";
import { resolveArtifact } from "../registry/oci/pull.ts";
import { type Reporter, silentReporter } from "../ui/mod.ts";
import { type ClusterLike, toConfig } from "./_target.ts";
import { bootstrapEngine } from "./_bootstrap.ts";
import { findAgeKeys, type SopsKeyOptions } from "./_sops.ts";
import { GITOPS_CHARTS } from "./charts.ts";
import {
  FLUX_COMPONENTS,
  FLUX_INSTANCE_NAME,
  FLUX_NAMESPACE,
  fluxInstanceManifest,
  type FluxSyncSource,
  sopsAgeSecretManifest,
} from "./manifests.ts";
import {
  fluxLocalSource,
  gitOpsSource,
  isLocalRegistrySource,
  type LocalRegistrySource,
  withLocalSource,
} from "./source.ts";

/** Options for {@linkcode bootstrapFlux}. */
export interface BootstrapFluxOptions extends SopsKeyOptions {
  /**
   * What to sync: a Flux source, or `{ localRegistry: true, path?, ref? }` for the cluster's
   * local registry (`oci://<cluster>-registry:5000/<path>`, plain HTTP: what `bosun push`
   * pushes from that directory). @default the local registry with `spec.gitops`' directory and ref
   */
  readonly source?: FluxSyncSource | LocalRegistrySource;
  /** flux-operator chart version. @default pinned in GITOPS_CHARTS (or bosun.yaml's override) */
  readonly chartVersion?: string;
  /** Flux distribution version. @default "2.x" */
  readonly fluxVersion?: string;
  /** Budget for the whole bootstrap, in milliseconds. @default 600000 */
  readonly timeoutMs?: number;
  /** An open Kubernetes connection. @default one to the config's context */
  readonly kube?: Kube;
  /** A Helm client. @default one bound to the config's context */
  readonly helm?: Helm;
  /** Progress. @default silentReporter */
  readonly reporter?: Reporter;
  /** Cancels the bootstrap. */
  readonly signal?: AbortSignal;
}

/** What a bootstrap did. */
export interface BootstrapResult {
  /** The engine. */
  readonly engine: "Flux" | "ArgoCD";
  /** The URL the engine syncs from. */
  readonly url: string;
  /** The tag or ref it follows. */
  readonly ref: string;
  /** Whether SOPS decryption was configured. */
  readonly sops: boolean;
  /** `synced` when the engine reported Ready; `waiting-for-push` when nothing has been pushed yet. */
  readonly state: "synced" | "waiting-for-push" | "controllers-ready";
  /** Whether anything in the cluster changed. */
  readonly changed: boolean;
}

const FLUX_CRD: ObjectRef = {
  apiVersion: "apiextensions.k8s.io/v1",
  kind: "CustomResourceDefinition",
  name: "fluxinstances.fluxcd.controlplane.io",
};

/** Whether the local tag exists (undefined when the registry cannot be asked). */
async function pushedYet(config: ResolvedConfig): Promise<boolean | undefined> {
  try {
    await resolveArtifact(gitOpsSource(config).pushRef);
    return true;
  } catch (error) {
    if (error instanceof ArtifactNotFoundError) return false;
    if (error instanceof RegistryUnreachableError) return undefined;
    throw error;
  }
}

/**
 * The part of the Flux bootstrap after the operator chart: waits for the FluxInstance CRD
 * to be Established, writes the `sops-age` Secret when SOPS is configured, applies the
 * FluxInstance and waits for it to be Ready (or, when nothing has been pushed yet, for the
 * Flux controllers). Used by {@linkcode bootstrapFlux} and by the `flux-operator` component.
 *
 * @param cluster The resolved config, or a cluster (the handle `createCluster` returns).
 * @param kube The connection.
 * @param options Source, SOPS keys, timeout, reporter.
 * @returns What was configured.
 * @throws {NotReadyError} The CRD, FluxInstance or controllers were not ready in time (names each).
 * @throws {GitOpsConfigError} SOPS is configured but no age identity was found.
 *
 * @example
 * ```ts ignore
 * import { configureFlux, connectKube, loadConfig } from "@bosun/sdk";
 * const { config } = await loadConfig();
 * await configureFlux(config, await connectKube());
 * ```
 */
export async function configureFlux(
  cluster: ClusterLike,
  kube: Kube,
  options: Omit<BootstrapFluxOptions, "kube" | "helm" | "chartVersion"> = {},
): Promise<BootstrapResult> {
  const config = toConfig(cluster);
  const reporter = options.reporter ?? silentReporter;
  const started = performance.now();
  const budget = () =>
    Math.max(1000, (options.timeoutMs ?? 600_000) - (performance.now() - started));
  const given = options.source;
  const local = given === undefined || isLocalRegistrySource(given);
  const sourceConfig = isLocalRegistrySource(given) ? withLocalSource(config, given) : config;
  const source = given === undefined || isLocalRegistrySource(given)
    ? fluxLocalSource(sourceConfig)
    : given;
  const ageKeys = await findAgeKeys(config, options);
  const step = reporter.step("Configuring Flux");
  try {
    step.update("waiting for the FluxInstance CRD to be Established");
    await waitForReady(kube, [FLUX_CRD], { timeoutMs: budget(), signal: options.signal });
    kube.invalidateDiscovery();
    const objects = [];
    if (ageKeys) objects.push(sopsAgeSecretManifest(ageKeys));
    objects.push(
      fluxInstanceManifest({
        source,
        sops: ageKeys !== undefined,
        ...(options.fluxVersion ? { version: options.fluxVersion } : {}),
      }),
    );
    const applied = await applyManifests(kube, objects, {});
    const changed = applied.some((r) => r.action !== "unchanged");
    const pushed = local ? await pushedYet(sourceConfig) : true;
    let state: BootstrapResult["state"];
    if (pushed === true) {
      step.update("waiting for FluxInstance flux-system/flux to be Ready");
      await waitForReady(kube, [{
        apiVersion: "fluxcd.controlplane.io/v1",
        kind: "FluxInstance",
        name: FLUX_INSTANCE_NAME,
        namespace: FLUX_NAMESPACE,
      }], { timeoutMs: budget(), signal: options.signal });
      state = "synced";
    } else {
      step.update("waiting for the Flux controllers");
      await waitForReady(
        kube,
        FLUX_COMPONENTS.slice(0, 2).map((name) => ({
          apiVersion: "apps/v1",
          kind: "Deployment",
          name,
          namespace: FLUX_NAMESPACE,
        })),
        { timeoutMs: budget(), signal: options.signal },
      );
      state = pushed === false ? "waiting-for-push" : "controllers-ready";
    }
    step.succeed(state === "waiting-for-push" ? "nothing pushed yet: run bosun push" : state);
    return {
      engine: "Flux",
      url: source.url,
      ref: source.ref,
      sops: ageKeys !== undefined,
      state,
      changed,
    };
  } catch (error) {
    step.fail(error);
    throw error;
  }
}

/**
 * Installs Flux through the flux-operator chart and a `FluxInstance` `flux-system/flux`
 * whose sync is the cluster's local registry (`oci://<cluster>-registry:5000/<source dir>`,
 * plain HTTP) unless another source is given. With SOPS recipients in the config (or an age
 * key given), the Secret `flux-system/sops-age` holds every age identity and decryption is
 * enabled on the synced Kustomization. Idempotent.
 *
 * @param cluster The config, or a cluster target.
 * @param options Source, chart version, SOPS keys, timeout, connections, reporter.
 * @returns What was configured.
 * @throws {HelmError} The chart could not be installed.
 * @throws {NotReadyError} Something was not ready in time; the error names it.
 * @throws {GitOpsConfigError} The config has no usable source or SOPS key.
 *
 * @example Follow what `bosun push` pushes from `k8s/` to the local registry
 * ```ts ignore
 * import assert from "node:assert/strict";
 * import { bootstrapFlux } from "@bosun/sdk";
 * const result = await bootstrapFlux({ name: "dev", distribution: "Kind" }, {
 *   source: { localRegistry: true, path: "k8s" },
 * });
 * assert.equal(result.url, "oci://dev-registry:5000/k8s");
 * ```
 */
export async function bootstrapFlux(
  cluster: ClusterLike,
  options: BootstrapFluxOptions = {},
): Promise<BootstrapResult> {
  return await bootstrapEngine(cluster, {
    chart: "flux-operator",
    values: {},
    configure: configureFlux,
  }, options);
}

/**
 * The `flux-operator` GitOps component for the install graph: the operator chart, then
 * {@linkcode configureFlux}. Enabled when `spec.gitops.engine` is `Flux`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { applyDefaults, fluxComponent } from "@bosun/sdk";
 * const config = applyDefaults({ spec: { gitops: { engine: "Flux" } } });
 * assert.ok(fluxComponent.enabled(config));
 * assert.equal(fluxComponent.phase, "gitops");
 * ```
 */
export const fluxComponent: Component = defineHelmComponent({
  name: "flux-operator",
  phase: "gitops",
  chart: GITOPS_CHARTS["flux-operator"].chart,
  version: GITOPS_CHARTS["flux-operator"].version,
  release: GITOPS_CHARTS["flux-operator"].release,
  namespace: GITOPS_CHARTS["flux-operator"].namespace,
  enabled: (config) => config.spec.gitops.engine === "Flux",
  async after(ctx) {
    const result = await configureFlux(ctx.config, await ctx.kube(), {
      reporter: ctx.step,
      timeoutMs: ctx.timeoutMs,
      signal: ctx.signal,
    });
    return result.changed;
  },
});
