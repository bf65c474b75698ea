/**
 * A recording runner that answers like docker, kind and helm would, so the
 * `up`/`down`/`status` workflows can run their whole sequence here. The
 * cluster's API is a real test apiserver: `kind get kubeconfig` answers with
 * its kubeconfig.
 */

import { parse, stringify } from "yaml";
import { RecordingRunner } from "../../testing.ts";

/** State of the fake world. */
export interface FakeWorld {
  clusters: Set<string>;
  releases: Map<string, { chart: string; revision: number; values: string }>;
  containers: Set<string>;
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

/** Labels and networks of the containers `docker run` made, per world. */
const DETAILS = new WeakMap<
  FakeWorld,
  Map<string, { labels: string[]; networks: string[] }>
>();

function containerDetails(world: FakeWorld): Map<string, { labels: string[]; networks: string[] }> {
  let map = DETAILS.get(world);
  if (!map) DETAILS.set(world, map = new Map());
  return map;
}

function flag(args: readonly string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

/** A recording runner answering docker, kind and helm. */
export function fakeTools(world: FakeWorld, kubeconfigFor: (cluster: string) => Promise<string>) {
  return new RecordingRunner(async (cmd, args) => {
    const tool = cmd.slice(cmd.lastIndexOf("/") + 1);
    if (tool === "kind") {
      if (args[0] === "version") return { stdout: "kind v0.30.0 go1.24.2 linux/amd64\n" };
      if (args[0] === "get" && args[1] === "clusters") {
        return { stdout: [...world.clusters].join("\n") };
      }
      if (args[0] === "get" && args[1] === "kubeconfig") {
        return { stdout: await kubeconfigFor(flag(args, "--name") ?? "") };
      }
      if (args[0] === "create") world.clusters.add(flag(args, "--name") ?? "");
      if (args[0] === "delete") world.clusters.delete(flag(args, "--name") ?? "");
      return {};
    }
    if (tool === "docker") {
      if (args[0] === "version") return { stdout: "27.3.1\n" };
      const docker = containerDetails(world);
      if (args[0] === "run") {
        const name = flag(args, "--name") ?? "";
        world.containers.add(name);
        const labels = args.flatMap((a, i) => a === "--label" ? [args[i + 1]!] : []);
        const network = flag(args, "--network");
        docker.set(name, { labels, networks: network ? [network] : [] });
        return { stdout: "0123456789abcdef\n" };
      }
      if (args[0] === "network" && args[1] === "connect") {
        docker.get(args[3]!)?.networks.push(args[2]!);
        return {};
      }
      if (args[0] === "rm") {
        for (const name of args.slice(1).filter((a) => !a.startsWith("-"))) {
          world.containers.delete(name);
          docker.delete(name);
        }
        return {};
      }
      if (args[0] === "ps") {
        // Only the containers `docker run` made (the registries): kind's nodes are not listed.
        const filters = args.flatMap((a, i) => a === "--filter" ? [args[i + 1]!] : []);
        const lines = [...docker].filter(([name, c]) =>
          filters.every((f) =>
            f.startsWith("name=^") ? `^${name}$` === f.slice(5) : !f.startsWith("label=") ||
              c.labels.some((l) => l === f.slice(6) || l.startsWith(`${f.slice(6)}=`))
          )
        ).map(([name, c]) =>
          JSON.stringify({
            ID: name,
            Names: name,
            Image: "registry:3",
            State: "running",
            Labels: c.labels.join(","),
            Networks: c.networks.join(","),
          })
        );
        return { stdout: lines.join("\n") };
      }
      return {};
    }
    if (tool === "helm") {
      if (args[0] === "version") return { stdout: "v3.17.3+ge4da497\n" };
      const release = args[0] === "upgrade" || args[0] === "get" ? args[2]! : args[1]!;
      const ns = flag(args, "--namespace") ?? "default";
      const key = `${ns}/${release}`;
      if (args[0] === "history" || args[0] === "get") {
        const r = world.releases.get(key);
        if (!r) return { code: 1, stderr: "Error: release: not found\n" };
        if (args[0] === "get") return { stdout: r.values };
        return {
          stdout: JSON.stringify([{
            revision: r.revision,
            status: "deployed",
            chart: r.chart,
            app_version: "",
          }]),
        };
      }
      if (args[0] === "upgrade") {
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
        });
        return {};
      }
      if (args[0] === "uninstall") {
        world.releases.delete(key);
        return {};
      }
      return {};
    }
    return {};
  });
}
