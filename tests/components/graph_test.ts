/** The graph executor's mechanics with components that sleep known durations. */
import assert from "node:assert/strict";
import { applyDefaults } from "../../lib/config/mod.ts";
import {
  ComponentInstallError,
  criticalPath,
  installComponents,
  planComponents,
} from "../../lib/components/mod.ts";
import type { Reporter, Step } from "../../lib/ui/mod.ts";
import { sleeper, type Trace } from "./_fakes.ts";

const config = applyDefaults({ metadata: { name: "t" } });
const newTrace = (): Trace => ({ events: [], aborted: new Set() });

/** A reporter that records step outcomes. */
function recorder(): { reporter: Reporter; lines: string[] } {
  const lines: string[] = [];
  const step = (title: string): Step => ({
    succeed: (note) => lines.push(`✓ ${title}${note ? ` (${note})` : ""}`),
    fail: () => lines.push(`✗ ${title}`),
    skip: (reason) => lines.push(`- ${title}: ${reason}`),
    update: () => {},
    step,
    log: () => {},
  });
  return { reporter: { step, log: (_l, m) => lines.push(m) }, lines };
}

Deno.test("independent components run in parallel after the CNI; dependants wait", async () => {
  const trace = newTrace();
  const components = [
    sleeper(trace, "cni", 60, { phase: "cni" }),
    sleeper(trace, "cert", 80),
    sleeper(trace, "a", 50),
    sleeper(trace, "b", 50),
    sleeper(trace, "policy", 40, { dependsOn: ["cert"] }),
    sleeper(trace, "gitops", 30, { phase: "gitops" }),
  ];
  const { reporter, lines } = recorder();
  const result = await installComponents(config, { components, reporter });
  const e = trace.events;
  assert.equal(e[0], "start cni");
  assert.equal(e[1], "end cni", "nothing starts before the CNI is done");
  assert.deepEqual(e.slice(2, 5).sort(), ["start a", "start b", "start cert"]);
  assert.ok(e.indexOf("start policy") > e.indexOf("end cert"));
  assert.ok(e.indexOf("start gitops") > e.indexOf("end policy"));
  assert.equal(e.at(-1), "end gitops");
  assert.ok(result.components.every((c) => c.status === "installed"));
  // critical path cni → cert → policy → gitops = 210 ms; the sum is 310 ms.
  assert.ok(result.wallMs < 290, `parallel: ${result.wallMs} ms`);
  assert.ok(result.wallMs >= 210);
  for (const c of result.components) {
    assert.ok(c.durationMs >= 25 && c.startedAtMs !== undefined, c.name);
  }
  assert.ok(lines.some((l) => l.startsWith("✓ policy 1.0.0 (slept 40ms)")));
  assert.ok(lines.some((l) => /components: .* wall, .* summed over 6 installs/.test(l)));
});

Deno.test("the first failure stops what has not started; running installs finish", async () => {
  const trace = newTrace();
  const components = [
    sleeper(trace, "cni", 10, { phase: "cni" }),
    sleeper(trace, "slow", 120),
    sleeper(trace, "cert", 30, { fail: "webhook never answered" }),
    sleeper(trace, "policy", 10, { dependsOn: ["cert"] }),
    sleeper(trace, "gitops", 10, { phase: "gitops" }),
  ];
  const { reporter, lines } = recorder();
  const err = await installComponents(config, { components, reporter }).then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.ok(err instanceof ComponentInstallError);
  assert.equal(err.component, "cert");
  assert.equal(err.chart, "test://cert");
  assert.match(
    err.message,
    /^Cannot install component "cert" \(chart test:\/\/cert@1\.0\.0\): webhook never answered/,
  );
  assert.match(err.message, /not installed because of this: policy, gitops/);
  const status = Object.fromEntries(err.result.components.map((c) => [c.name, c.status]));
  assert.deepEqual(status, {
    cni: "installed",
    slow: "installed",
    cert: "failed",
    policy: "skipped",
    gitops: "skipped",
  });
  assert.ok(trace.events.includes("end slow"), "the running install was allowed to finish");
  assert.ok(!trace.events.includes("start policy"));
  assert.ok(lines.includes("- policy 1.0.0: not started: cert failed"));
});

Deno.test("cancelRunningOnFailure aborts installs already running", async () => {
  const trace = newTrace();
  const components = [
    sleeper(trace, "slow", 5_000),
    sleeper(trace, "bad", 20, { fail: "boom" }),
  ];
  const t0 = performance.now();
  const err = await installComponents(config, { components, cancelRunningOnFailure: true })
    .then(() => undefined, (e: unknown) => e);
  assert.ok(performance.now() - t0 < 2_000, "did not wait for the slow install");
  assert.ok(err instanceof ComponentInstallError && err.component === "bad");
  assert.ok(trace.aborted.has("slow"));
  assert.equal(err.result.components.find((c) => c.name === "slow")!.status, "cancelled");
});

Deno.test("criticalPath follows the longest dependency chain", () => {
  const trace = newTrace();
  const components = [
    sleeper(trace, "cni", 0, { phase: "cni" }),
    sleeper(trace, "x", 0),
    sleeper(trace, "y", 0, { dependsOn: ["x"] }),
    sleeper(trace, "z", 0),
  ];
  const graph = planComponents(config, { components });
  const path = criticalPath(graph, { cni: 10, x: 5, y: 5, z: 30 });
  assert.deepEqual(path, { names: ["cni", "z"], durationMs: 40 });
});
