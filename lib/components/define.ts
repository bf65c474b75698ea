/**
 * {@linkcode defineHelmComponent}: a {@linkcode Component} from a chart, a
 * per-distribution values function and optional steps before and after the
 * Helm release. Every built-in Helm component is made with it, and so can
 * yours (the GitOps engines are).
 *
 * @module
 */

import type { ResolvedConfig } from "../config/mod.ts";
import { type ChartRef, describeChart, mergeValues } from "../helm/mod.ts";
import { overrideOf } from "./_target.ts";
import { releasePodProblems } from "./_pods.ts";
import { ReleasePodsNotReadyError } from "./errors.ts";
import type {
  Component,
  ComponentContext,
  ComponentOutcome,
  ComponentPhase,
  ComponentPlan,
} from "./types.ts";

/**
 * What {@linkcode defineHelmComponent} needs.
 *
 * @typeParam N The component's name.
 */
export interface HelmComponentSpec<N extends string = string> {
  /** Unique name (the key in bosun.yaml `spec.components`). */
  readonly name: N;
  /** Phase. @default "addon" */
  readonly phase?: ComponentPhase;
  /** Components to install first when they are part of the same install. @default [] */
  readonly dependsOn?: readonly string[];
  /** The chart. */
  readonly chart: ChartRef;
  /** The pinned chart version (ignored for local charts, but shown in plans). */
  readonly version: string;
  /** Release name. @default the component name */
  readonly release?: string;
  /** Release namespace (created when missing). */
  readonly namespace: string;
  /** Whether the config asks for this component. */
  enabled(config: ResolvedConfig): boolean;
  /** Bosun's values for this config; bosun.yaml values are merged over them. @default {} */
  values?(config: ResolvedConfig): Record<string, unknown>;
  /** Checks the merged values (throw a ComponentConfigError to refuse them). */
  validate?(plan: ComponentPlan, config: ResolvedConfig): void;
  /** Runs before the Helm release (namespaces with labels, API checks). Returns whether it changed anything. */
  before?(ctx: ComponentContext): Promise<boolean>;
  /** Runs after the Helm release is ready (waits for objects an operator creates). Returns whether it changed anything. */
  after?(ctx: ComponentContext): Promise<boolean>;
  /** Pass `--wait` (and `--wait-for-jobs`) to Helm. @default true */
  readonly wait?: boolean;
}

/**
 * Makes a Helm-installed {@linkcode Component}: its plan merges bosun.yaml's
 * `spec.components.<name>` version and values over the spec's, and its install
 * runs `before`, `helm upgrade --install --wait` and `after`, reporting
 * "unchanged" when the deployed release already matches.
 *
 * @param spec The chart, namespace, values and hooks.
 * @returns The component.
 *
 * @example A component from a local chart
 * ```ts
 * import assert from "node:assert/strict";
 * import { applyDefaults, defineHelmComponent } from "@bosun/sdk";
 * const web = defineHelmComponent({
 *   name: "web", chart: { path: "./charts/web" }, version: "0.1.0", namespace: "web",
 *   enabled: () => true, values: (c) => ({ cluster: c.metadata.name }),
 * });
 * const plan = web.plan(applyDefaults({ spec: { components: {} } }));
 * assert.equal(plan.values.cluster, "bosun");
 * assert.equal(plan.phase, "addon");
 * ```
 */
export function defineHelmComponent<N extends string>(spec: HelmComponentSpec<N>): Component<N> {
  const phase = spec.phase ?? "addon";
  const dependsOn = spec.dependsOn ?? [];
  const plan = (config: ResolvedConfig): ComponentPlan => {
    const override = overrideOf(config, spec.name);
    const result: ComponentPlan = {
      name: spec.name,
      phase,
      dependsOn,
      source: { type: "helm", chart: describeChart(spec.chart) },
      release: spec.release ?? spec.name,
      version: override?.version ?? spec.version,
      namespace: spec.namespace,
      values: mergeValues(spec.values?.(config) ?? {}, override?.values),
    };
    spec.validate?.(result, config);
    return result;
  };
  return {
    name: spec.name,
    phase,
    dependsOn,
    enabled: (config) => spec.enabled(config),
    plan,
    async install(ctx: ComponentContext): Promise<ComponentOutcome> {
      const started = performance.now();
      const left = () => Math.max(1000, ctx.timeoutMs - (performance.now() - started));
      const before = spec.before ? await spec.before(ctx) : false;
      const { plan: p } = ctx;
      ctx.step.update(`helm upgrade --install ${p.release} (${p.source.chart}@${p.version})`);
      const wait = spec.wait ?? true;
      const { release, changed } = await ctx.helm.upgradeInstall(p.release, spec.chart, {
        namespace: p.namespace,
        version: "path" in spec.chart ? undefined : p.version,
        values: p.values,
        wait,
        timeoutMs: left(),
        signal: ctx.signal,
      }).catch(async (cause: unknown) => {
        // A wait that failed: the pods say why (ErrImagePull, CrashLoopBackOff, Unschedulable…).
        if (!wait || ctx.signal.aborted) throw cause;
        const pods = await releasePodProblems(await ctx.kube(), p.namespace, p.release);
        if (!pods.length) throw cause;
        throw new ReleasePodsNotReadyError(p.release, p.namespace, pods, { cause });
      });
      const after = spec.after
        ? await spec.after({ ...ctx, timeoutMs: left(), kube: ctx.kube })
        : false;
      const touched = before || changed || after;
      const note = changed ? `revision ${release.revision}` : touched ? "updated" : "unchanged";
      return { changed: touched, note };
    },
  };
}
