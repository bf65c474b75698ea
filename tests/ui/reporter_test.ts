import assert from "node:assert/strict";
import {
  createJsonReporter,
  createTerminalReporter,
  formatDuration,
  type ReporterEvent,
  withStep,
} from "../../lib/ui/mod.ts";

function capture(isTerminal: boolean) {
  let text = "";
  let clock = 0;
  const sink = { write: (t: string) => void (text += t), isTerminal };
  return {
    sink,
    tick: (ms: number) => void (clock += ms),
    now: () => clock,
    get text() {
      return text;
    },
  };
}

Deno.test("plain output: ✓/✗ lines with durations, nested steps indented, no ANSI codes", async () => {
  const out = capture(false);
  const reporter = createTerminalReporter({ sink: out.sink, now: out.now });
  const step = reporter.step("Creating cluster");
  const child = step.step("Pulling images");
  out.tick(1500);
  child.succeed("3 images");
  step.step("Writing kubeconfig").skip("unchanged");
  out.tick(500);
  step.succeed();
  await assert.rejects(() =>
    withStep(
      reporter,
      "Installing Cilium",
      () => Promise.reject(new Error("chart not found\nmore")),
    )
  );
  assert.equal(
    out.text,
    "  ✓ Pulling images — 3 images (1.5s)\n" +
      "  - Writing kubeconfig (skipped: unchanged)\n" +
      "✓ Creating cluster (2.0s)\n" +
      "✗ Installing Cilium (0ms): chart not found\n",
  );
  assert.ok(!out.text.includes("\x1b["));
});

Deno.test("a step ends once: later calls are ignored", () => {
  const out = capture(false);
  const step = createTerminalReporter({ sink: out.sink, now: out.now }).step("Once");
  step.succeed();
  step.fail(new Error("late"));
  assert.equal(out.text, "✓ Once (0ms)\n");
});

Deno.test("a terminal gets colours; quiet hides successes but not failures", () => {
  const tty = capture(true);
  createTerminalReporter({ sink: tty.sink, now: tty.now, fancy: true }).step("A").succeed();
  assert.ok(tty.text.includes("\x1b[32m✓"));
  const quiet = capture(false);
  const r = createTerminalReporter({ sink: quiet.sink, now: quiet.now, quiet: true });
  r.step("fine").succeed();
  r.log("info", "chatter");
  r.step("broken").fail("boom");
  r.log("warn", "careful");
  assert.equal(quiet.text, "✗ broken (0ms): boom\n! careful\n");
});

Deno.test("debug messages only with verbose", () => {
  const a = capture(false);
  createTerminalReporter({ sink: a.sink }).log("debug", "hidden");
  assert.equal(a.text, "");
  const b = capture(false);
  createTerminalReporter({ sink: b.sink, verbose: true }).log("debug", "shown");
  assert.equal(b.text, "· shown\n");
});

Deno.test("JSON events carry ids, nesting and durations", () => {
  const events: ReporterEvent[] = [];
  const r = createJsonReporter((e) => events.push(e));
  const s = r.step("up");
  s.step("cluster").succeed("created");
  s.fail(new Error("x"));
  assert.deepEqual(events.map((e) => [e.event, e.id, e.title, e.message]), [
    ["start", "1", "up", undefined],
    ["start", "1.1", "cluster", undefined],
    ["succeed", "1.1", "cluster", "created"],
    ["fail", "1", "up", "x"],
  ]);
  assert.ok(events.every((e) => e.event === "start" || typeof e.durationMs === "number"));
});

Deno.test("formatDuration", () => {
  assert.equal(formatDuration(850), "850ms");
  assert.equal(formatDuration(4200), "4.2s");
  assert.equal(formatDuration(125_000), "2m05s");
});
