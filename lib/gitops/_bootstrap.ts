/**
 * Private: what `bootstrapFlux` and `bootstrapArgoCD` share. Install the engine's pinned
 * chart with Helm (bosun.yaml's component override merged over the engine's own values),
 * then run the engine's configure step within what is left of the budget.
 *
 * @module
 */

import type { ResolvedConfig } from "../config/mod.ts";
import { connectHelm, mergeValues } from "../helm/mod.ts";
import type { Kube } from "../kube/mod.ts";
import { silentReporter } from "../ui/mod.ts";
import { type ClusterLike, kubeFor, kubeTarget, toConfig } from "./_target.ts";
import { GITOPS_CHARTS } from "./charts.ts";
import type { BootstrapFluxOptions, BootstrapResult } from "./flux.ts";

/** The options every engine's bootstrap takes (Flux's and Argo CD's have them all). */
export type EngineBootstrapOptions = Pick<
  BootstrapFluxOptions,
  "chartVersion" | "timeoutMs" | "kube" | "helm" | "reporter" | "signal"
>;

/** One engine: its chart, its values and the step after the chart. */
export interface Engine<O extends EngineBootstrapOptions> {
  /** The chart in GITOPS_CHARTS, also the component name of its override in bosun.yaml. */
  readonly chart: keyof typeof GITOPS_CHARTS;
  /** Bosun's values for the chart; bosun.yaml's override is merged over them. */
  readonly values: Readonly<Record<string, unknown>>;
  /** Configures the engine once the chart is installed. */
  readonly configure: (
    config: ResolvedConfig,
    kube: Kube,
    options: O,
  ) => Promise<BootstrapResult>;
}

/**
 * Installs the engine's chart, then configures it; `changed` is true when either did.
 * A connection given in the options is left open, one opened here is closed.
 */
export async function bootstrapEngine<O extends EngineBootstrapOptions>(
  cluster: ClusterLike,
  engine: Engine<O>,
  options: O,
): Promise<BootstrapResult> {
  const config = toConfig(cluster);
  const reporter = options.reporter ?? silentReporter;
  const started = performance.now();
  const timeoutMs = options.timeoutMs ?? 600_000;
  const pin = GITOPS_CHARTS[engine.chart];
  const override = config.spec.components[engine.chart];
  const version = options.chartVersion ?? override?.version ?? pin.version;
  const helm = options.helm ?? await connectHelm(kubeTarget(config));
  const step = reporter.step(`Installing ${engine.chart} ${version}`);
  let helmChanged: boolean;
  try {
    const r = await helm.upgradeInstall(pin.release, pin.chart, {
      namespace: pin.namespace,
      version,
      values: mergeValues(engine.values, override?.values),
      wait: true,
      timeoutMs,
      signal: options.signal,
    });
    helmChanged = r.changed;
    step.succeed(r.changed ? `revision ${r.release.revision}` : "unchanged");
  } catch (error) {
    step.fail(error);
    throw error;
  }
  const kube = await kubeFor(config, options.kube);
  try {
    const result = await engine.configure(config, kube, {
      ...options,
      reporter,
      timeoutMs: Math.max(1000, timeoutMs - (performance.now() - started)),
    });
    return { ...result, changed: result.changed || helmChanged };
  } finally {
    if (!options.kube) kube.close();
  }
}
