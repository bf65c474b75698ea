import assert from "node:assert/strict";
import {
  CommandError,
  compareVersions,
  defaultRunner,
  findTool,
  redact,
  redactArgv,
  ToolNotFoundError,
  which,
} from "../../lib/exec/mod.ts";
import { RecordingRunner, UnexpectedCallError } from "../../testing.ts";

Deno.test("run captures output and exit code", async () => {
  const out = await defaultRunner.run("sh", ["-c", "echo out; echo err >&2"]);
  assert.equal(out.stdout, "out\n");
  assert.equal(out.stderr, "err\n");
  assert.equal(out.code, 0);
  assert.ok(out.success);
});

Deno.test("a non-zero exit throws CommandError with argv, code and the tail of stderr", async () => {
  const err = await defaultRunner.run("sh", ["-c", "echo partial; echo 'it broke' >&2; exit 3"])
    .then(() => undefined, (e: unknown) => e);
  assert.ok(err instanceof CommandError);
  assert.equal(err.code, 3);
  assert.deepEqual(err.argv.slice(0, 2), ["sh", "-c"]);
  assert.equal(err.stderr.trim(), "it broke");
  assert.match(err.message, /exited with code 3:\n\s+it broke/);
});

Deno.test("throwOnError: false returns the failure instead", async () => {
  const out = await defaultRunner.run("sh", ["-c", "exit 4"], { throwOnError: false });
  assert.equal(out.code, 4);
  assert.equal(out.success, false);
});

Deno.test("stdin is written and closed", async () => {
  const out = await defaultRunner.run("cat", [], { stdin: "hello" });
  assert.equal(out.stdout, "hello");
});

Deno.test("stdin is streamed while the output is read: several MB through cat do not deadlock", async () => {
  // 8 MiB: far beyond a pipe's buffer, so writing all of stdin before reading stdout would hang
  const line = "0123456789abcdef".repeat(4) + "\n";
  const input = line.repeat((8 * 1024 * 1024) / line.length);
  const out = await defaultRunner.run("cat", [], { stdin: input, timeoutMs: 30_000 });
  assert.equal(out.stdout.length, input.length);
  assert.ok(out.stdout === input, "output is the input, byte for byte");
  const bytes = new Uint8Array(4 * 1024 * 1024).map((_, i) => 65 + (i % 26));
  const both = await defaultRunner.run("sh", ["-c", "tee /dev/stderr"], {
    stdin: bytes,
    timeoutMs: 30_000,
  });
  assert.equal(both.stdout.length, bytes.length);
  assert.equal(both.stderr.length, bytes.length);
});

Deno.test("a child that exits without reading its stdin is not an error of the runner", async () => {
  const out = await defaultRunner.run("sh", ["-c", "exit 0"], { stdin: "x".repeat(1 << 20) });
  assert.equal(out.code, 0);
});

Deno.test("a timeout kills the process and says so", async () => {
  const started = performance.now();
  await assert.rejects(
    () => defaultRunner.run("sleep", ["5"], { timeoutMs: 200 }),
    (e: unknown) => e instanceof CommandError && /timed out after 200 ms/.test(e.message),
  );
  assert.ok(performance.now() - started < 4000);
});

Deno.test("an abort signal kills the process", async () => {
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 100);
  await assert.rejects(
    () => defaultRunner.run("sleep", ["5"], { signal: controller.signal }),
    /was aborted/,
  );
});

Deno.test("a missing program is a CommandError naming it", async () => {
  await assert.rejects(
    () => defaultRunner.run("bosun-no-such-tool", []),
    (e: unknown) =>
      e instanceof CommandError && /bosun-no-such-tool.*could not be started/.test(e.message),
  );
});

Deno.test("secrets are redacted from argv, output and errors", async () => {
  const secret = "s3cr3t-t0ken";
  const err = await defaultRunner.run("sh", [
    "-c",
    `echo "auth $1 failed" >&2; exit 1`,
    "sh",
    secret,
  ], {
    secrets: [secret],
  }).then(() => undefined, (e: unknown) => e);
  assert.ok(err instanceof CommandError);
  assert.ok(!err.message.includes(secret), err.message);
  assert.ok(!err.argv.join(" ").includes(secret));
  assert.match(err.message, /auth \*\*\* failed/);
});

Deno.test("redactArgv hides values of password and token flags", () => {
  assert.deepEqual(
    redactArgv([
      "helm",
      "registry",
      "login",
      "--password=hunter22",
      "--token",
      "abc123",
      "-u",
      "me",
    ]),
    ["helm", "registry", "login", "--password=***", "--token", "***", "-u", "me"],
  );
  assert.equal(redact("a hunter22 b", ["hunter22"]), "a *** b");
});

Deno.test("spawn writes logs to a file and reports the exit", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const proc = defaultRunner.spawn("sh", ["-c", "echo started; exit 7"], {
      logFile: `${dir}/log`,
    });
    assert.equal(await proc.exited, 7);
    assert.equal(await Deno.readTextFile(`${dir}/log`), "started\n");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("compareVersions compares numerically", () => {
  assert.ok(compareVersions("v1.10.0", "1.9.9") > 0);
  assert.equal(compareVersions("3.14.0", "v3.14"), 0);
  assert.ok(compareVersions("0.20.0-alpha", "0.21.0") < 0);
});

Deno.test("findTool finds a tool, checks its version and explains what is missing", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const tool = `${dir}/faketool`;
    await Deno.writeTextFile(tool, "#!/bin/sh\necho 'faketool version v1.4.2'\n");
    await Deno.chmod(tool, 0o755);
    const found = await findTool("faketool", { minVersion: "1.4.0", searchPath: dir });
    assert.equal(found.path, tool);
    assert.equal(found.version, "1.4.2");
    await assert.rejects(
      () => findTool("faketool", { minVersion: "2.0.0", searchPath: dir, hint: "Get v2." }),
      (e: unknown) =>
        e instanceof ToolNotFoundError && e.found === "1.4.2" &&
        e.message === "faketool 1.4.2 is too old (need 2.0.0 or newer). Get v2.",
    );
    await assert.rejects(
      () => findTool("kind", { searchPath: dir }),
      (e: unknown) =>
        e instanceof ToolNotFoundError && e.found === undefined &&
        /kind is not installed\. Install kind/.test(e.message),
    );
    assert.equal(await which("faketool", `${dir}:/nonexistent`), tool);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("findTool says it cannot read a version instead of calling the tool too old", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/kind`, "#!/bin/sh\necho 'kind built from source'\n");
    await Deno.chmod(`${dir}/kind`, 0o755);
    await assert.rejects(
      () =>
        findTool("kind", {
          minVersion: "0.20.0",
          versionArgs: ["version"],
          searchPath: dir,
          hint: "Install kind.",
        }),
      (e: unknown) =>
        e instanceof ToolNotFoundError && e.found === undefined &&
        e.versionOutput === "kind built from source" &&
        e.message ===
          'Cannot read kind\'s version from `kind version` output "kind built from source" ' +
            "(need 0.20.0 or newer). Install kind.",
    );
    await Deno.writeTextFile(`${dir}/kind`, "#!/bin/sh\n");
    await assert.rejects(
      () => findTool("kind", { minVersion: "0.20.0", searchPath: dir, hint: "Install kind." }),
      /^ToolNotFoundError: Cannot read kind's version from `kind --version` output \(it printed nothing\)/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("RecordingRunner records calls and fails like the real runner", async () => {
  const runner = new RecordingRunner((cmd, args) =>
    cmd === "docker" ? { code: 1, stderr: "no daemon" } : args[0] === "get" ? {} : undefined
  );
  await runner.run("kind", ["get", "clusters"]);
  await assert.rejects(() => runner.run("docker", ["ps"]), /no daemon/);
  const soft = await runner.run("docker", ["ps"], { throwOnError: false });
  assert.equal(soft.code, 1);
  assert.deepEqual(runner.lines, ["kind get clusters", "docker ps", "docker ps"]);
  assert.deepEqual(runner.unexpected, []);
});

Deno.test("RecordingRunner fails on a call nobody expected, even one run with throwOnError: false", async () => {
  const runner = new RecordingRunner((cmd) => cmd === "kind" ? {} : undefined);
  for (const options of [{}, { throwOnError: false }]) {
    await assert.rejects(
      () => runner.run("docker", ["rm", "-f", "dev-registry"], options),
      (e: unknown) =>
        e instanceof UnexpectedCallError && !(e instanceof CommandError) && e.cmd === "docker" &&
        e.message.includes("`docker rm -f dev-registry`"),
    );
  }
  assert.throws(() => runner.spawn("sleep", ["1"]), UnexpectedCallError);
  const bare = new RecordingRunner();
  await assert.rejects(() => bare.run("kind", ["get", "clusters"]), UnexpectedCallError);
  assert.deepEqual(
    [...runner.unexpected, ...bare.unexpected].map((c) => `${c.cmd} ${c.args[0]}`),
    ["docker rm", "docker rm", "sleep 1", "kind get"],
  );
});

Deno.test("RecordingRunner answers unexpected calls with a fallback only when a test opts in", async () => {
  const runner = new RecordingRunner((cmd) => cmd === "kind" ? { stdout: "dev\n" } : undefined, {
    fallback: { stdout: "default" },
  });
  assert.equal((await runner.run("kind", ["get", "clusters"])).stdout, "dev\n");
  assert.equal((await runner.run("docker", ["ps"])).stdout, "default");
  assert.equal(await runner.spawn("sleep", ["1"]).exited, 0);
  const async = new RecordingRunner(() => Promise.resolve(undefined));
  await assert.rejects(async.spawn("sleep", ["1"]).exited, UnexpectedCallError);
  assert.deepEqual(runner.unexpected.map((c) => c.cmd), ["docker", "sleep"]);
});

Deno.test("a RecordingRunner handler can refuse a call and say why", async () => {
  const runner = new RecordingRunner((cmd, args) => {
    if (args.includes("--foo")) throw new UnexpectedCallError(cmd, args, "kind has no --foo");
    return {};
  }, { fallback: {} });
  await assert.rejects(
    () => runner.run("kind", ["create", "cluster", "--foo"]),
    /unexpected call `kind create cluster --foo`: kind has no --foo/,
  );
  assert.deepEqual(runner.unexpected.map((c) => c.args.at(-1)), ["--foo"]);
});
