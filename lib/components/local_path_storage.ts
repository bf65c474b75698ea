/**
 * Rancher's local-path-provisioner as the default StorageClass `local-path`,
 * applied with server-side apply from its pinned release layout. From the
 * distribution's capabilities: where it already ships that class (K3d) it is
 * never installed twice; volumes live under the node's writable data
 * directory (`/opt`, or `/var` on Talos); where a Pod Security level is
 * enforced everywhere (Talos: `baseline`) the namespace allows the privileged
 * helper pods.
 *
 * The manifest is built as typed objects (nothing is downloaded). To apply
 * the upstream file instead, set `manifestUrl` and `sha256` in
 * `spec.components.local-path-storage.values`: it is fetched at install time
 * and applied only when its sha256 matches.
 *
 * @module
 */

import { parseAllDocuments } from "yaml";
import { capabilitiesOf } from "../cluster/providers.ts";
import type { ResolvedConfig } from "../config/mod.ts";
import { mergeValues } from "../helm/mod.ts";
import { applyManifests, type KubeObject, waitForReady } from "../kube/mod.ts";
import {
  adaptFetched,
  LOCAL_PATH_CLASS,
  LOCAL_PATH_NAMESPACE,
  localPathObjects,
  type LocalPathSettings,
} from "./_local_path_objects.ts";
import { overrideOf } from "./_target.ts";
import { ComponentConfigError } from "./errors.ts";
import { installComponent, type InstallComponentOptions } from "./execute.ts";
import { fetchVerifiedManifest, sha256Hex } from "./manifest.ts";
import type { ClusterTarget, Component, ComponentPlan, ComponentResult } from "./types.ts";
import { PINNED_MANIFESTS } from "./versions.ts";

const NAME = "local-path-storage";
const PINNED = PINNED_MANIFESTS[NAME];

/** Values of the local-path-storage component (bosun.yaml `spec.components.local-path-storage.values`). */
export interface LocalPathValues {
  /** Host directories for volumes. @default `/opt/local-path-provisioner` (Talos: `/var/local-path-provisioner`) */
  readonly nodePaths?: readonly string[];
  /** Make `local-path` the default StorageClass. @default true */
  readonly defaultClass?: boolean;
  /** Apply this upstream manifest instead of the built-in objects (needs `sha256`). */
  readonly manifestUrl?: string;
  /** The pinned sha256 of `manifestUrl`. */
  readonly sha256?: string;
}

/**
 * The component's values for a config (before bosun.yaml overrides).
 *
 * @param config The resolved config.
 * @returns The values.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { applyDefaults, localPathValues } from "@bosun/sdk";
 * const v = localPathValues(applyDefaults({ spec: { distribution: "Talos" } }));
 * assert.equal(v.nodePaths?.[0], "/var/local-path-provisioner");
 * ```
 */
export function localPathValues(config: ResolvedConfig): LocalPathValues {
  const dataDir = capabilitiesOf(config.spec.distribution).nodes.dataDir;
  return { nodePaths: [`${dataDir}/local-path-provisioner`], defaultClass: true };
}

function settings(config: ResolvedConfig, plan: ComponentPlan): LocalPathSettings {
  const v = plan.values as LocalPathValues;
  const enforced = capabilitiesOf(config.spec.distribution).nodes.podSecurity;
  return {
    version: plan.version,
    nodePaths: v.nodePaths ?? [],
    defaultClass: v.defaultClass !== false,
    podSecurity: enforced === undefined ? undefined : "privileged",
  };
}

/**
 * Whether Bosun installs local-path storage: `spec.csi: LocalPathStorage`,
 * unless the distribution already ships Rancher's provisioner as the
 * `local-path` class (K3d). Kind's own build of it is the `standard` class, so
 * on Kind the `local-path` class is added.
 *
 * @param config The resolved config.
 * @returns Whether to install it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { applyDefaults, needsLocalPathStorage } from "@bosun/sdk";
 * assert.equal(needsLocalPathStorage(applyDefaults({ spec: { distribution: "K3d", csi: "LocalPathStorage" } })), false);
 * assert.equal(needsLocalPathStorage(applyDefaults({ spec: { distribution: "Talos", csi: "LocalPathStorage" } })), true);
 * ```
 */
export function needsLocalPathStorage(config: ResolvedConfig): boolean {
  const storage = capabilitiesOf(config.spec.distribution).bundled.storage;
  const shipped = storage?.provisioner === "rancher.io/local-path" &&
    storage.storageClass === LOCAL_PATH_CLASS;
  return config.spec.csi === "LocalPathStorage" && !shipped;
}

function planLocalPath(config: ResolvedConfig): ComponentPlan {
  const override = overrideOf(config, NAME);
  const values = mergeValues(
    localPathValues(config) as Record<string, unknown>,
    override?.values,
  ) as LocalPathValues;
  if ((values.manifestUrl === undefined) !== (values.sha256 === undefined)) {
    throw new ComponentConfigError(NAME, "manifestUrl and sha256 must be set together");
  }
  const draft: ComponentPlan = {
    name: NAME,
    phase: "addon",
    dependsOn: [],
    source: { type: "manifest", chart: values.manifestUrl ?? PINNED.url, sha256: "" },
    release: "local-path-provisioner",
    version: override?.version ?? PINNED.version,
    namespace: LOCAL_PATH_NAMESPACE,
    values: values as Record<string, unknown>,
  };
  const sha = values.sha256 ??
    sha256Hex(JSON.stringify(localPathObjects(settings(config, draft))));
  return { ...draft, source: { type: "manifest", chart: draft.source.chart, sha256: sha } };
}

/** The local-path-storage component (enabled by `spec.csi: LocalPathStorage` unless the distribution ships it). */
export const localPathStorage: Component<"local-path-storage"> = {
  name: NAME,
  phase: "addon",
  dependsOn: [],
  enabled: needsLocalPathStorage,
  plan: planLocalPath,
  async install(ctx) {
    const started = performance.now();
    const s = settings(ctx.config, ctx.plan);
    const v = ctx.plan.values as LocalPathValues;
    let objects: KubeObject[];
    if (v.manifestUrl !== undefined && v.sha256 !== undefined) {
      ctx.step.update(`fetching ${v.manifestUrl}`);
      const text = await fetchVerifiedManifest(v.manifestUrl, v.sha256, { signal: ctx.signal });
      const docs = parseAllDocuments(text).map((d) => d.toJS() as KubeObject | null);
      objects = adaptFetched(docs.filter((d): d is KubeObject => d !== null), s);
    } else {
      objects = localPathObjects(s);
    }
    const kube = await ctx.kube();
    ctx.step.update(`applying ${objects.length} objects`);
    const results = await applyManifests(kube, objects);
    const deployments = results.filter((r) => r.ref.kind === "Deployment").map((r) => r.ref);
    ctx.step.update("waiting for local-path-provisioner");
    await waitForReady(kube, deployments, {
      timeoutMs: Math.max(1000, ctx.timeoutMs - (performance.now() - started)),
      signal: ctx.signal,
    });
    const changed = results.filter((r) => r.action !== "unchanged").length;
    return { changed: changed > 0, note: changed ? `${changed} objects changed` : "unchanged" };
  },
};

/**
 * Applies local-path-provisioner and makes `local-path` the default
 * StorageClass, then waits until the provisioner is ready.
 *
 * @param target A resolved config, or a cluster.
 * @param options Reporter, timeout, clients.
 * @returns What happened, with timings.
 * @throws {ComponentInstallError} Names the manifest and the cause (a checksum mismatch included).
 *
 * @example
 * ```ts ignore
 * import { installLocalPathStorage } from "@bosun/sdk";
 * await installLocalPathStorage({ name: "dev", distribution: "Kind" });
 * ```
 */
export function installLocalPathStorage(
  target: ResolvedConfig | ClusterTarget,
  options: InstallComponentOptions = {},
): Promise<ComponentResult> {
  return installComponent(localPathStorage, target, options);
}
