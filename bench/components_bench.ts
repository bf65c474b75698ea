/**
 * The component install graph: 8 components with known install durations run
 * through the real graph executor; total wall time against the sum of the
 * durations and against the critical path (goal: wall ≤ 1.15× critical path).
 *
 * Two runs: (1) components whose install sleeps a set time; (2) when helm and
 * the full test control plane are available, components that install a local
 * chart with real `helm upgrade --install --wait` (kwok makes the pods Ready)
 * and then sleep up to their set time — so the graph, helm processes and the
 * apiserver all run for real, in parallel, on this machine.
 *
 * @module
 */

import { applyDefaults } from "../lib/config/mod.ts";
import {
  type Component,
  type ComponentContext,
  type ComponentPhase,
  criticalPath,
  installComponents,
  planComponents,
} from "../lib/components/mod.ts";
import type { Helm } from "../lib/helm/mod.ts";
import { CHARTS, useLiveHelm } from "../tests/helm/_live.ts";
import { median } from "./_measure.ts";

interface Spec {
  readonly name: string;
  readonly ms: number;
  readonly phase?: ComponentPhase;
  readonly dependsOn?: readonly string[];
}

/** The graph: critical path cni → cert-manager → kyverno → gitops. */
const SPECS: readonly Spec[] = [
  { name: "cni", ms: 400, phase: "cni" },
  { name: "storage", ms: 300 },
  { name: "csr-approver", ms: 200 },
  { name: "metrics-server", ms: 300, dependsOn: ["csr-approver"] },
  { name: "cert-manager", ms: 300 },
  { name: "kyverno", ms: 400, dependsOn: ["cert-manager"] },
  { name: "registry-ui", ms: 500 },
  { name: "gitops", ms: 300, phase: "gitops" },
];

const CHART = `${CHARTS}app`;

function component(
  spec: Spec,
  scale: number,
  work?: (ctx: ComponentContext) => Promise<void>,
): Component {
  const phase = spec.phase ?? "addon";
  const dependsOn = spec.dependsOn ?? [];
  return {
    name: spec.name,
    phase,
    dependsOn,
    enabled: () => true,
    plan: () => ({
      name: spec.name,
      phase,
      dependsOn,
      source: { type: "manifest", chart: `bench://${spec.name}`, sha256: "-" },
      release: spec.name,
      version: "1.0.0",
      namespace: "default",
      values: {},
    }),
    async install(ctx) {
      const t0 = performance.now();
      if (work) await work(ctx);
      const left = spec.ms * scale - (performance.now() - t0);
      if (left > 0) await new Promise((r) => setTimeout(r, left));
      return { changed: true };
    },
  };
}

interface Round {
  readonly wall: number;
  readonly sum: number;
  readonly measuredCritical: number;
}

async function round(
  components: Component[],
  config = applyDefaults({}),
  helm?: Helm,
): Promise<Round> {
  const graph = planComponents(config, { components });
  const result = await installComponents(config, {
    components,
    ...(helm ? { helm } : {}),
    timeoutMs: 120_000,
  });
  const measured = Object.fromEntries(result.components.map((c) => [c.name, c.durationMs]));
  const sum = result.components.reduce((t, c) => t + c.durationMs, 0);
  return {
    wall: result.wallMs,
    sum,
    measuredCritical: criticalPath(graph, measured).durationMs,
  };
}

function line(label: string, rounds: readonly Round[], critical: number, sum: number): void {
  const wall = median(rounds.map((r) => r.wall));
  const measuredSum = median(rounds.map((r) => r.sum));
  const measuredCritical = median(rounds.map((r) => r.measuredCritical));
  const ratio = wall / critical;
  console.log(
    `${label}: wall ${
      wall.toFixed(0)
    } ms | set durations: sum ${sum} ms, critical path ${critical} ms` +
      ` | measured: sum ${measuredSum.toFixed(0)} ms, critical path ${
        measuredCritical.toFixed(0)
      } ms` +
      ` | wall/critical ${ratio.toFixed(3)}× (goal ≤ 1.15×), wall/measured critical ${
        (wall / measuredCritical).toFixed(3)
      }×, sum/wall ${(measuredSum / wall).toFixed(2)}× parallel speed-up ${
        ratio <= 1.15 ? "✓" : "✗"
      }`,
  );
}

/**
 * Runs the graph benchmark and prints wall time against the sum of durations
 * and the critical path.
 *
 * @returns The ratio of wall time to critical path of the sleeping run.
 */
export async function benchGraph(): Promise<number> {
  const scale = 1;
  const components = SPECS.map((s) => component(s, scale));
  const graph = planComponents(applyDefaults({}), { components });
  const set = Object.fromEntries(SPECS.map((s) => [s.name, s.ms * scale]));
  const critical = criticalPath(graph, set);
  const sum = SPECS.reduce((t, s) => t + s.ms * scale, 0);
  console.log(`graph waves: ${graph.waves.map((w) => w.join(" + ")).join("  →  ")}`);
  console.log(`critical path: ${critical.names.join(" → ")} (${critical.durationMs} ms)`);
  const rounds: Round[] = [];
  for (let i = 0; i < 5; i++) rounds.push(await round(components));
  line("sleeping components (5 runs, median)", rounds, critical.durationMs, sum);

  const setup = await useLiveHelm();
  if (!setup) {
    console.log("real-helm run skipped: helm or the full test control plane is not available");
    return median(rounds.map((r) => r.wall)) / critical.durationMs;
  }
  const { env } = setup;
  try {
    const helmScale = 10;
    const helm = await setup.connect();
    const config = applyDefaults({ spec: { kubeconfig: env.kubeconfig, context: "bosun-test" } });
    const helmRounds: Round[] = [];
    for (let i = 0; i < 2; i++) {
      const ns = `bench-graph-${Date.now().toString(36)}`;
      const real = SPECS.map((s) =>
        component(s, helmScale, async (ctx) => {
          await ctx.helm.upgradeInstall(s.name, { path: CHART }, {
            namespace: ns,
            values: { message: s.name },
            timeoutMs: 60_000,
          });
        })
      );
      helmRounds.push(await round(real, config, helm));
    }
    const helmSet = Object.fromEntries(SPECS.map((s) => [s.name, s.ms * helmScale]));
    line(
      "real helm --wait + kwok, durations ×10 (2 runs, median)",
      helmRounds,
      criticalPath(graph, helmSet).durationMs,
      SPECS.reduce((t, s) => t + s.ms * helmScale, 0),
    );
  } finally {
    await env.stop();
  }
  return median(rounds.map((r) => r.wall)) / critical.durationMs;
}

if (import.meta.main) await benchGraph();
