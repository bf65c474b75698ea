/**
 * The few `docker` calls Bosun makes, through the Runner. Private to
 * lib/registry and lib/cluster.
 *
 * @module
 */

import type { Runner } from "../exec/mod.ts";

/** A container as `docker ps --format '{{json .}}'` describes it. */
export interface ContainerInfo {
  readonly id: string;
  readonly name: string;
  readonly image: string;
  /** `running`, `exited`, `created`, `paused`, … */
  readonly state: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly networks: readonly string[];
}

/** A network or volume as `docker network|volume ls --format '{{json .}}'` describes it. */
export interface NamedObject {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
}

function parseLabels(text: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (typeof text !== "string" || text === "") return out;
  for (const pair of text.split(",")) {
    const eq = pair.indexOf("=");
    if (eq > 0) out[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return out;
}

function jsonLines(text: string): Record<string, unknown>[] {
  return text.split("\n").map((l) => l.trim()).filter(Boolean).map((l) =>
    JSON.parse(l) as Record<string, unknown>
  );
}

/** A `docker` command line as data, for plans and for running. */
export interface DockerCall {
  readonly cmd: "docker";
  readonly args: readonly string[];
}

/** Thin wrapper over the docker CLI. */
export class Docker {
  readonly #runner: Runner;

  constructor(runner: Runner) {
    this.#runner = runner;
  }

  /** Runs `docker args…` and returns stdout; throws CommandError on failure. */
  async run(args: readonly string[]): Promise<string> {
    return (await this.#runner.run("docker", args)).stdout;
  }

  /** Runs `docker args…` ignoring failure (cleanup); returns whether it succeeded. */
  async tryRun(args: readonly string[]): Promise<boolean> {
    return (await this.#runner.run("docker", args, { throwOnError: false })).success;
  }

  /** Containers (running or not) matching every label filter (`key=value` or `key`). */
  async containers(filters: readonly string[], name?: string): Promise<ContainerInfo[]> {
    const args = ["ps", "--all", "--no-trunc"];
    for (const f of filters) args.push("--filter", `label=${f}`);
    if (name !== undefined) args.push("--filter", `name=^${name}$`);
    args.push("--format", "{{json .}}");
    return jsonLines(await this.run(args)).map((c) => ({
      id: String(c.ID ?? ""),
      name: String(c.Names ?? "").split(",")[0]!.replace(/^\//, ""),
      image: String(c.Image ?? ""),
      state: String(c.State ?? ""),
      labels: parseLabels(c.Labels),
      networks: String(c.Networks ?? "").split(",").filter(Boolean),
    }));
  }

  /** The container with exactly this name, labelled or not. */
  async container(name: string): Promise<ContainerInfo | undefined> {
    return (await this.containers([], name)).find((c) => c.name === name);
  }

  /** Networks matching every label filter, or the one with this name. */
  async networks(filters: readonly string[], name?: string): Promise<NamedObject[]> {
    return await this.#objects("network", filters, name);
  }

  /** Volumes matching every label filter, or the one with this name. */
  async volumes(filters: readonly string[], name?: string): Promise<NamedObject[]> {
    return await this.#objects("volume", filters, name);
  }

  async #objects(
    what: "network" | "volume",
    filters: readonly string[],
    name?: string,
  ): Promise<NamedObject[]> {
    const args: string[] = [what, "ls"];
    for (const f of filters) args.push("--filter", `label=${f}`);
    if (name !== undefined) args.push("--filter", `name=${name}`);
    args.push("--format", "{{json .}}");
    const all = jsonLines(await this.run(args)).map((o) => ({
      name: String(o.Name ?? ""),
      labels: parseLabels(o.Labels),
    }));
    // `name=` filters match substrings; keep exact matches only.
    return name === undefined ? all : all.filter((o) => o.name === name);
  }
}
