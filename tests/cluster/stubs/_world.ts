/**
 * The fake Docker world behind the stub tools (docker, kind, k3d, talosctl, eksctl): what
 * each command does to the state, with the real tools' output formats and error messages.
 * Pure except for the files a command reads or writes (through {@linkcode StubIo}), so the
 * stub executables (`stub.ts`) and in-process fakes (`tests/workflows/_fake_tools.ts`) share
 * one model.
 *
 * Every call is first parsed against the real CLI's command tree (`_specs.ts`): an unknown
 * command or flag is rejected the way the real CLI rejects it. Commands the real CLI has but
 * this model does not answer exit {@linkcode UNSUPPORTED} with `stub: unsupported …`.
 *
 * @module
 */

import { parse, parseAllDocuments, stringify } from "yaml";
import { type CliStyle, type CommandSpec, isOutcome, parseCli, type Parsed } from "./_cli.ts";
import {
  DOCKER,
  DOCKER_STYLE,
  EKSCTL_ANYWHERE,
  EKSCTL_ANYWHERE_STYLE,
  K3D,
  K3D_STYLE,
  KIND,
  KIND_STYLE,
  TALOSCTL,
  TALOSCTL_STYLE,
} from "./_specs.ts";

/** The exit code of a call the real tool accepts but the stubs do not model. */
export const UNSUPPORTED = 99;

/** A container. */
export interface Container {
  id: string;
  name: string;
  image: string;
  labels: Record<string, string>;
  networks: string[];
  /** `running`, `exited` or `created`. */
  state: string;
  ports: number[];
  env: string[];
  /** Named volumes mounted (`--volume name:/path`). */
  volumes?: string[];
}

/** A network or volume. */
export interface Named {
  name: string;
  labels: Record<string, string>;
  /** A network's subnet (`--subnet`). */
  subnet?: string;
}

/** Everything the stubs know; JSON, so the stub executables keep it in a file. */
export interface StubState {
  containers: Container[];
  networks: Named[];
  volumes: Named[];
  files: Record<string, string>;
  mutations: number;
  /** The N-th mutating call fails the way the real tool fails at that point. */
  failAt?: number;
  /** A mutating call whose line contains this fails. */
  failMatch?: string;
}

/** An empty world. */
export function emptyState(): StubState {
  return { containers: [], networks: [], volumes: [], files: {}, mutations: 0 };
}

/** Files and environment a command uses. */
export interface StubIo {
  /** The working directory (relative paths, eksctl's output directory). */
  readonly cwd: string;
  /** Environment variables the tool reads (`KUBECONFIG`). */
  readonly env: Readonly<Record<string, string | undefined>>;
  readFile(path: string): string;
  writeFile(path: string, text: string): void;
  exists(path: string): boolean;
  /** The kubeconfig a tool hands out for a cluster. @default a fake one (server 127.0.0.1:4000x) */
  kubeconfig?(tool: string, cluster: string, context: string): string | undefined;
}

/** The real file system as {@linkcode StubIo}. */
export function realIo(
  env: Readonly<Record<string, string | undefined>> = Deno.env.toObject(),
): StubIo {
  const abs = (p: string) => p.startsWith("/") ? p : `${Deno.cwd()}/${p}`;
  return {
    cwd: Deno.cwd(),
    env,
    readFile: (p) => Deno.readTextFileSync(abs(p)),
    writeFile: (p, text) => {
      const path = abs(p);
      Deno.mkdirSync(path.slice(0, path.lastIndexOf("/")), { recursive: true });
      Deno.writeTextFileSync(path, text);
    },
    exists: (p) => {
      try {
        Deno.statSync(abs(p));
        return true;
      } catch {
        return false;
      }
    },
  };
}

/** What one call did. */
export interface StubResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** Whether the call changes the world (counts for `failAt`). */
  readonly mutating: boolean;
  /** Whether the real CLI would refuse the call as written (unknown command or flag, bad arguments). */
  readonly rejected?: boolean;
}

const TREES: Readonly<Record<string, readonly [CommandSpec, CliStyle]>> = {
  docker: [DOCKER, DOCKER_STYLE],
  kind: [KIND, KIND_STYLE],
  k3d: [K3D, K3D_STYLE],
  talosctl: [TALOSCTL, TALOSCTL_STYLE],
};

class Exit extends Error {
  constructor(readonly code: number, readonly stderr: string) {
    super(stderr);
  }
}

const fail = (msg: string, code = 1): never => {
  throw new Exit(code, msg);
};

/** Runs `tool args…` against `state` (changed in place). */
export function runStub(
  state: StubState,
  tool: string,
  args: readonly string[],
  io: StubIo,
): StubResult {
  let tree = TREES[tool];
  let rest = args;
  if (tool === "eksctl") {
    if (args[0] !== "anywhere") {
      return {
        ...usage(1, `Error: unknown command ${JSON.stringify(args[0] ?? "")} for "eksctl"\n`),
        rejected: true,
      };
    }
    tree = [EKSCTL_ANYWHERE, EKSCTL_ANYWHERE_STYLE];
    rest = args.slice(1);
  }
  if (tree === undefined) return usage(127, `${tool}: command not found\n`);
  const parsed = parseCli(tree[0], tree[1], rest);
  if (isOutcome(parsed)) return { ...parsed, mutating: false, rejected: parsed.code !== 0 };
  const line = [...parsed.path, ...parsed.positionals].join(" ");
  if (parsed.opaque) return unsupported(tool, args);

  const mutating = isMutating(tool, line);
  let injected = false;
  if (mutating) {
    state.mutations += 1;
    if (
      (state.failAt !== undefined && state.mutations === state.failAt) ||
      (state.failMatch !== undefined && `${tool} ${args.join(" ")}`.includes(state.failMatch))
    ) {
      injected = true;
      delete state.failAt;
      delete state.failMatch;
    }
  }
  const out: string[] = [];
  const err: string[] = [];
  const ctx: Ctx = {
    state,
    io,
    p: parsed,
    injected,
    print: (s) => void out.push(s),
    log: (s) => void err.push(s),
  };
  try {
    const handled = HANDLERS[tool]!(ctx);
    if (handled === false) return unsupported(tool, args);
  } catch (e) {
    if (!(e instanceof Exit)) throw e;
    err.push(e.stderr);
    return { code: e.code, stdout: joined(out), stderr: joined(err), mutating };
  }
  return { code: 0, stdout: joined(out), stderr: joined(err), mutating };
}

function joined(lines: readonly string[]): string {
  return lines.length === 0 ? "" : `${lines.join("\n")}\n`;
}

function usage(code: number, stderr: string): StubResult {
  return { code, stdout: "", stderr, mutating: false };
}

function unsupported(tool: string, args: readonly string[]): StubResult {
  return usage(UNSUPPORTED, `${tool} stub: unsupported ${args.join(" ")}\n`);
}

function isMutating(tool: string, line: string): boolean {
  switch (tool) {
    case "docker":
      return /^(run|rm|start|stop|volume (create|rm)|network (create|rm|connect|disconnect))\b/
        .test(line);
    case "kind":
      return /^(create|delete) cluster/.test(line);
    case "k3d":
      return /^cluster (create|delete|start|stop)/.test(line);
    case "talosctl":
      return /^cluster (create|destroy)/.test(line);
    case "eksctl":
      return /^(create|delete) cluster/.test(line);
  }
  return false;
}

interface Ctx {
  readonly state: StubState;
  readonly io: StubIo;
  readonly p: Parsed;
  readonly injected: boolean;
  print(s: string): void;
  log(s: string): void;
}

/** Each tool's commands; `false` means "a real command this model does not answer". */
const HANDLERS: Readonly<Record<string, (ctx: Ctx) => void | false>> = {
  docker,
  kind,
  k3d,
  talosctl,
  eksctl,
};

let counter = 0;
const newId = () =>
  crypto.randomUUID().replace(/-/g, "") + (counter++).toString(16).padStart(32, "0");

function labelsOf(list: readonly string[]): Record<string, string> {
  return Object.fromEntries(list.map((l) => {
    const eq = l.indexOf("=");
    return eq < 0 ? [l, ""] : [l.slice(0, eq), l.slice(eq + 1)];
  }));
}

function ensureNetwork(state: StubState, name: string, labels: Record<string, string> = {}) {
  if (!state.networks.some((n) => n.name === name)) state.networks.push({ name, labels });
}

function addContainer(
  state: StubState,
  name: string,
  labels: Record<string, string>,
  network: string,
  image = "node",
) {
  if (state.containers.some((c) => c.name === name)) fail(`container ${name} exists`);
  state.containers.push({
    id: newId(),
    name,
    image,
    labels,
    networks: [network],
    state: "running",
    ports: [],
    env: [],
  });
}

function removeContainers(state: StubState, pred: (c: Container) => boolean) {
  state.containers = state.containers.filter((c) => !pred(c));
}

function matches(c: { labels: Record<string, string> }, filter: string): boolean {
  const eq = filter.indexOf("=");
  if (eq < 0) return filter in c.labels;
  return c.labels[filter.slice(0, eq)] === filter.slice(eq + 1);
}

/** docker's `--filter` for ps/network ls/volume ls (label=, name=, status=). */
function filtered<T extends { name: string; labels: Record<string, string>; state?: string }>(
  items: readonly T[],
  filters: readonly string[],
): T[] {
  let list = [...items];
  for (const f of filters) {
    const eq = f.indexOf("=");
    const key = f.slice(0, eq);
    const v = f.slice(eq + 1);
    if (key === "label") list = list.filter((c) => matches(c, v));
    else if (key === "name") {
      list = list.filter((c) => new RegExp(v).test(c.name));
    } else if (key === "status") list = list.filter((c) => c.state === v);
    else fail(`Error response from daemon: invalid filter '${key}'`);
  }
  return list;
}

const labelText = (l: Record<string, string>) =>
  Object.entries(l).map(([k, v]) => `${k}=${v}`).join(",");

function fakeKubeconfig(name: string, user: string, context: string, server: string): string {
  return stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name, cluster: { server, "certificate-authority-data": "Q0E=" } }],
    users: [{
      name: user,
      user: { "client-certificate-data": "Q0VSVA==", "client-key-data": "S0VZ" },
    }],
    contexts: [{ name: context, context: { cluster: name, user } }],
    "current-context": context,
    preferences: {},
  });
}

function kubeconfigFor(
  ctx: Ctx,
  tool: string,
  name: string,
  user: string,
  context: string,
  server: string,
): string {
  return ctx.io.kubeconfig?.(tool, name, context) ?? fakeKubeconfig(name, user, context, server);
}

/** `{{json .}}` (or `json`) is the only output format the model prints. */
function jsonFormat(ctx: Ctx): boolean {
  const format = ctx.p.flag("format");
  return format === undefined || format === "{{json .}}" || format === "json";
}

function docker(ctx: Ctx): void | false {
  const { state, p } = ctx;
  const [a0, a1] = p.path;
  const pos = p.positionals;
  if (a0 === "info") {
    // Only what Bosun asks: the host's cgroup version (cgroup v2, as on current hosts).
    if (p.flag("format") === "{{.CgroupVersion}}") return ctx.print("2");
    return false;
  }
  if (a0 === "version") {
    const format = p.flag("format");
    if (format === "{{.Server.Version}}" || format === "{{.Client.Version}}") {
      return ctx.print("27.3.1");
    }
    return false;
  }
  if (a0 === "ps") {
    if (!p.has("quiet") && !jsonFormat(ctx)) return false;
    // without --all, docker ps lists running containers only
    const shown = p.has("all")
      ? state.containers
      : state.containers.filter((c) => c.state === "running");
    for (const c of filtered(shown, p.all("filter"))) {
      if (p.has("quiet")) ctx.print(c.id);
      else {
        ctx.print(JSON.stringify({
          Command: '"/entrypoint.sh"',
          ID: p.has("no-trunc") ? c.id : c.id.slice(0, 12),
          Image: c.image,
          Labels: labelText(c.labels),
          Names: c.name,
          Networks: c.networks.join(","),
          Ports: c.ports.map((port) => `127.0.0.1:${port}->5000/tcp`).join(", "),
          State: c.state,
          Status: c.state === "running" ? "Up 2 minutes" : "Exited (0) 1 minute ago",
        }));
      }
    }
    return;
  }
  if ((a0 === "network" || a0 === "volume") && a1 === "ls") {
    if (!p.has("quiet") && !jsonFormat(ctx)) return false;
    const items = a0 === "network" ? state.networks : state.volumes;
    for (const n of filtered(items, p.all("filter"))) {
      ctx.print(
        p.has("quiet") ? n.name : JSON.stringify({
          Name: n.name,
          Labels: labelText(n.labels),
          Driver: a0 === "network" ? "bridge" : "local",
        }),
      );
    }
    return;
  }
  if (ctx.injected) {
    fail(
      `Error response from daemon: injected failure for docker ${p.path.join(" ")} ${
        pos.join(" ")
      }`,
      125,
    );
  }
  if (a0 === "volume" && a1 === "create") {
    const name = pos[0] ?? newId();
    if (!state.volumes.some((v) => v.name === name)) {
      state.volumes.push({ name, labels: labelsOf(p.all("label")) });
    }
    return ctx.print(name);
  }
  if (a0 === "volume" && a1 === "rm") {
    const errors: string[] = [];
    for (const name of pos) {
      const volume = state.volumes.find((v) => v.name === name);
      if (!volume) {
        if (!p.has("force")) errors.push(`Error response from daemon: get ${name}: no such volume`);
        continue;
      }
      const users = state.containers.filter((c) => (c.volumes ?? []).includes(name));
      if (users.length > 0) {
        errors.push(
          `Error response from daemon: remove ${name}: volume is in use - [${
            users.map((c) => c.id).join(", ")
          }]`,
        );
        continue;
      }
      state.volumes = state.volumes.filter((v) => v !== volume);
      ctx.print(name);
    }
    if (errors.length > 0) fail(errors.join("\n"));
    return;
  }
  if (a0 === "network" && a1 === "create") {
    const name = pos[0]!;
    if (state.networks.some((n) => n.name === name)) {
      fail(`Error response from daemon: network with name ${name} already exists`);
    }
    const subnet = p.flag("subnet");
    state.networks.push({ name, labels: labelsOf(p.all("label")), ...(subnet ? { subnet } : {}) });
    return ctx.print(newId());
  }
  if (a0 === "network" && a1 === "rm") {
    const errors: string[] = [];
    for (const name of pos) {
      if (!state.networks.some((n) => n.name === name)) {
        if (!p.has("force")) errors.push(`Error response from daemon: network ${name} not found`);
        continue;
      }
      if (state.containers.some((c) => c.networks.includes(name))) {
        errors.push(
          `Error response from daemon: error while removing network: network ${name} id ${newId()} has active endpoints`,
        );
        continue;
      }
      state.networks = state.networks.filter((n) => n.name !== name);
      ctx.print(name);
    }
    if (errors.length > 0) fail(errors.join("\n"));
    return;
  }
  if (a0 === "network" && (a1 === "connect" || a1 === "disconnect")) {
    const [net, name] = pos as [string, string];
    const c = state.containers.find((c) => c.name === name || c.id === name);
    if (!state.networks.some((n) => n.name === net)) {
      fail(`Error response from daemon: network ${net} not found`);
    }
    if (!c) return fail(`Error response from daemon: No such container: ${name}`);
    if (a1 === "connect") {
      if (c.networks.includes(net)) {
        fail(
          `Error response from daemon: endpoint with name ${c.name} already exists in network ${net}`,
        );
      }
      c.networks.push(net);
    } else {
      if (!c.networks.includes(net) && !p.has("force")) {
        fail(`Error response from daemon: container ${c.id} is not connected to network ${net}`);
      }
      c.networks = c.networks.filter((n) => n !== net);
    }
    return;
  }
  if (a0 === "run") {
    if (!p.has("detach")) return false;
    const name = p.flag("name") ?? `stub_${newId().slice(0, 8)}`;
    if (state.containers.some((c) => c.name === name)) {
      fail(
        `docker: Error response from daemon: Conflict. The container name "/${name}" is already in use by container "${
          state.containers.find((c) => c.name === name)!.id
        }". You have to remove (or rename) that container to be able to reuse that name.`,
        125,
      );
    }
    const volumes = p.all("volume").map((v) => v.split(":")[0]!).filter((v) => !v.startsWith("/"));
    for (const vol of volumes) {
      if (!state.volumes.some((v) => v.name === vol)) state.volumes.push({ name: vol, labels: {} });
    }
    const ports = p.all("publish").map((pub) => Number(pub.split(":").at(-2)));
    const network = p.flag("network");
    if (network && !state.networks.some((n) => n.name === network)) {
      fail(`docker: Error response from daemon: network ${network} not found.`, 125);
    }
    const c: Container = {
      id: newId(),
      name,
      image: pos[0]!,
      labels: labelsOf(p.all("label")),
      networks: [network ?? "bridge"],
      state: "running",
      ports,
      env: [...p.all("env")],
      volumes,
    };
    const busy = ports.find((port) =>
      state.containers.some((o) => o.ports.includes(port) && o.state === "running")
    );
    if (busy !== undefined) {
      c.state = "created";
      state.containers.push(c);
      fail(
        `docker: Error response from daemon: driver failed programming external connectivity on endpoint ${name} (${c.id}): Bind for 127.0.0.1:${busy} failed: port is already allocated.`,
        125,
      );
    }
    state.containers.push(c);
    return ctx.print(c.id);
  }
  if (a0 === "rm") {
    const errors: string[] = [];
    for (const n of pos) {
      const c = state.containers.find((c) => c.name === n || c.id === n);
      if (!c) {
        // docker 23+ ignores a missing container under --force
        if (p.has("force")) ctx.log(`Error response from daemon: No such container: ${n}`);
        else errors.push(`Error response from daemon: No such container: ${n}`);
        continue;
      }
      if (c.state === "running" && !p.has("force")) {
        errors.push(
          `Error response from daemon: You cannot remove a running container ${c.id}. Stop the container before attempting removal or force remove`,
        );
        continue;
      }
      removeContainers(state, (o) => o === c);
      ctx.print(n);
    }
    if (errors.length > 0) fail(errors.join("\n"));
    return;
  }
  if (a0 === "exec") {
    // Only what Bosun runs in nodes: kind's readiness wait (kubectl inside the control plane).
    const [n, ...command] = pos;
    const c = state.containers.find((c) => c.name === n || c.id === n);
    if (!c) return fail(`Error response from daemon: No such container: ${n}`);
    if (c.state !== "running") {
      fail(`Error response from daemon: Container ${c.id} is not running`);
    }
    if (command[0] !== "kubectl" && command[0] !== "sh") {
      fail(`stub docker: exec of ${command.join(" ")} in ${n} is not modelled`);
    }
    return;
  }
  if (a0 === "start" || a0 === "stop") {
    const missing: string[] = [];
    for (const n of pos) {
      const c = state.containers.find((c) => c.name === n || c.id === n);
      if (!c) {
        missing.push(n);
        continue;
      }
      c.state = a0 === "start" ? "running" : "exited";
      ctx.print(n);
    }
    if (missing.length > 0) {
      fail(
        [
          ...missing.map((n) => `Error response from daemon: No such container: ${n}`),
          `Error: failed to ${a0} containers: ${missing.join(", ")}`,
        ].join("\n"),
      );
    }
    return;
  }
  return false;
}

function kindClusters(state: StubState): string[] {
  return [
    ...new Set(
      state.containers.map((c) => c.labels["io.x-k8s.kind.cluster"]).filter((n): n is string =>
        !!n
      ),
    ),
  ].sort();
}

function kind(ctx: Ctx): void | false {
  const { state, p, io } = ctx;
  const line = p.path.join(" ");
  if (line === "version") return ctx.print("kind v0.33.0 go1.26.8 linux/amd64");
  if (line === "get clusters") {
    const names = kindClusters(state);
    if (names.length === 0) return ctx.log("No kind clusters found.");
    return names.forEach((n) => ctx.print(n));
  }
  const explicit = p.flag("name");
  if (line === "get kubeconfig") {
    const name = explicit ?? "kind";
    if (!kindClusters(state).includes(name)) {
      fail(
        `ERROR: could not locate any control plane nodes for cluster named '${name}'. Use the --name option to select a different cluster`,
      );
    }
    return ctx.print(
      kubeconfigFor(
        ctx,
        "kind",
        `kind-${name}`,
        `kind-${name}`,
        `kind-${name}`,
        "https://127.0.0.1:40000",
      ).trimEnd(),
    );
  }
  if (line === "get nodes") {
    const name = explicit ?? "kind";
    const nodes = state.containers.filter((c) => c.labels["io.x-k8s.kind.cluster"] === name);
    if (nodes.length === 0) return ctx.log(`No kind nodes found for cluster "${name}".`);
    return nodes.forEach((n) => ctx.print(n.name));
  }
  if (line === "create cluster") {
    const configPath = p.flag("config");
    const text = configPath === undefined ? "" : io.readFile(configPath);
    const config = (configPath === undefined ? {} : parse(text)) as {
      name?: string;
      nodes?: { role: string }[];
    };
    // --name, else the config's name, else "kind" (kind's own order)
    const name = explicit ?? config.name ?? "kind";
    if (kindClusters(state).includes(name)) {
      fail(
        `ERROR: failed to create cluster: node(s) already exist for a cluster with the name "${name}"`,
      );
    }
    state.files[`kind:${name}`] = text;
    if (ctx.injected) {
      fail(
        `ERROR: failed to create cluster: injected failure (nodes removed, use --retain to keep them)`,
      );
    }
    ensureNetwork(state, "kind");
    const count: Record<string, number> = {};
    for (const node of config.nodes ?? [{ role: "control-plane" }]) {
      const n = (count[node.role] = (count[node.role] ?? 0) + 1);
      addContainer(
        state,
        `${name}-${node.role}${n > 1 ? n : ""}`,
        { "io.x-k8s.kind.cluster": name, "io.x-k8s.kind.role": node.role },
        "kind",
        p.flag("image") ?? "kindest/node:v1.36.3",
      );
    }
    const kc = p.flag("kubeconfig");
    if (kc) {
      io.writeFile(
        kc,
        kubeconfigFor(
          ctx,
          "kind",
          `kind-${name}`,
          `kind-${name}`,
          `kind-${name}`,
          "https://127.0.0.1:40000",
        ),
      );
    }
    ctx.log(
      `Creating cluster "${name}" ...\n ✓ Ensuring node image\nSet kubectl context to "kind-${name}"`,
    );
    return;
  }
  if (line === "delete cluster") {
    const name = explicit ?? "kind";
    if (ctx.injected) fail("ERROR: failed to delete cluster: injected failure");
    ctx.log(`Deleting cluster "${name}" ...`);
    removeContainers(state, (c) => c.labels["io.x-k8s.kind.cluster"] === name);
    return;
  }
  if (line === "load docker-image") {
    const name = explicit ?? "kind";
    const nodes = state.containers.filter((c) => c.labels["io.x-k8s.kind.cluster"] === name);
    if (nodes.length === 0) fail(`ERROR: no nodes found for cluster "${name}"`);
    for (const image of p.positionals) {
      state.files[`kind-load:${name}:${image}`] = nodes.map((n) => n.name).join(",");
      ctx.log(
        `Image: "${image}" with ID "sha256:0000" not yet present on node "${
          nodes[0]!.name
        }", loading...`,
      );
    }
    return;
  }
  return false;
}

function k3d(ctx: Ctx): void | false {
  const { state, p, io } = ctx;
  const line = p.path.join(" ");
  if (line === "version") {
    return ctx.print("k3d version v5.8.3\nk3s version v1.31.5-k3s1 (default)");
  }
  const clusters = () =>
    [
      ...new Set(
        state.containers.map((c) => c.labels["k3d.cluster"]).filter((n): n is string => !!n),
      ),
    ].sort();
  if (line === "cluster list") {
    if (p.flag("output") !== "json") return false;
    return ctx.print(JSON.stringify(
      clusters().filter((n) => p.positionals.length === 0 || p.positionals.includes(n)).map(
        (name) => {
          const nodes = state.containers.filter((c) => c.labels["k3d.cluster"] === name);
          return {
            name,
            network: { name: `k3d-${name}`, External: false },
            token: "secret",
            nodes: nodes.map((n) => ({
              name: n.name,
              role: n.labels["k3d.role"],
              State: { Running: n.state === "running", Status: n.state },
            })),
            serversCount: nodes.filter((n) => n.labels["k3d.role"] === "server").length,
            agentsCount: nodes.filter((n) => n.labels["k3d.role"] === "agent").length,
            hasLoadbalancer: true,
            imageVolume: `k3d-${name}-images`,
          };
        },
      ),
    ));
  }
  if (line === "kubeconfig get") {
    if (p.positionals.length !== 1) return false;
    const name = p.positionals[0]!;
    if (!clusters().includes(name)) {
      fail(`FATA[0000] Failed to get cluster '${name}': No nodes found for given cluster`);
    }
    return ctx.print(
      kubeconfigFor(
        ctx,
        "k3d",
        `k3d-${name}`,
        `admin@k3d-${name}`,
        `k3d-${name}`,
        "https://0.0.0.0:40001",
      ).trimEnd(),
    );
  }
  if (line === "cluster create") {
    const configPath = p.flag("config");
    if (configPath === undefined) return false;
    const cfg = parse(io.readFile(configPath)) as {
      metadata?: { name?: string };
      servers: number;
      agents: number;
      network?: string;
    };
    const name = p.positionals[0] ?? cfg.metadata?.name ?? "k3s-default";
    state.files[`k3d:${name}`] = io.readFile(configPath);
    if (clusters().includes(name)) {
      fail(
        `FATA[0000] Failed to create cluster '${name}' because a cluster with that name already exists`,
      );
    }
    if (ctx.injected) {
      fail(
        `ERRO[0003] Failed to create cluster >>> Rolling Back\nFATA[0005] Cluster creation FAILED, all changes have been rolled back!`,
      );
    }
    const net = cfg.network ?? `k3d-${name}`;
    if (!state.networks.some((n) => n.name === net)) ensureNetwork(state, net, { app: "k3d" });
    const labels = (role: string) => ({ app: "k3d", "k3d.cluster": name, "k3d.role": role });
    for (let i = 0; i < cfg.servers; i++) {
      addContainer(state, `k3d-${name}-server-${i}`, labels("server"), net, "rancher/k3s");
    }
    for (let i = 0; i < (cfg.agents ?? 0); i++) {
      addContainer(state, `k3d-${name}-agent-${i}`, labels("agent"), net, "rancher/k3s");
    }
    addContainer(
      state,
      `k3d-${name}-serverlb`,
      labels("loadbalancer"),
      net,
      "ghcr.io/k3d-io/k3d-proxy",
    );
    return ctx.log(`INFO[0010] Cluster '${name}' created successfully!`);
  }
  if (line === "cluster delete" || line === "cluster start" || line === "cluster stop") {
    if (p.positionals.length !== 1) return false;
    const name = p.positionals[0]!;
    if (ctx.injected) fail("FATA[0000] injected failure");
    if (line === "cluster delete") {
      removeContainers(state, (c) => c.labels["k3d.cluster"] === name);
      state.networks = state.networks.filter((n) =>
        !(n.name === `k3d-${name}` && n.labels.app === "k3d")
      );
      return ctx.log(`INFO[0001] Successfully deleted cluster ${name}!`);
    }
    for (const c of state.containers) {
      if (c.labels["k3d.cluster"] === name) {
        c.state = line === "cluster start" ? "running" : "exited";
      }
    }
    return;
  }
  if (line === "image import") {
    const targets = p.all("cluster").length > 0 ? p.all("cluster") : ["k3s-default"];
    for (const cluster of targets) {
      if (!clusters().includes(cluster)) fail(`FATA[0000] Failed to get cluster '${cluster}'`);
      for (const image of p.positionals) state.files[`k3d-import:${cluster}:${image}`] = "1";
    }
    return ctx.log(
      `INFO[0000] Successfully imported ${p.positionals.length} image(s) into ${targets.length} cluster(s)`,
    );
  }
  return false;
}

function talosctl(ctx: Ctx): void | false {
  const { state, p, io } = ctx;
  const line = p.path.join(" ");
  if (line === "version") {
    if (!p.has("client")) return false;
    return ctx.print(
      "Client:\n\tTag:         v1.13.2\n\tSHA:         abcdef\n\tOS/Arch:     linux/amd64",
    );
  }
  const name = p.flag("name") ?? "talos-default";
  const labels = (type: string) => ({
    "talos.owned": "true",
    "talos.cluster.name": name,
    "talos.type": type,
  });
  if (line === "cluster create docker") {
    if (state.containers.some((c) => c.labels["talos.cluster.name"] === name)) {
      fail(`error: cluster "${name}" already exists`);
    }
    for (const patch of p.all("config-patch")) {
      const text = io.readFile(patch.replace(/^@/, ""));
      for (const d of parseAllDocuments(text)) {
        if (d.errors.length) fail(`error: invalid patch ${patch}`);
      }
      state.files[`talos:${name}:${patch}`] = text;
    }
    // talosctl reuses a network labelled talos.owned=true, talos.cluster.name=<name> with the
    // same subnet; any other network of that name makes Docker refuse to create it.
    const subnet = p.flag("subnet") ?? "10.5.0.0/24";
    const net = state.networks.find((n) => n.name === name);
    const ours = net?.labels["talos.owned"] === "true" && net.labels["talos.cluster.name"] === name;
    if (net && !ours) {
      fail(`error: Error response from daemon: network with name ${name} already exists`);
    }
    if (net && net.subnet !== subnet) {
      fail(`error: existing network has differing cidr: ${net.subnet} vs ${subnet}`);
    }
    if (!net) {
      state.networks.push({
        name,
        labels: { "talos.owned": "true", "talos.cluster.name": name },
        subnet,
      });
    }
    const workers = Number(p.flag("workers") ?? 1);
    addContainer(
      state,
      `${name}-controlplane-1`,
      labels("controlplane"),
      name,
      "ghcr.io/siderolabs/talos",
    );
    if (ctx.injected) {
      fail("error: failed to bootstrap cluster: injected failure (nodes left behind)");
    }
    for (let i = 1; i <= workers; i++) {
      addContainer(state, `${name}-worker-${i}`, labels("worker"), name);
    }
    const tc = p.flag("talosconfig-destination");
    if (tc) {
      io.writeFile(
        tc,
        stringify({ context: name, contexts: { [name]: { endpoints: ["127.0.0.1:50000"] } } }),
      );
    }
    // After its health checks talosctl merges the admin kubeconfig into the one file $KUBECONFIG
    // names, else ~/.kube/config (the stub records that case instead of writing there).
    const kubeconfigs = (io.env.KUBECONFIG ?? "").split(":").filter(Boolean);
    if (kubeconfigs.length > 1) fail("error: multiple kubeconfig files defined");
    const merged = kubeconfigs[0] ?? "~/.kube/config";
    state.files[`talos:${name}:kubeconfig-merged-into`] = merged;
    if (kubeconfigs[0]) {
      io.writeFile(
        kubeconfigs[0],
        kubeconfigFor(
          ctx,
          "talosctl",
          name,
          `admin@${name}`,
          `admin@${name}`,
          "https://127.0.0.1:40002",
        ),
      );
    }
    return ctx.print(`merging talosconfig into ${tc}\nPROVISIONER docker\nNAME ${name}`);
  }
  if (line === "cluster destroy") {
    if (ctx.injected) fail("error: injected failure");
    removeContainers(
      state,
      (c) => c.labels["talos.cluster.name"] === name && c.labels["talos.owned"] === "true",
    );
    if (state.containers.some((c) => c.networks.includes(name))) {
      fail(`error: error deleting network ${name}: network has active endpoints`);
    }
    state.networks = state.networks.filter((n) => n.name !== name);
    return ctx.print(`destroying node ${name}-controlplane-1`);
  }
  if (line === "kubeconfig") {
    const path = p.positionals[0];
    const talosconfig = p.flag("talosconfig");
    if (path === undefined || talosconfig === undefined || p.has("merge")) return false;
    const cluster = (parse(io.readFile(talosconfig)) as { context: string }).context;
    io.writeFile(
      path,
      kubeconfigFor(
        ctx,
        "talosctl",
        cluster,
        `admin@${cluster}`,
        `admin@${cluster}`,
        "https://127.0.0.1:40002",
      ),
    );
    return;
  }
  return false;
}

function eksctl(ctx: Ctx): void | false {
  const { state, p, io } = ctx;
  const line = p.path.join(" ");
  if (line === "version") {
    return ctx.print(
      "Version: v0.22.0\nRelease Manifest URL: https://anywhere-assets.eks.amazonaws.com/releases/eks-a/manifest.yaml\nBundle Manifest URL: https://anywhere-assets.eks.amazonaws.com/releases/bundles/90/manifest.yaml",
    );
  }
  const file = p.flag("filename");
  if (file === undefined) return false;
  const docs = parseAllDocuments(io.readFile(file)).map((d) => d.toJS());
  const cluster = docs.find((d) => d?.kind === "Cluster") as {
    metadata: { name: string };
    spec: {
      controlPlaneConfiguration: { count: number };
      workerNodeGroupConfigurations: { count: number; name: string }[];
    };
  };
  const name = cluster.metadata.name;
  const labels = (role: string, c = name) => ({
    "io.x-k8s.kind.cluster": c,
    "io.x-k8s.kind.role": role,
  });
  if (line === "create cluster") {
    state.files[`eksa:${name}`] = io.readFile(file);
    if (state.containers.some((c) => c.name === `${name}-lb`)) {
      fail(`Error: failed to create cluster: cluster ${name} already exists`, 255);
    }
    ensureNetwork(state, "kind");
    if (ctx.injected) {
      addContainer(
        state,
        `${name}-eks-a-cluster-control-plane`,
        labels("control-plane", `${name}-eks-a-cluster`),
        "kind",
      );
      addContainer(state, `${name}-lb`, labels("external-load-balancer"), "kind");
      fail(
        "Error: failed to create cluster: waiting for control plane to be ready: injected failure",
        255,
      );
    }
    addContainer(
      state,
      `${name}-lb`,
      labels("external-load-balancer"),
      "kind",
      "public.ecr.aws/haproxy",
    );
    for (let i = 0; i < cluster.spec.controlPlaneConfiguration.count; i++) {
      addContainer(state, `${name}-cp${i}`, labels("control-plane"), "kind");
    }
    addContainer(state, `${name}-etcd-0`, labels("node"), "kind");
    for (const g of cluster.spec.workerNodeGroupConfigurations ?? []) {
      for (let i = 0; i < g.count; i++) {
        addContainer(state, `${name}-${g.name}-${i}`, labels("worker"), "kind");
      }
    }
    io.writeFile(
      `${io.cwd}/${name}/${name}-eks-a-cluster.kubeconfig`,
      kubeconfigFor(
        ctx,
        "eksctl",
        name,
        `${name}-admin`,
        `${name}-admin@${name}`,
        "https://127.0.0.1:40003",
      ),
    );
    return ctx.print(`🎉 Cluster created!`);
  }
  if (line === "delete cluster") {
    if (ctx.injected) fail("Error: injected failure", 255);
    const kc = p.flag("kubeconfig");
    if (kc && !io.exists(kc)) {
      fail(`Error: failed to validate cluster: kubeconfig file ${kc} not found`, 255);
    }
    removeContainers(state, (c) => c.labels["io.x-k8s.kind.cluster"] === name);
    return ctx.print("🗑️ Cluster deleted!");
  }
  return false;
}
