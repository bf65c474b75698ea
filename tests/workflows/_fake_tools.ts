/**
 * A recording runner that answers like docker, kind and helm would, so the
 * `up`/`down`/`status` workflows can run their whole sequence here. docker and kind are the
 * stub tools' model (`tests/cluster/stubs/_world.ts`): a call the real CLI would refuse, or
 * one the model does not answer, fails the test. The cluster's API is a real test
 * apiserver: `kind get kubeconfig` answers with its kubeconfig.
 */

import { type FakeResult, RecordingRunner, UnexpectedCallError } from "../../testing.ts";
import { parse, stringify } from "yaml";
import {
  emptyState,
  realIo,
  runStub,
  type StubState,
  UNSUPPORTED,
} from "../cluster/stubs/_world.ts";

/** A Helm release as the fake helm keeps it. */
export interface FakeRelease {
  chart: string;
  revision: number;
  values: string;
  description: string;
}

/** State of the fake world: the stub tools' Docker state and Helm's releases. */
export interface FakeWorld {
  /** Containers, networks, volumes (docker, kind). */
  readonly docker: StubState;
  /** Releases by `<namespace>/<name>`. */
  readonly releases: Map<string, FakeRelease>;
}

/** An empty world. */
export function fakeWorld(): FakeWorld {
  return { docker: emptyState(), releases: new Map() };
}

/** Options of {@linkcode fakeTools}. */
export interface FakeToolsOptions {
  /** The answer to calls nobody expected. @default none: such a call fails the test */
  readonly fallback?: FakeResult;
}

/** Makes PATH hold stub executables (never run: the recording runner answers). */
export async function stubPath(
  names: readonly string[],
): Promise<{ restore: () => Promise<void> }> {
  const dir = await Deno.makeTempDir({ prefix: "bosun-stubs-" });
  for (const name of names) {
    await Deno.writeTextFile(`${dir}/${name}`, "#!/bin/sh\necho 'stub: not run' >&2\nexit 97\n", {
      mode: 0o755,
    });
  }
  const old = Deno.env.get("PATH") ?? "";
  Deno.env.set("PATH", `${dir}:${old}`);
  return {
    restore: async () => {
      Deno.env.set("PATH", old);
      await Deno.remove(dir, { recursive: true });
    },
  };
}

/** The test apiserver's kubeconfig with its context renamed to `context`. */
export async function kubeconfigAs(path: string, context: string): Promise<string> {
  const doc = parse(await Deno.readTextFile(path)) as {
    contexts: { name: string; context: Record<string, unknown> }[];
    "current-context"?: string;
  };
  const first = doc.contexts[0]!;
  doc.contexts = [{ name: context, context: first.context }];
  doc["current-context"] = context;
  return stringify(doc);
}

function flag(args: readonly string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

/**
 * A recording runner answering docker, kind and helm from `world`. Anything else, a call the
 * real tool would refuse, or one the model does not answer throws
 * {@linkcode UnexpectedCallError} unless `options.fallback` is given.
 */
export function fakeTools(
  world: FakeWorld,
  kubeconfigFor: (cluster: string) => Promise<string>,
  options: FakeToolsOptions = {},
): RecordingRunner {
  return new RecordingRunner(async (cmd, args) => {
    const tool = cmd.slice(cmd.lastIndexOf("/") + 1);
    if (tool === "docker" || tool === "kind") {
      // kind hands out the test apiserver's kubeconfig (read before the synchronous model runs)
      const cluster = flag(args, "--name") ?? flag(args, "-n") ?? "kind";
      const kubeconfig = tool === "kind" && (args[0] === "get" || args[0] === "create")
        ? await kubeconfigFor(cluster)
        : undefined;
      const io = { ...realIo({}), kubeconfig: () => kubeconfig };
      const result = runStub(world.docker, tool, args, io);
      if (result.rejected) {
        throw new UnexpectedCallError(
          cmd,
          args,
          `the real ${tool} refuses it: ${result.stderr.trim()}`,
        );
      }
      if (result.code === UNSUPPORTED) return undefined;
      return { code: result.code, stdout: result.stdout, stderr: result.stderr };
    }
    if (tool === "helm") return await helm(world, args);
    return undefined;
  }, options.fallback === undefined ? {} : { fallback: options.fallback });
}

async function helm(world: FakeWorld, args: readonly string[]): Promise<FakeResult | undefined> {
  if (args[0] === "version") return { stdout: "v3.17.3+ge4da497\n" };
  const release = args[0] === "upgrade" || args[0] === "get" ? args[2]! : args[1]!;
  const ns = flag(args, "--namespace") ?? "default";
  const key = `${ns}/${release}`;
  if (args[0] === "history" || (args[0] === "get" && args[1] === "values")) {
    const r = world.releases.get(key);
    if (!r) return { code: 1, stderr: "Error: release: not found\n" };
    if (args[0] === "get") return { stdout: r.values };
    return {
      stdout: JSON.stringify([{
        revision: r.revision,
        status: "deployed",
        chart: r.chart,
        app_version: "",
        description: r.description,
      }]),
    };
  }
  if (args[0] === "upgrade" && args[1] === "--install") {
    const ref = args[3]!;
    const name = ref.slice(ref.lastIndexOf("/") + 1);
    const version = (flag(args, "--version") ?? "0.0.0").replace(/^v/, "");
    const prev = world.releases.get(key);
    const valuesFile = flag(args, "--values");
    const values = valuesFile ? await Deno.readTextFile(valuesFile) : "{}";
    world.releases.set(key, {
      chart: `${name}-${version}`,
      revision: (prev?.revision ?? 0) + 1,
      values,
      description: flag(args, "--description") ?? (prev ? "Upgrade complete" : "Install complete"),
    });
    return {};
  }
  if (args[0] === "uninstall") {
    world.releases.delete(key);
    return {};
  }
  return undefined;
}
