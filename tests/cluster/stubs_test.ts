/**
 * The stub tools are strict: an unknown command or flag is rejected the way the real CLI
 * rejects it (checked against the real kind and docker binaries where they are installed),
 * and the stub `docker` keeps the real semantics Bosun relies on.
 */

import assert from "node:assert/strict";
import { defaultRunner, which } from "../../lib/exec/mod.ts";
import { isCI, peersCacheDir } from "../harness/peers.ts";
import { STUBS } from "./_fake.ts";
import {
  emptyState,
  realIo,
  runStub,
  type StubResult,
  type StubState,
  UNSUPPORTED,
} from "./stubs/_world.ts";

/** Runs a stub in-process; `line` is split at spaces, so pass an array when an argument has one. */
function run(
  tool: string,
  line: string | readonly string[],
  state: StubState = emptyState(),
): StubResult {
  const args = typeof line === "string" ? line.split(" ").filter(Boolean) : line;
  return runStub(state, tool, args, realIo({}));
}

function rejects(tool: string, line: string, code: number, stderr: RegExp | string): void {
  const r = run(tool, line);
  assert.equal(r.code, code, `${tool} ${line}: ${r.stderr}`);
  assert.equal(r.rejected, true, `${tool} ${line} is a usage error`);
  if (typeof stderr === "string") assert.equal(r.stderr, stderr, `${tool} ${line}`);
  else assert.match(r.stderr, stderr, `${tool} ${line}`);
}

Deno.test("stub kind rejects unknown commands and flags as kind v0.33 does", () => {
  rejects("kind", "create cluster --foo", 1, "ERROR: unknown flag: --foo\n");
  rejects("kind", "foo", 1, 'ERROR: unknown command "foo" for "kind"\n');
  rejects("kind", "get clusters --name dev", 1, "ERROR: unknown flag: --name\n");
  rejects(
    "kind",
    "get clusters extra",
    1,
    'ERROR: unknown command "extra" for "kind get clusters"\n',
  );
  rejects("kind", "create cluster --name", 1, "ERROR: flag needs an argument: --name\n");
  rejects(
    "kind",
    "create cluster --wait 2x",
    1,
    'ERROR: invalid argument "2x" for "--wait" flag: time: unknown unit "x" in duration "2x"\n',
  );
  rejects("kind", "create cluster -x", 1, "ERROR: unknown shorthand flag: 'x' in -x\n");
  rejects("kind", "create foo", 1, "ERROR: Subcommand is required\n");
  rejects("kind", "load docker-image --name dev", 1, "ERROR: a list of image names is required\n");
  // what kind v0.33 accepts passes the parser (and fails only on the world: no such cluster)
  const ok = run("kind", "get kubeconfig --name dev --internal -v 3");
  assert.equal(ok.rejected, undefined);
  assert.match(ok.stderr, /could not locate any control plane nodes for cluster named 'dev'/);
});

Deno.test("stub k3d, talosctl and eksctl reject unknown commands and flags in their own words", () => {
  rejects(
    "k3d",
    "cluster create dev --foo",
    1,
    /^Error: unknown flag: --foo\n[^]*FATA\[0000\] unknown flag: --foo\n$/,
  );
  rejects(
    "k3d",
    "foo",
    1,
    /^Error: unknown command "foo" for "k3d"\nRun 'k3d --help' for usage\.\n/,
  );
  rejects("k3d", "cluster create a b", 1, /accepts at most 1 arg\(s\), received 2/);
  rejects("k3d", "cluster list --output", 1, /flag needs an argument: --output/);
  // talosctl 1.13's `cluster create docker` has no --controlplanes and no --talosconfig
  rejects(
    "talosctl",
    "cluster create docker --controlplanes 3",
    1,
    /^unknown flag: --controlplanes\n\n/,
  );
  rejects("talosctl", "cluster create docker --talosconfig x", 1, /^unknown flag: --talosconfig\n/);
  rejects(
    "talosctl",
    "cluster create docker --workers two",
    1,
    /invalid argument "two" for "--workers" flag/,
  );
  rejects("talosctl", "cluster destroy --nodes 1.2.3.4", 1, /^unknown flag: --nodes/);
  rejects("eksctl", "anywhere create cluster --foo", 255, "Error: unknown flag: --foo\n");
  rejects("eksctl", "anywhere create cluster", 255, 'Error: required flag(s) "filename" not set\n');
  rejects(
    "eksctl",
    "anywhere frobnicate",
    255,
    /^Error: unknown command "frobnicate" for "anywhere"\n/,
  );
  rejects(
    "eksctl",
    "anywhere delete cluster --force-cleanup",
    255,
    "Error: unknown flag: --force-cleanup\n",
  );
  rejects("eksctl", "frobnicate", 1, /^Error: unknown command "frobnicate" for "eksctl"/);
});

Deno.test("stub docker rejects unknown commands, flags and arguments as docker 28 does", () => {
  rejects(
    "docker",
    "run --foo registry:3",
    125,
    "unknown flag: --foo\n\nUsage:  docker run [OPTIONS] IMAGE [COMMAND] [ARG...]\n\nRun 'docker run --help' for more information\n",
  );
  rejects(
    "docker",
    "frobnicate",
    1,
    "docker: unknown command: docker frobnicate\n\nRun 'docker --help' for more information\n",
  );
  rejects(
    "docker",
    "network frobnicate",
    1,
    /^docker: unknown command: docker network frobnicate\n/,
  );
  rejects(
    "docker",
    "rm",
    1,
    /^docker: 'docker rm' requires at least 1 argument\n\nUsage: {2}docker rm \[OPTIONS\] CONTAINER \[CONTAINER\.\.\.\]\n\nSee /,
  );
  rejects("docker", "ps extra", 1, /^docker: 'docker ps' accepts no arguments\n/);
  rejects(
    "docker",
    "network connect kind",
    1,
    /^docker: 'docker network connect' requires 2 arguments\n/,
  );
  rejects("docker", "ps --filter", 125, /^flag needs an argument: --filter\n/);
  // flags after the image are the container's command, not docker's
  const state = emptyState();
  const r = run("docker", "run --detach --name reg registry:3 --foo", state);
  assert.equal(r.code, 0, r.stderr);
  // a real docker command the model does not answer says so instead of pretending
  assert.equal(run("docker", "logs reg").code, UNSUPPORTED);
});

Deno.test("stub docker ps hides stopped containers unless --all, like docker", () => {
  const state = emptyState();
  for (const name of ["up", "down"]) {
    assert.equal(
      run("docker", `run --detach --name ${name} --label app=x registry:3`, state).code,
      0,
    );
  }
  assert.equal(run("docker", "stop down", state).code, 0);
  const names = (line: string) =>
    run("docker", [...line.split(" "), "--format", "{{json .}}"], state).stdout.trim().split("\n")
      .filter(Boolean).map((l) => (JSON.parse(l) as { Names: string }).Names);
  assert.deepEqual(names("ps --filter label=app=x"), ["up"]);
  assert.deepEqual(names("ps --all --filter label=app=x"), ["up", "down"]);
  assert.deepEqual(names("ps -a --filter status=exited"), ["down"]);
});

Deno.test("stub docker rm refuses a running container without --force, with the daemon's message", () => {
  const state = emptyState();
  assert.equal(run("docker", "run --detach --name reg registry:3", state).code, 0);
  assert.equal(run("docker", "run --detach --name old registry:3", state).code, 0);
  assert.equal(run("docker", "stop old", state).code, 0);
  const id = state.containers.find((c) => c.name === "reg")!.id;
  const refused = run("docker", "rm reg old", state);
  assert.equal(refused.code, 1);
  assert.equal(
    refused.stderr,
    `Error response from daemon: You cannot remove a running container ${id}. Stop the container before attempting removal or force remove\n`,
  );
  assert.equal(refused.stdout, "old\n", "the stopped one is removed");
  assert.deepEqual(state.containers.map((c) => c.name), ["reg"]);
  assert.equal(run("docker", "rm missing", state).code, 1);
  const forced = run("docker", "rm --force reg missing", state);
  assert.equal(forced.code, 0, "docker rm --force ignores a missing container");
  assert.deepEqual(state.containers, []);
});

Deno.test("the stub executables exit with the real CLI's code and message", async () => {
  const dir = await Deno.makeTempDir({ prefix: "bosun-stubs-" });
  try {
    const out = await defaultRunner.run(`${STUBS}/kind`, ["create", "cluster", "--foo"], {
      env: { BOSUN_STUB_STATE: dir },
      throwOnError: false,
    });
    assert.equal(out.code, 1);
    assert.equal(out.stderr, "ERROR: unknown flag: --foo\n");
    const calls = (await Deno.readTextFile(`${dir}/calls.jsonl`)).trim().split("\n").map((l) =>
      JSON.parse(l)
    );
    assert.deepEqual(calls.map((c) => [c.tool, c.failed, c.rejected]), [["kind", true, true]]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

/** The real kind, when installed (the test task provisions v0.33.0). */
async function realKind(): Promise<string | undefined> {
  const cached = `${peersCacheDir()}/kind-v0.33.0/bin/kind`;
  return (await which(cached)) ?? (await which("kind"));
}

const REAL_KIND = await realKind();
const REAL_DOCKER = await which("docker");
if (isCI() && (REAL_KIND === undefined || REAL_DOCKER === undefined)) {
  throw new Error(
    `stubs_test: under CI the real kind and docker CLIs must be installed (kind: ${REAL_KIND}, docker: ${REAL_DOCKER})`,
  );
}

/** Usage errors that never reach a daemon: the real CLI answers them by itself. */
const KIND_CASES = [
  "create cluster --foo",
  "foo",
  "get clusters --name dev",
  "get clusters extra",
  "create cluster --name",
  "create cluster --wait 2x",
  "create cluster --wait 2",
  "create cluster --wait x",
  "create cluster -x",
  "load docker-image --name dev",
  "delete cluster --config x",
];
const DOCKER_CASES = [
  "run --foo registry:3",
  "frobnicate",
  "rm",
  "ps extra",
  "ps --filter",
  "network connect kind",
  "volume create a b",
  "network create --foo x",
  "ps --all --quiet --no-trunc --format",
];

Deno.test({
  name: "stub kind answers usage errors exactly like the real kind binary",
  ignore: REAL_KIND === undefined,
  fn: async () => {
    for (const line of KIND_CASES) {
      const args = line.split(" ");
      const real = await defaultRunner.run(REAL_KIND!, args, { throwOnError: false });
      const stub = run("kind", line);
      assert.equal(stub.code, real.code, `kind ${line}`);
      // kind prints its help on stdout for a missing subcommand; the stub's help is shorter
      assert.equal(stub.stderr, real.stderr, `kind ${line}`);
    }
  },
});

Deno.test({
  name: "stub docker answers usage errors exactly like the real docker CLI",
  ignore: REAL_DOCKER === undefined,
  fn: async () => {
    for (const line of DOCKER_CASES) {
      const args = line.split(" ");
      // nowhere to connect: only what the CLI decides by itself can come back
      const real = await defaultRunner.run(REAL_DOCKER!, args, {
        throwOnError: false,
        env: {
          DOCKER_HOST: "unix:///nonexistent/bosun-stubs-test.sock",
          DOCKER_CONFIG: "/nonexistent",
        },
      });
      const stub = run("docker", line);
      assert.equal(stub.code, real.code, `docker ${line}: ${real.stderr}`);
      assert.equal(stub.stderr, real.stderr, `docker ${line}`);
    }
  },
});
