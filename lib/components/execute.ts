/**
 * Running a component graph: each component starts as soon as its
 * dependencies are installed; the first failure stops what has not started.
 *
 * @module
 */

import type { ResolvedConfig } from "../config/mod.ts";
import type { Runner } from "../exec/mod.ts";
import { connectHelm, Helm } from "../helm/mod.ts";
import type { Kube } from "../kube/mod.ts";
import { formatDuration, type Reporter, silentReporter } from "../ui/mod.ts";
import { kubeTargetOf, toConfig } from "./_target.ts";
import { ComponentInstallError } from "./errors.ts";
import { buildGraph, type ComponentGraph } from "./graph.ts";
import type {
  ClusterTarget,
  Component,
  ComponentContext,
  ComponentPlan,
  ComponentResult,
  InstallComponentsResult,
} from "./types.ts";

/** Options for installing one component or a graph. */
export interface InstallComponentOptions {
  /** Progress: one step per component, with its duration. @default silentReporter */
  readonly reporter?: Reporter | undefined;
  /** Time budget per component, in milliseconds. @default 300000 */
  readonly timeoutMs?: number | undefined;
  /** Kubeconfig to use instead of the config's (`~` expanded, made absolute). */
  readonly kubeconfig?: string | undefined;
  /** Context to use instead of the config's. */
  readonly context?: string | undefined;
  /** A Helm client to use. @default found with connectHelm */
  readonly helm?: Helm | undefined;
  /** A Kubernetes connection to use. @default opened on first use */
  readonly kube?: Kube | undefined;
  /** Runner for helm. @default defaultRunner */
  readonly runner?: Runner | undefined;
  /**
   * On the first failure, abort installs already running instead of letting
   * them finish (helm is killed; its release may stay pending until the next
   * install). @default false
   */
  readonly cancelRunningOnFailure?: boolean | undefined;
  /** Aborts the whole install. */
  readonly signal?: AbortSignal | undefined;
}

interface NodeState {
  status: ComponentResult["status"];
  startedAtMs?: number;
  durationMs: number;
  note?: string;
  error?: unknown;
}

/**
 * Runs a planned graph: starts every component whose dependencies are
 * installed, in parallel; on the first failure starts nothing more and lets
 * running installs finish (or aborts them with `cancelRunningOnFailure`).
 *
 * @param config The resolved config (kubeconfig and context come from it unless overridden).
 * @param graph The graph from {@linkcode buildGraph}.
 * @param components The components by name.
 * @param options Reporter, timeout, clients.
 * @returns Per-component status and timings.
 * @throws {ComponentInstallError} The first failure, with the full result attached.
 * @throws {ToolNotFoundError} helm is needed and missing.
 */
export async function executeGraph(
  config: ResolvedConfig,
  graph: ComponentGraph,
  components: ReadonlyMap<string, Component>,
  options: InstallComponentOptions = {},
): Promise<InstallComponentsResult> {
  const reporter = options.reporter ?? silentReporter;
  const timeoutMs = options.timeoutMs ?? 300_000;
  const { kubeconfig, context } = kubeTargetOf(toConfig({
    name: config.metadata.name,
    distribution: config.spec.distribution,
    kubeconfig: options.kubeconfig,
    context: options.context,
    config,
  }));
  const needsHelm = graph.nodes.some((n) => n.source.type === "helm");
  const helm = options.helm ??
    (needsHelm
      ? await connectHelm({
        kubeconfig,
        context,
        ...(options.runner === undefined ? {} : { runner: options.runner }),
      })
      : new Helm({ path: "helm", version: "0.0.0", kubeconfig, context }));
  let kubePromise: Promise<Kube> | undefined;
  const kube = (): Promise<Kube> => {
    if (options.kube !== undefined) return Promise.resolve(options.kube);
    kubePromise ??= import("../kube/mod.ts").then((m) => m.connectKube({ kubeconfig, context }));
    return kubePromise;
  };
  const abort = new AbortController();
  const onOuterAbort = () => abort.abort(options.signal?.reason);
  options.signal?.addEventListener("abort", onOuterAbort, { once: true });

  const start = performance.now();
  const states = new Map<string, NodeState>(
    graph.nodes.map((n) => [n.name, { status: "skipped", durationMs: 0 }]),
  );
  const pending = new Set(graph.nodes.map((n) => n.name));
  const running = new Map<string, Promise<void>>();
  let failed: ComponentPlan | undefined;

  const run = async (plan: ComponentPlan): Promise<void> => {
    const state = states.get(plan.name)!;
    const t0 = performance.now();
    state.startedAtMs = t0 - start;
    const step = reporter.step(`${plan.name} ${plan.version}`);
    const ctx: ComponentContext = {
      config,
      plan,
      helm,
      kube,
      step,
      signal: abort.signal,
      timeoutMs,
    };
    try {
      const outcome = await components.get(plan.name)!.install(ctx);
      state.status = outcome.changed ? "installed" : "unchanged";
      state.durationMs = performance.now() - t0;
      if (outcome.note !== undefined) state.note = outcome.note;
      step.succeed(outcome.note);
    } catch (error) {
      state.durationMs = performance.now() - t0;
      state.error = error;
      state.status = failed !== undefined && abort.signal.aborted ? "cancelled" : "failed";
      step.fail(error);
      if (failed === undefined) {
        failed = plan;
        if (options.cancelRunningOnFailure) abort.abort(error);
      }
    }
  };

  const launch = () => {
    if (failed !== undefined || abort.signal.aborted) return;
    for (const node of graph.nodes) {
      if (!pending.has(node.name)) continue;
      const ready = node.dependsOn.every((d) => {
        const s = states.get(d);
        return s === undefined || (!pending.has(d) && !running.has(d) &&
          (s.status === "installed" || s.status === "unchanged"));
      });
      if (!ready) continue;
      pending.delete(node.name);
      const p = run(node).finally(() => running.delete(node.name));
      running.set(node.name, p);
    }
  };

  try {
    launch();
    while (running.size > 0) {
      await Promise.race(running.values());
      launch();
    }
  } finally {
    options.signal?.removeEventListener("abort", onOuterAbort);
    if (options.kube === undefined && kubePromise !== undefined) {
      await kubePromise.then((k) => k.close(), () => {});
    }
  }

  const cause = failed?.name ?? (abort.signal.aborted ? "the install was aborted" : undefined);
  for (const name of pending) {
    const s = states.get(name)!;
    s.note = cause === undefined ? "dependencies not installed" : `not started: ${cause} failed`;
    if (failed === undefined && abort.signal.aborted) s.note = "not started: aborted";
  }
  const result: InstallComponentsResult = {
    components: graph.nodes.map((n) => {
      const s = states.get(n.name)!;
      return {
        name: n.name,
        status: s.status,
        chart: n.source.chart,
        version: n.version,
        startedAtMs: s.startedAtMs,
        durationMs: s.durationMs,
        ...(s.note === undefined ? {} : { note: s.note }),
        ...(s.error === undefined ? {} : { error: s.error }),
      };
    }),
    wallMs: performance.now() - start,
    changed: [...states.values()].some((s) => s.status === "installed"),
  };
  for (const c of result.components) {
    if (c.status === "skipped") reporter.step(`${c.name} ${c.version}`).skip(c.note ?? "skipped");
  }
  const sum = result.components.reduce((t, c) => t + c.durationMs, 0);
  reporter.log(
    "info",
    `components: ${formatDuration(result.wallMs)} wall, ${formatDuration(sum)} summed over ${
      result.components.filter((c) => c.startedAtMs !== undefined).length
    } installs`,
  );
  if (failed !== undefined) {
    throw new ComponentInstallError({
      component: failed.name,
      chart: failed.source.chart,
      version: failed.version,
      cause: states.get(failed.name)!.error,
      result,
    });
  }
  if (abort.signal.aborted) {
    throw new ComponentInstallError({
      component: graph.nodes.find((n) => states.get(n.name)!.status !== "installed")?.name ??
        "(none)",
      chart: "-",
      version: "-",
      cause: options.signal?.reason ?? "aborted",
      result,
    });
  }
  return result;
}

/**
 * Installs one component into a cluster, ignoring whether the config enables
 * it (you asked for it by name). Its dependencies are assumed to be in place.
 *
 * @param component The component.
 * @param target A resolved config or a cluster.
 * @param options Reporter, timeout, clients.
 * @returns Its result, with timing.
 * @throws {ComponentInstallError} The install failed; names the chart and the cause.
 *
 * @example
 * ```ts ignore
 * import { certManager, installComponent } from "@bosun/sdk";
 * await installComponent(certManager, { name: "dev", distribution: "Kind" });
 * ```
 */
export async function installComponent(
  component: Component,
  target: ResolvedConfig | ClusterTarget,
  options: InstallComponentOptions = {},
): Promise<ComponentResult> {
  const config = toConfig(target);
  const { graph, selected } = buildGraph(config, [component], [component.name]);
  const result = await executeGraph(config, graph, selected, options);
  return result.components[0]!;
}
