// Gating and helpers for the real Kind e2e tests. `deno task test` provisions the engine and the
// offline images (tests/harness/docker.ts) and sets BOSUN_E2E=ready, or BOSUN_E2E="skip: <why>".
// Run directly (`deno test -A tests/e2e/`), the same checks are made here. Outside CI a test that
// cannot run is ignored with its reason printed; under CI=true it fails with that reason.

import { defaultRunner, type RunResult, which } from "../../lib/exec/mod.ts";
import { E2E_IMAGE, E2E_NODE_IMAGE, E2E_PREFIX } from "../harness/docker.ts";
import { isCI, REPO_ROOT } from "../harness/peers.ts";

export { E2E_IMAGE, E2E_NODE_IMAGE, E2E_PREFIX, REPO_ROOT };

async function status(): Promise<string | undefined> {
  const set = Deno.env.get("BOSUN_E2E");
  if (set === "ready") return undefined;
  if (set !== undefined) return set.replace(/^skip: /, "");
  if (await which("docker") === undefined) return "docker is not on PATH";
  const info = await defaultRunner.run("docker", ["info"], { throwOnError: false });
  if (!info.success) return "no Docker engine answers (`deno task test` provisions one)";
  if (await which("kind") === undefined) return "kind is not on PATH";
  const img = await defaultRunner.run("docker", ["image", "inspect", E2E_NODE_IMAGE], {
    throwOnError: false,
  });
  if (!img.success) return `the node image ${E2E_NODE_IMAGE} is not built (tools/build-images.sh)`;
  return undefined;
}

/**
 * kind's native config for our hosts: their Docker runs cgroup v1, which the kubelet refuses from
 * Kubernetes 1.35 on unless told (`failCgroupV1: false`). `extra` goes before the patches.
 */
export function kindNative(extra = ""): string {
  return `kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
${extra}kubeadmConfigPatches:
- |
  kind: KubeletConfiguration
  failCgroupV1: false
`;
}

/** Why the e2e tests cannot run here, or undefined when they can. */
export const E2E_BLOCKED: string | undefined = await status();

/** Registers an e2e test: ignored with its reason outside CI, failing under CI, when blocked. */
export function e2eTest(name: string, fn: (t: Deno.TestContext) => Promise<void>): void {
  const blocked = E2E_BLOCKED;
  if (blocked !== undefined && !isCI()) {
    console.log(`e2e SKIPPED "${name}": ${blocked}`);
  }
  Deno.test({
    name: `e2e: ${name}`,
    ignore: blocked !== undefined && !isCI(),
    sanitizeOps: false,
    sanitizeResources: false,
    fn: blocked === undefined ? fn : () => {
      throw new Error(`Cannot run e2e test "${name}" under CI: ${blocked}`);
    },
  });
}

/** Runs a command, throwing on failure (through the one Runner). */
export function sh(
  cmd: string,
  args: readonly string[],
  opts: { env?: Record<string, string>; cwd?: string; stdin?: string } = {},
): Promise<RunResult> {
  return defaultRunner.run(cmd, args, { timeoutMs: 600_000, ...opts });
}

/** Runs a command and returns its result without throwing. */
export function tryRun(
  cmd: string,
  args: readonly string[],
  opts: { env?: Record<string, string>; cwd?: string } = {},
): Promise<RunResult> {
  return defaultRunner.run(cmd, args, { timeoutMs: 600_000, throwOnError: false, ...opts });
}

/** A unique e2e cluster name (the reaper knows the prefix). */
export function clusterName(tag: string): string {
  return `${E2E_PREFIX}-${tag}-${crypto.randomUUID().slice(0, 4)}`;
}

/** Docker objects labelled for a cluster: containers (all states), volumes, networks. */
export async function labelled(name: string): Promise<string[]> {
  const filter = ["--filter", `label=dev.bosun.cluster=${name}`];
  const out: string[] = [];
  for (
    const args of [
      ["ps", "--all", "--format", "container {{.Names}}"],
      ["volume", "ls", "--format", "volume {{.Name}}"],
      ["network", "ls", "--format", "network {{.Name}}"],
    ]
  ) {
    const r = await sh("docker", [...args, ...filter]);
    out.push(...r.stdout.split("\n").filter((l) => l.trim() !== ""));
  }
  return out;
}

/** Containers of a kind cluster (its nodes), by kind's own label. */
export async function kindNodes(name: string): Promise<string[]> {
  const r = await sh("docker", [
    "ps",
    "--all",
    "--format",
    "{{.Names}}",
    "--filter",
    `label=io.x-k8s.kind.cluster=${name}`,
  ]);
  return r.stdout.split("\n").filter((l) => l.trim() !== "");
}

/** Deno's own cache, kept when a test points HOME elsewhere (so nothing is fetched again). */
export const DENO_DIR: string = Deno.env.get("DENO_DIR") ??
  `${Deno.env.get("HOME") ?? "/root"}/.cache/deno`;

/** `deno run -A cli.ts …` in `cwd` with `env` (and this process's DENO_DIR). */
export function bosun(
  args: readonly string[],
  opts: { env: Record<string, string>; cwd: string },
): Promise<RunResult> {
  return tryRun(Deno.execPath(), ["run", "-A", `${REPO_ROOT}/cli.ts`, ...args], {
    cwd: opts.cwd,
    env: { DENO_DIR, ...opts.env },
  });
}

/** A free loopback TCP port. */
export function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

/**
 * Builds an image under `ref` whose content no other image shares: the workload image's files
 * plus a file holding `ref`, flattened into one new layer. A node that holds any of an image's
 * blobs never fetches them again, and the kubelet treats an image ID it once pulled as not
 * preloaded under a new name: tests of pulls and side-loads need content of their own.
 */
export async function uniqueImage(ref: string): Promise<string> {
  const box = `bosun-e2e-build-${crypto.randomUUID().slice(0, 8)}`;
  await sh("docker", ["run", "--name", box, E2E_IMAGE, "sh", "-c", `echo '${ref}' > /unique`]);
  try {
    await sh("sh", [
      "-c",
      'docker export "$0" | docker import --change \'CMD ["sh"]\' ' +
      '--change "ENV PATH=/usr/local/bin:/usr/bin:/bin" - "$1"',
      box,
      ref,
    ]);
  } finally {
    await tryRun("docker", ["rm", "--force", box]);
  }
  return ref;
}
