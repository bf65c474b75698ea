/**
 * {@linkcode upWorkflow}: from nothing to a cluster with its registry,
 * mirrors, components and GitOps engine, ending with a summary.
 *
 * @module
 */

import type { ApplyObjects } from "../cluster/mod.ts";
import type { Helm } from "../helm/mod.ts";
import { defaultRunner, findTool } from "../exec/mod.ts";
import { DockerUnavailableError } from "./errors.ts";
import { silentReporter } from "../ui/mod.ts";
import { firstPush, loadWorkflowConfig, Timings } from "./_common.ts";
import { pushWorkflow } from "./push.ts";
import { reconcileWorkflow } from "./reconcile.ts";
import type { StepTiming, WorkflowOptions } from "./types.ts";

/** Options for {@linkcode upWorkflow}. */
export interface UpOptions extends WorkflowOptions {
  /** Push the source directory and wait for the engine to apply it. @default true when an engine is set */
  readonly push?: boolean;
  /** Budget per component, in milliseconds. @default 300000 */
  readonly componentTimeoutMs?: number;
  /** Budget for the first reconcile, in milliseconds. @default 300000 */
  readonly reconcileTimeoutMs?: number;
  /** A Helm client for the components (tests pass one over a recording runner). */
  readonly helm?: Helm;
  /** How the cluster step applies its objects (tests inject one). */
  readonly applyObjects?: ApplyObjects;
}

/** One installed component in the summary. */
export interface InstalledComponent {
  /** Component name. */
  readonly name: string;
  /** Chart or manifest source. */
  readonly chart: string;
  /** Version. */
  readonly version: string;
  /** `installed`, `unchanged`, `failed`, `skipped`, `cancelled`. */
  readonly status: string;
  /** Milliseconds. */
  readonly durationMs: number;
}

/** What {@linkcode upWorkflow} did. */
export interface UpSummary {
  /** Cluster name. */
  readonly cluster: string;
  /** Distribution. */
  readonly distribution: string;
  /** Kubeconfig context. */
  readonly context: string;
  /** Kubeconfig file (absolute). */
  readonly kubeconfig: string;
  /** Whether the cluster was created by this run (`false`: it existed). */
  readonly created: boolean;
  /** The local registry, when enabled. */
  readonly registry: { readonly host: string; readonly inCluster: string } | undefined;
  /** Pull-through mirrors: registry host → upstream. */
  readonly mirrors: Readonly<Record<string, string>>;
  /** Components, in install order. */
  readonly components: readonly InstalledComponent[];
  /** GitOps: engine, and what was pushed and applied. */
  readonly gitops: {
    readonly engine: string;
    readonly pushed?: { readonly reference: string; readonly digest: string };
    readonly revision?: string;
  };
  /** Per-step timings. */
  readonly steps: readonly StepTiming[];
  /** Total milliseconds. */
  readonly totalMs: number;
}

/**
 * Brings the platform of a bosun.yaml up: local registry and mirrors, the
 * cluster (kubeconfig merged), the components graph (CNI first, add-ons in
 * parallel, the GitOps engine last), then the first push and reconcile. Each
 * part is idempotent, so running it again on a running platform changes nothing.
 *
 * @param options Config, runner, reporter, whether to push.
 * @returns The summary: context, registry, components with versions, timings.
 * @throws {ToolNotFoundError} Docker or the distribution's CLI is missing.
 * @throws {DockerUnavailableError} The Docker daemon does not answer.
 * @throws {ClusterCreateError} Creating the cluster failed (what it started is removed).
 * @throws {ComponentInstallError} A component failed.
 *
 * @example
 * ```ts ignore
 * import { formatUpSummary, upWorkflow } from "@bosun/sdk";
 * console.log(formatUpSummary(await upWorkflow({ config: "bosun.yaml" })));
 * ```
 */
export async function upWorkflow(options: UpOptions = {}): Promise<UpSummary> {
  const reporter = options.reporter ?? silentReporter;
  const timings = new Timings();
  const { config, baseDir } = await timings.run("config", () => loadWorkflowConfig(options));
  // Docker first: every distribution runs in it, so say that before naming the CLI.
  const runner = options.runner ?? defaultRunner;
  const docker = await findTool("docker", { runner });
  const daemon = await runner.run(docker.path, ["version", "--format", "{{.Server.Version}}"], {
    throwOnError: false,
    timeoutMs: 15_000,
  });
  if (!daemon.success) {
    const detail = daemon.stderr.trim().split("\n").pop() ?? `exit code ${daemon.code}`;
    throw new DockerUnavailableError(config.metadata.name, detail);
  }
  const { createCluster } = await import("../cluster/mod.ts");
  const cluster = await timings.run(
    "registry, mirrors and cluster",
    () =>
      createCluster(config, {
        baseDir,
        reporter,
        ...(options.runner ? { runner: options.runner } : {}),
        ...(options.stateDir ? { stateDir: options.stateDir } : {}),
        ...(options.applyObjects ? { applyObjects: options.applyObjects } : {}),
      }),
    (c) =>
      c.created
        ? "created"
        : c.changes.length === 0
        ? "existed"
        : `existed; ${c.changes.join("; ")}`,
  );

  const { installComponents } = await import("../components/mod.ts");
  const { GITOPS_COMPONENTS } = await import("../gitops/mod.ts");
  const installed = await timings.run(
    "components and GitOps engine",
    () =>
      installComponents(cluster, {
        reporter,
        extraComponents: GITOPS_COMPONENTS,
        ...(options.runner ? { runner: options.runner } : {}),
        ...(options.helm ? { helm: options.helm } : {}),
        ...(options.kube ? { kube: options.kube } : {}),
        ...(options.componentTimeoutMs ? { timeoutMs: options.componentTimeoutMs } : {}),
      }),
    (r) => `${r.components.length} components`,
  );

  const engine = config.spec.gitops.engine;
  let gitops: UpSummary["gitops"] = { engine };
  const push = await firstPush(config, baseDir, options.push);
  if (push.skipped !== undefined) {
    timings.skip("first push and reconcile", push.skipped, reporter);
  } else {
    const pushed = await timings.run(
      "push",
      () => pushWorkflow({ ...options, config: cluster.config, baseDir }),
      (p) => p.unchanged ? "unchanged" : "pushed",
    );
    const applied = await timings.run("reconcile", () =>
      reconcileWorkflow({
        ...options,
        config: cluster.config,
        baseDir,
        digest: pushed.digest,
        ...(options.reconcileTimeoutMs ? { timeoutMs: options.reconcileTimeoutMs } : {}),
      }));
    gitops = {
      engine,
      pushed: { reference: pushed.reference, digest: pushed.digest },
      revision: applied.revision,
    };
  }

  return {
    cluster: cluster.name,
    distribution: cluster.distribution,
    context: cluster.context,
    kubeconfig: cluster.kubeconfig,
    created: cluster.created,
    registry: cluster.registry,
    mirrors: config.spec.registry.mirrors,
    components: installed.components.map((c) => ({
      name: c.name,
      chart: c.chart,
      version: c.version,
      status: c.status,
      durationMs: c.durationMs,
    })),
    gitops,
    steps: timings.steps,
    totalMs: timings.totalMs,
  };
}
