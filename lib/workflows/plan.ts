/**
 * {@linkcode planUpWorkflow} and {@linkcode formatUpPlan}: everything `up` would do —
 * registry and mirrors, the cluster, the components in dependency order, the GitOps
 * objects and the first push — worked out without running anything.
 *
 * @module
 */

import { type ClusterPlan, formatPlan, planCluster } from "../cluster/plan.ts";
import { formatComponentGraph } from "../components/format.ts";
import type { ComponentGraph } from "../components/graph.ts";
import { planComponents } from "../components/install.ts";
import { GITOPS_COMPONENTS } from "../gitops/components.ts";
import { type GitOpsPlan, planGitOps } from "../gitops/plan.ts";
import { planRegistries, type RegistryContainer } from "../registry/plan.ts";
import { firstPush, loadWorkflowConfig } from "./_common.ts";
import type { WorkflowOptions } from "./types.ts";

/** Options for {@linkcode planUpWorkflow}. */
export interface UpPlanOptions extends Omit<WorkflowOptions, "runner" | "reporter" | "kube"> {
  /** Whether `up` would push and wait for the first reconcile. @default true when an engine is set */
  readonly push?: boolean;
}

/** What {@linkcode planUpWorkflow} says `up` would do. */
export interface UpPlan {
  /** The bosun.yaml it came from (`undefined`: an object, or the defaults). */
  readonly configFile: string | undefined;
  /** The local registry and the pull-through mirrors. */
  readonly registries: readonly RegistryContainer[];
  /**
   * The cluster: every file with its content and every command with its arguments
   * (registries and mirrors included), the context merge and the registry ConfigMap —
   * as if nothing existed yet (`up` skips what exists).
   */
  readonly cluster: ClusterPlan;
  /** The components, CNI first and the GitOps engine last, with chart versions and values. */
  readonly components: ComponentGraph;
  /** The objects the GitOps bootstrap applies (`undefined`: no engine). */
  readonly gitops: GitOpsPlan | undefined;
  /** The first push: the directory and the reference it goes to, or why there is none. */
  readonly push:
    | { readonly directory: string; readonly reference: string; readonly skipped?: undefined }
    | { readonly skipped: string; readonly directory?: undefined; readonly reference?: undefined };
}

/**
 * Plans `up` for a bosun.yaml without touching anything: no process is started, no
 * container, file or kubeconfig is created or changed (files are only read: the config, a
 * native distribution config, whether the source directory exists).
 *
 * @param options Config, state directory, whether `up` would push.
 * @returns The whole plan; {@linkcode formatUpPlan} renders it.
 * @throws {ConfigError} The config is invalid.
 * @throws {ClusterInputError} The native distribution config cannot be read or merged.
 * @throws {ComponentGraphError} Unknown component names or a dependency cycle.
 * @throws {GitOpsConfigError} An engine is set but the local registry is disabled.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { planUpWorkflow } from "@bosun/sdk";
 * const plan = await planUpWorkflow({
 *   config: { metadata: { name: "dev" }, spec: { cni: "Cilium", gitops: { engine: "Flux" } } },
 *   stateDir: "/tmp/bosun-dev",
 * });
 * assert.equal(plan.components.waves[0]?.[0], "cilium");
 * assert.equal(plan.gitops?.source.url, "oci://dev-registry:5000/k8s");
 * ```
 */
export async function planUpWorkflow(options: UpPlanOptions = {}): Promise<UpPlan> {
  const { config, baseDir, path } = await loadWorkflowConfig(options);
  const cluster = await planCluster(config, {
    baseDir,
    ...(options.stateDir ? { stateDir: options.stateDir } : {}),
  });
  const gitops = planGitOps(config);
  const push = await firstPush(config, baseDir, options.push);
  return {
    configFile: path,
    registries: planRegistries(config),
    cluster,
    components: planComponents(config, { extraComponents: GITOPS_COMPONENTS }),
    gitops,
    push: push.skipped !== undefined || gitops === undefined
      ? { skipped: push.skipped ?? "no GitOps engine" }
      : { directory: push.directory, reference: gitops.source.pushRef },
  };
}

function registryLine(r: RegistryContainer, width: number): string {
  const name = r.name.padEnd(width);
  return r.role === "registry"
    ? `  ${name}  local registry, 127.0.0.1:${r.hostPort} → 5000, in cluster ${
      r.endpoint.replace(/^http:\/\//, "")
    }`
    : `  ${name}  mirror of ${r.mirrorOf} ← ${r.upstream}`;
}

/**
 * Renders an {@linkcode UpPlan} for people: registry and mirrors, the cluster plan
 * (`formatPlan`), the component waves with chart versions (`formatComponentGraph`), the
 * GitOps objects and the first push.
 *
 * @param plan From {@linkcode planUpWorkflow}.
 * @returns The text.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatUpPlan, planUpWorkflow } from "@bosun/sdk";
 * const text = formatUpPlan(await planUpWorkflow({ config: { metadata: { name: "dev" } }, stateDir: "/tmp/b" }));
 * assert.match(text, /^Registry and mirrors\n {2}dev-registry {2}local registry/m);
 * assert.match(text, /^First push\n {2}none: no GitOps engine$/m);
 * ```
 */
export function formatUpPlan(plan: UpPlan): string {
  const c = plan.cluster;
  const lines = [
    `Plan: up "${c.cluster}" (${c.distribution}) from ${plan.configFile ?? "the defaults"}`,
    "Nothing has been changed; up skips what already exists.",
    "",
    "Registry and mirrors",
    ...(plan.registries.length === 0 ? ["  none (the local registry is disabled)"] : []),
    ...plan.registries.map((r) =>
      registryLine(r, Math.max(...plan.registries.map((x) => x.name.length)))
    ),
    "",
    `Cluster (context ${c.context} in ${c.kubeconfig})`,
    ...formatPlan(c).split("\n").slice(2).map((l) => `  ${l}`),
    "",
    formatComponentGraph(plan.components, "Components, in dependency order"),
    "",
  ];
  const g = plan.gitops;
  if (g === undefined) lines.push("GitOps\n  none (spec.gitops.engine is None)");
  else {
    lines.push(`GitOps: ${g.engine}, following ${g.source.url}:${g.source.tag}`);
    for (const o of g.objects) {
      const ns = o.metadata.namespace === undefined ? "" : `${o.metadata.namespace}/`;
      const note = o.kind === "Secret" && o.data === undefined
        ? "  (age identities read from this machine at bootstrap)"
        : "";
      lines.push(`  ${o.kind} ${ns}${o.metadata.name}${note}`);
    }
  }
  lines.push("", "First push");
  if (plan.push.skipped !== undefined) lines.push(`  none: ${plan.push.skipped}`);
  else {
    lines.push(
      `  push ${plan.push.directory} → ${plan.push.reference}, then wait until ${
        g?.engine ?? "the engine"
      } has applied that digest`,
    );
  }
  return lines.join("\n");
}
