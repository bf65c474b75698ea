/**
 * Converting a KSail `ksail.yaml` (`ksail.io/v1alpha1` Cluster) into a
 * `bosun.yaml` config.
 *
 * @module
 */

import { parse } from "yaml";
import type { BosunConfig, Distribution } from "../config/mod.ts";
import { ScaffoldError } from "./errors.ts";

/** What {@linkcode convertKsailConfig} produced. */
export interface KsailConversion {
  /** The Bosun config. */
  readonly config: BosunConfig;
  /** Fields that have no Bosun equivalent or changed meaning, one line each. */
  readonly notes: readonly string[];
}

/** Options for {@linkcode convertKsailConfig}. */
export interface KsailConversionOptions {
  /** Directory of the ksail.yaml, to read the distribution config for the cluster name. */
  readonly baseDir?: string;
}

type Obj = Record<string, unknown>;
const obj = (
  v: unknown,
): Obj => (typeof v === "object" && v !== null && !Array.isArray(v) ? v as Obj : {});
const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);

const DISTRIBUTIONS: Readonly<Record<string, Distribution>> = {
  Kind: "Kind",
  K3d: "K3d",
  Talos: "Talos",
  EKS: "EKSAnywhere",
};
/** KSail's cluster names when nothing else says. */
const DEFAULT_NAMES: Readonly<Record<Distribution, string>> = {
  Kind: "kind",
  K3d: "k3d-default",
  Talos: "talos-default",
  EKSAnywhere: "eksa-local",
};

function nameFromContext(context: string | undefined): string | undefined {
  if (!context) return undefined;
  const m = /^(?:kind-|k3d-)(.+)$/.exec(context) ?? /^admin@(.+)$/.exec(context) ??
    /^(.+)-admin@\1$/.exec(context);
  return m?.[1];
}

function nameFromNative(distribution: Distribution, text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  try {
    const doc = obj(parse(text));
    if (distribution === "Kind") return str(doc.name);
    if (distribution === "K3d") return str(obj(doc.metadata).name);
    if (distribution === "EKSAnywhere") return str(obj(doc.metadata).name);
  } catch {
    return undefined;
  }
  return undefined;
}

/**
 * Converts a KSail config. The cluster name comes from the context
 * (`kind-<name>`, `k3d-<name>`, `admin@<name>`), else the distribution
 * config (`kind.yaml` `name`, `k3d.yaml` `metadata.name`), else KSail's
 * default for the distribution. KSail's GitOps-aware default (a local
 * registry when Flux or Argo CD is set) is kept.
 *
 * @param text The ksail.yaml text.
 * @param options Where it lives (to read the distribution config).
 * @returns The Bosun config and notes about fields that were not converted.
 * @throws {ScaffoldError} When the text is not a KSail Cluster config.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { convertKsailConfig } from "@bosun/sdk";
 * const { config } = await convertKsailConfig(
 *   "apiVersion: ksail.io/v1alpha1\nkind: Cluster\nspec:\n  cluster:\n    distribution: K3d\n    gitOpsEngine: Flux\n",
 * );
 * assert.ok(config.spec?.distribution === "K3d" && config.spec.registry?.local?.enabled === true);
 * ```
 */
export async function convertKsailConfig(
  text: string,
  options: KsailConversionOptions = {},
): Promise<KsailConversion> {
  let doc: Obj;
  try {
    doc = obj(parse(text));
  } catch (cause) {
    throw new ScaffoldError("ksail.yaml", `it is not valid YAML: ${(cause as Error).message}`, {
      cause,
    });
  }
  if (doc.apiVersion !== "ksail.io/v1alpha1" || doc.kind !== "Cluster") {
    throw new ScaffoldError(
      "ksail.yaml",
      `expected apiVersion ksail.io/v1alpha1 and kind Cluster, found ${String(doc.apiVersion)} ${
        String(doc.kind)
      }`,
    );
  }
  const spec = obj(doc.spec);
  const cluster = obj(spec.cluster);
  const workload = obj(spec.workload);
  const connection = obj(cluster.connection);
  const notes: string[] = [];

  const rawDistribution = str(cluster.distribution) ?? "Kind";
  const distribution = DISTRIBUTIONS[rawDistribution];
  if (!distribution) {
    throw new ScaffoldError("ksail.yaml", `unknown spec.cluster.distribution "${rawDistribution}"`);
  }
  const nativePath = str(cluster.distributionConfig);
  let nativeText: string | undefined;
  if (nativePath && distribution !== "Talos") {
    const full = nativePath.startsWith("/")
      ? nativePath
      : `${options.baseDir ?? "."}/${nativePath}`;
    nativeText = await Deno.readTextFile(full).catch(() => undefined);
    if (nativeText === undefined) {
      notes.push(`spec.cluster.distributionConfig: ${nativePath} not found; not referenced`);
    }
  }
  if (distribution === "Talos" && nativePath) {
    notes.push(
      `spec.cluster.distributionConfig: ${nativePath} is a KSail patch directory; merge its patches into one file and set spec.distributionConfig`,
    );
  }
  const context = str(connection.context);
  const name = nameFromContext(context) ?? nameFromNative(distribution, nativeText) ??
    DEFAULT_NAMES[distribution];

  const engine = str(cluster.gitOpsEngine) ?? "None";
  const registryField = str(cluster.localRegistry);
  const registryEnabled = registryField ? registryField === "Enabled" : engine !== "None";
  const hostPort = obj(cluster.localRegistryOptions).hostPort ??
    obj(obj(obj(cluster.options).localRegistry)).hostPort;
  const talos = obj(cluster.talos);

  const copy = <K extends string>(key: K) => (str(cluster[key]) ? { [key]: cluster[key] } : {});
  const config: BosunConfig = {
    metadata: { name },
    spec: {
      distribution,
      ...(nativeText !== undefined && nativePath ? { distributionConfig: nativePath } : {}),
      ...(typeof talos.controlPlanes === "number" || typeof talos.workers === "number"
        ? {
          nodes: {
            ...(typeof talos.controlPlanes === "number"
              ? { controlPlanes: talos.controlPlanes }
              : {}),
            ...(typeof talos.workers === "number" ? { workers: talos.workers } : {}),
          },
        }
        : {}),
      ...(str(connection.kubeconfig) ? { kubeconfig: connection.kubeconfig as string } : {}),
      ...(context ? { context } : {}),
      ...copy("cni"),
      ...copy("csi"),
      ...copy("metricsServer"),
      ...copy("certManager"),
      ...copy("policyEngine"),
      registry: {
        local: {
          enabled: registryEnabled,
          ...(typeof hostPort === "number" ? { hostPort } : {}),
        },
      },
      gitops: {
        engine: engine as "None" | "Flux" | "ArgoCD",
        ...(str(workload.sourceDirectory)
          ? { sourceDirectory: workload.sourceDirectory as string }
          : {}),
      },
    } as NonNullable<BosunConfig["spec"]>,
  };
  if (str(spec.editor)) notes.push("spec.editor: Bosun uses $EDITOR; not converted");
  if (str(connection.timeout)) {
    notes.push("spec.cluster.connection.timeout: use --component-timeout on bosun up");
  }
  if (str(obj(cluster.kind).mirrorsDir)) {
    notes.push(
      "spec.cluster.kind.mirrorsDir: declare mirrors in spec.registry.mirrors (host: upstream URL)",
    );
  }
  if (workload.validateOnPush === true) {
    notes.push("spec.workload.validateOnPush: run `bosun validate` before `bosun push`");
  }
  return { config, notes };
}
