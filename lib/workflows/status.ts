/**
 * {@linkcode statusWorkflow}: the cluster, its nodes, each component's
 * health, and the GitOps sync state and revision.
 *
 * @module
 */

import type { ResolvedConfig } from "../config/mod.ts";
import type { Kube, KubeObject } from "../kube/mod.ts";
import { loadWorkflowConfig } from "./_common.ts";
import type { WorkflowOptions } from "./types.ts";

/** One node. */
export interface NodeStatus {
  /** Node name. */
  readonly name: string;
  /** Whether its Ready condition is True. */
  readonly ready: boolean;
  /** kubelet version. */
  readonly version: string | undefined;
}

/** One component. */
export interface ComponentStatusLine {
  /** Component name. */
  readonly name: string;
  /** Pinned (or overridden) version Bosun would install. */
  readonly wanted: string;
  /** Installed chart version, when a Helm release exists. */
  readonly installed: string | undefined;
  /** Helm release status (`deployed`, `failed`, …), `missing`, or `manifest`. */
  readonly status: string;
}

/** GitOps sync state. */
export interface GitOpsStatus {
  /** The engine. */
  readonly engine: "Flux" | "ArgoCD";
  /** Whether the root object is synced and healthy. */
  readonly ready: boolean;
  /** The revision applied. */
  readonly revision: string | undefined;
  /** The engine's message. */
  readonly message: string | undefined;
}

/** What {@linkcode statusWorkflow} found. */
export interface StatusResult {
  /** Cluster name. */
  readonly cluster: string;
  /** Distribution. */
  readonly distribution: string;
  /** Kubeconfig context. */
  readonly context: string;
  /** Whether the cluster exists. */
  readonly exists: boolean;
  /** Bosun's registry containers and their state. */
  readonly registries: readonly {
    readonly name: string;
    readonly role: string;
    readonly state: string;
  }[];
  /** Nodes as the API reports them (empty when the cluster does not exist). */
  readonly nodes: readonly NodeStatus[];
  /** Components the config enables. */
  readonly components: readonly ComponentStatusLine[];
  /** GitOps, when an engine is configured and the cluster exists. */
  readonly gitops: GitOpsStatus | undefined;
}

/**
 * Reports the platform's state: the cluster and registry containers, nodes,
 * each enabled component's Helm release, and the GitOps root object's sync
 * state and revision.
 *
 * @param options Config, runner, a Kube connection.
 * @returns The status.
 * @throws {ToolNotFoundError} Docker or the distribution's CLI is missing.
 *
 * @example
 * ```ts ignore
 * import { statusWorkflow } from "@bosun/sdk";
 * const s = await statusWorkflow();
 * console.log(s.exists ? `${s.nodes.length} nodes` : "not created");
 * ```
 */
export async function statusWorkflow(options: WorkflowOptions = {}): Promise<StatusResult> {
  const { config, baseDir } = await loadWorkflowConfig(options);
  const { describeCluster } = await import("../cluster/mod.ts");
  const described = await describeCluster(config, {
    baseDir,
    ...(options.runner ? { runner: options.runner } : {}),
    ...(options.stateDir ? { stateDir: options.stateDir } : {}),
  });
  const base = {
    cluster: described.name,
    distribution: described.distribution,
    context: described.context,
    exists: described.exists,
    registries: described.registries,
  };
  if (!described.exists) return { ...base, nodes: [], components: [], gitops: undefined };
  const kubeMod = await import("../kube/mod.ts");
  const kube = options.kube ??
    await kubeMod.connectKube({ kubeconfig: described.kubeconfig, context: described.context });
  try {
    const nodes = (await kube.list("v1", "Node")).map((n) => ({
      name: n.metadata.name ?? "",
      ready: kubeMod.getCondition(n, "Ready")?.status === "True",
      version: (n.status as { nodeInfo?: { kubeletVersion?: string } } | undefined)?.nodeInfo
        ?.kubeletVersion,
    }));
    return {
      ...base,
      nodes,
      components: await componentLines(config, described.kubeconfig, described.context, options),
      gitops: await gitopsStatus(config, kube),
    };
  } finally {
    if (!options.kube) kube.close();
  }
}

async function componentLines(
  config: ResolvedConfig,
  kubeconfig: string,
  context: string,
  options: WorkflowOptions,
): Promise<ComponentStatusLine[]> {
  const { planComponents } = await import("../components/mod.ts");
  const { GITOPS_COMPONENTS } = await import("../gitops/mod.ts");
  const { connectHelm } = await import("../helm/mod.ts");
  const graph = planComponents(config, { extraComponents: GITOPS_COMPONENTS });
  if (graph.nodes.length === 0) return [];
  const helm = await connectHelm({
    kubeconfig,
    context,
    ...(options.runner ? { runner: options.runner } : {}),
  });
  const out: ComponentStatusLine[] = [];
  for (const plan of graph.nodes) {
    if (plan.source.type !== "helm") {
      out.push({ name: plan.name, wanted: plan.version, installed: undefined, status: "manifest" });
      continue;
    }
    const release = await helm.status(plan.release, { namespace: plan.namespace });
    out.push({
      name: plan.name,
      wanted: plan.version,
      installed: release ? release.chart.slice(release.chart.lastIndexOf("-") + 1) : undefined,
      status: release?.status ?? "missing",
    });
  }
  return out;
}

async function gitopsStatus(config: ResolvedConfig, kube: Kube): Promise<GitOpsStatus | undefined> {
  const engine = config.spec.gitops.engine;
  if (engine === "None") return undefined;
  const { getCondition } = await import("../kube/mod.ts");
  const read = async (ref: Parameters<Kube["get"]>[0]): Promise<KubeObject | undefined> => {
    try {
      return await kube.get(ref);
    } catch {
      return undefined; // CRD not installed yet
    }
  };
  if (engine === "Flux") {
    const k = await read({
      apiVersion: "kustomize.toolkit.fluxcd.io/v1",
      kind: "Kustomization",
      name: "flux-system",
      namespace: "flux-system",
    });
    const ready = getCondition(k, "Ready");
    const status = k?.status as { lastAppliedRevision?: string } | undefined;
    return {
      engine,
      ready: ready?.status === "True",
      revision: status?.lastAppliedRevision,
      message: k ? ready?.message : "flux-system/flux-system does not exist",
    };
  }
  const app = await read({
    apiVersion: "argoproj.io/v1alpha1",
    kind: "Application",
    name: "bosun",
    namespace: "argocd",
  });
  const s = app?.status as
    | {
      sync?: { status?: string; revision?: string };
      health?: { status?: string; message?: string };
    }
    | undefined;
  return {
    engine,
    ready: s?.sync?.status === "Synced" && s.health?.status === "Healthy",
    revision: s?.sync?.revision,
    message: app
      ? `${s?.sync?.status ?? "Unknown"}, ${s?.health?.status ?? "Unknown"}`
      : "argocd/bosun does not exist",
  };
}
