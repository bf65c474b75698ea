/**
 * `deno task test`: provisions the real peers the tests need, then runs the
 * format check, lint, type check, `deno doc --lint`, every test and the doc
 * tests against one shared test environment. `deno task check` (`--fast`) runs
 * the static checks only.
 *
 * Extra arguments after the flags are passed to `deno test` as paths:
 * `deno task test tests/config`.
 *
 * @module
 */

import { defaultRunner } from "../lib/exec/mod.ts";
import { createTerminalReporter } from "../lib/ui/mod.ts";
import type { Step } from "../lib/ui/mod.ts";

const fast = Deno.args.includes("--fast");
const paths = Deno.args.filter((a) => !a.startsWith("--"));
const deno = Deno.execPath();
const reporter = createTerminalReporter();
const root = new URL("..", import.meta.url).pathname.replace(/\/$/, "");
Deno.chdir(root);

/** Entry points whose public docs must lint clean. */
const PUBLIC = ["mod.ts", "cli.ts", "testing.ts"];

async function sourceFiles(dirs: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string) => {
    let entries: Deno.DirEntry[];
    try {
      entries = [...Deno.readDirSync(dir)];
    } catch {
      return;
    }
    for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      const path = `${dir}/${e.name}`;
      if (e.isDirectory && !["node_modules", "fixtures"].includes(e.name)) {
        await walk(path);
      } else if (e.isFile && /\.tsx?$/.test(e.name)) out.push(path);
    }
  };
  for (const d of dirs) await walk(d);
  return out;
}

async function deno_(step: Step, title: string, args: string[]): Promise<boolean> {
  const sub = step.step(title);
  const result = await defaultRunner.run(deno, args, { inherit: true, throwOnError: false });
  if (result.success) sub.succeed();
  else sub.fail(`deno ${args[0]} failed (exit ${result.code})`);
  return result.success;
}

let failed = false;
const checks = reporter.step("Static checks");
const typed = [...PUBLIC, ...await sourceFiles(["lib", "tasks", "tests", "bench", "examples"])];
failed = !await deno_(checks, "Format", ["fmt", "--check"]) || failed;
failed = !await deno_(checks, "Lint", ["lint"]) || failed;
failed = !await deno_(checks, "Type check", ["check", ...typed]) || failed;
failed = !await deno_(checks, "Doc lint", ["doc", "--lint", ...PUBLIC]) || failed;
if (failed) checks.fail("see above");
else checks.succeed();

if (fast) Deno.exit(failed ? 1 : 0);

const env: Record<string, string> = {};
let stopShared: (() => Promise<void>) | undefined;
const harness = await import("../tests/harness/mod.ts");
const provision = reporter.step("Provisioning real peers");
try {
  await harness.provisionPeers({ reporter: provision });
  provision.succeed();
} catch (error) {
  provision.fail(error);
  if (Deno.env.get("CI") === "true") Deno.exit(1);
}
// Docker, kind and the offline images for the real Kind e2e tests (tests/e2e).
const docker = await import("../tests/harness/docker.ts");
const engineStep = reporter.step("Docker engine and offline images for the e2e tests");
let engine: Awaited<ReturnType<typeof docker.provisionDocker>> | undefined;
try {
  engine = await docker.provisionDocker({ reporter: engineStep });
  if (engine.ready) {
    await docker.reapE2E({ reporter: engineStep });
    env["BOSUN_E2E"] = "ready";
    env["PATH"] = [...engine.path, Deno.env.get("PATH") ?? ""].join(":");
    engineStep.succeed(engine.started ? "dockerd started by this run" : "existing engine");
  } else {
    env["BOSUN_E2E"] = `skip: ${engine.reason}`;
    engineStep.fail(engine.reason ?? "not ready");
    if (Deno.env.get("CI") === "true") Deno.exit(1);
    reporter.log("warn", `the e2e tests (tests/e2e) will be skipped: ${engine.reason}`);
  }
} catch (error) {
  engineStep.fail(error);
  if (Deno.env.get("CI") === "true") Deno.exit(1);
}

const shared = reporter.step("Starting the shared test environment");
try {
  const started = await harness.startSharedEnvironment({ reporter: shared });
  Object.assign(env, started.env);
  stopShared = started.stop;
  shared.succeed();
} catch (error) {
  shared.fail(error);
  if (Deno.env.get("CI") === "true") Deno.exit(1);
}

const junit = `${root}/.cache/test-results.xml`;
await Deno.mkdir(`${root}/.cache`, { recursive: true });
const tests = reporter.step("Tests and doc tests");
const targets = paths.length > 0 ? paths : ["tests/", ...PUBLIC, "lib/"];
const result = await defaultRunner.run(
  deno,
  ["test", "-A", "--doc", `--junit-path=${junit}`, ...targets],
  { inherit: true, throwOnError: false, env: { ...env, BOSUN_TEST_RUN: "1" } },
).finally(async () => {
  await stopShared?.();
  await engine?.stop();
});
if (result.success) tests.succeed();
else tests.fail(`deno test failed (exit ${result.code})`);
failed = failed || !result.success;

const counts = await summarise(junit);
console.log(`\ntest: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`);
Deno.exit(failed ? 1 : 0);

async function summarise(
  file: string,
): Promise<{ passed: number; failed: number; skipped: number }> {
  let xml = "";
  try {
    xml = await Deno.readTextFile(file);
  } catch {
    return { passed: 0, failed: 1, skipped: 0 };
  }
  const cases = xml.match(/<testcase\b[\s\S]*?(?:\/>|<\/testcase>)/g) ?? [];
  let passed = 0;
  let failedCount = 0;
  let skipped = 0;
  for (const c of cases) {
    if (/<failure\b|<error\b/.test(c)) failedCount++;
    else if (/<skipped\b/.test(c)) skipped++;
    else passed++;
  }
  return { passed, failed: failedCount, skipped };
}
