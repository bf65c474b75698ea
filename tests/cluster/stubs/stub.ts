/**
 * One fake for the tools Bosun drives (docker, kind, k3d, talosctl, eksctl).
 * State lives in `$BOSUN_STUB_STATE/state.json`; every call is appended to
 * `$BOSUN_STUB_STATE/calls.jsonl`. Outputs follow the real tools' formats.
 * Setting `failAt: N` in the state makes the N-th mutating call fail the way
 * the real tool fails at that point (partial state included where the real
 * tool leaves some).
 */

import { parse, parseAllDocuments, stringify } from "yaml";

interface Container {
  id: string;
  name: string;
  image: string;
  labels: Record<string, string>;
  networks: string[];
  state: string;
  ports: number[];
  env: string[];
}
interface Named {
  name: string;
  labels: Record<string, string>;
  /** A network's subnet (`--subnet`). */
  subnet?: string;
}
interface State {
  containers: Container[];
  networks: Named[];
  volumes: Named[];
  files: Record<string, string>;
  mutations: number;
  failAt?: number;
  failMatch?: string;
}

const dir = Deno.env.get("BOSUN_STUB_STATE");
if (!dir) {
  console.error("BOSUN_STUB_STATE is not set");
  Deno.exit(2);
}
const statePath = `${dir}/state.json`;
const [tool, ...args] = Deno.args;
let state: State;
try {
  state = JSON.parse(Deno.readTextFileSync(statePath));
} catch {
  state = { containers: [], networks: [], volumes: [], files: {}, mutations: 0 };
}

class Exit extends Error {
  constructor(readonly code: number, readonly stderr: string) {
    super(stderr);
  }
}
const fail = (msg: string, code = 1): never => {
  throw new Exit(code, msg);
};
const out: string[] = [];
const print = (s: string): void => void out.push(s);

function isMutating(t: string, a: string[]): boolean {
  const line = a.join(" ");
  switch (t) {
    case "docker":
      return /^(run|rm|start|stop|volume (create|rm)|network (create|rm|connect|disconnect))\b/
        .test(
          line,
        );
    case "kind":
      return /^(create|delete) cluster/.test(line);
    case "k3d":
      return /^cluster (create|delete|start|stop)/.test(line);
    case "talosctl":
      return /^cluster (create|destroy)/.test(line);
    case "eksctl":
      return /^anywhere (create|delete) cluster/.test(line);
  }
  return false;
}

const mutating = isMutating(tool!, args);
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

function flag(name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}
function flags(name: string): string[] {
  const out: string[] = [];
  args.forEach((a, i) => a === name && args[i + 1] !== undefined && out.push(args[i + 1]!));
  return out;
}
function labelsOf(list: string[]): Record<string, string> {
  return Object.fromEntries(list.map((l) => {
    const eq = l.indexOf("=");
    return eq < 0 ? [l, ""] : [l.slice(0, eq), l.slice(eq + 1)];
  }));
}
let counter = 0;
const newId = () => crypto.randomUUID().replace(/-/g, "") + (counter++).toString(16);
function ensureNetwork(name: string, labels: Record<string, string> = {}) {
  if (!state.networks.some((n) => n.name === name)) state.networks.push({ name, labels });
}
function addContainer(
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
function removeContainers(pred: (c: Container) => boolean) {
  state.containers = state.containers.filter((c) => !pred(c));
}
function matches(c: { labels: Record<string, string> }, filter: string): boolean {
  const eq = filter.indexOf("=");
  if (eq < 0) return filter in c.labels;
  return c.labels[filter.slice(0, eq)] === filter.slice(eq + 1);
}
function filtered<T extends { name: string; labels: Record<string, string> }>(items: T[]): T[] {
  let list = items;
  for (const f of flags("--filter")) {
    if (f.startsWith("label=")) list = list.filter((c) => matches(c, f.slice(6)));
    else if (f.startsWith("name=")) {
      const v = f.slice(5);
      list = v.startsWith("^")
        ? list.filter((c) => new RegExp(v).test(c.name))
        : list.filter((c) => c.name.includes(v));
    }
  }
  return list;
}
const labelText = (l: Record<string, string>) =>
  Object.entries(l).map(([k, v]) => `${k}=${v}`).join(",");
function kubeconfig(name: string, user: string, context: string, server: string): string {
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
function writeFile(path: string, text: string) {
  const abs = path.startsWith("/") ? path : `${Deno.cwd()}/${path}`;
  Deno.mkdirSync(abs.slice(0, abs.lastIndexOf("/")), { recursive: true });
  Deno.writeTextFileSync(abs, text);
}

function docker(): void {
  const [a0, a1] = args;
  if (a0 === "version") return print("27.3.1");
  if (a0 === "ps") {
    const list = filtered(state.containers);
    for (const c of list) {
      if (args.includes("--quiet")) print(c.id);
      else {
        print(JSON.stringify({
          Command: '"/entrypoint.sh"',
          ID: c.id,
          Image: c.image,
          Labels: labelText(c.labels),
          Names: c.name,
          Networks: c.networks.join(","),
          Ports: c.ports.map((p) => `127.0.0.1:${p}->5000/tcp`).join(", "),
          State: c.state,
          Status: c.state === "running" ? "Up 2 minutes" : "Exited (0) 1 minute ago",
        }));
      }
    }
    return;
  }
  if ((a0 === "network" || a0 === "volume") && a1 === "ls") {
    const items = a0 === "network" ? state.networks : state.volumes;
    for (const n of filtered(items)) {
      print(
        args.includes("--quiet") ? n.name : JSON.stringify({
          Name: n.name,
          Labels: labelText(n.labels),
          Driver: a0 === "network" ? "bridge" : "local",
        }),
      );
    }
    return;
  }
  if (injected) {
    fail(`Error response from daemon: injected failure for docker ${args.join(" ")}`, 125);
  }
  if (a0 === "volume" && a1 === "create") {
    const name = args.at(-1)!;
    if (!state.volumes.some((v) => v.name === name)) {
      state.volumes.push({ name, labels: labelsOf(flags("--label")) });
    }
    return print(name);
  }
  if (a0 === "volume" && a1 === "rm") {
    const names = args.slice(2).filter((a) => !a.startsWith("-"));
    state.volumes = state.volumes.filter((v) => !names.includes(v.name));
    return;
  }
  if (a0 === "network" && a1 === "create") {
    const name = args.at(-1)!;
    if (state.networks.some((n) => n.name === name)) {
      fail(`Error response from daemon: network with name ${name} already exists`);
    }
    const subnet = flag("--subnet");
    state.networks.push({
      name,
      labels: labelsOf(flags("--label")),
      ...(subnet ? { subnet } : {}),
    });
    return print(newId());
  }
  if (a0 === "network" && a1 === "rm") {
    for (const name of args.slice(2)) {
      if (state.containers.some((c) => c.networks.includes(name))) {
        fail(
          `Error response from daemon: error while removing network: network ${name} has active endpoints`,
        );
      }
      state.networks = state.networks.filter((n) => n.name !== name);
    }
    return;
  }
  if (a0 === "network" && (a1 === "connect" || a1 === "disconnect")) {
    // Flags with a value (connect --ip/--alias); --force has none.
    const rest = args.slice(2).filter((a, i, all) =>
      !a.startsWith("-") && !["--ip", "--ip6", "--alias"].includes(all[i - 1] ?? "")
    );
    const [net, name] = rest as [string, string];
    const c = state.containers.find((c) => c.name === name || c.id === name);
    if (!state.networks.some((n) => n.name === net)) {
      fail(`Error response from daemon: network ${net} not found`);
    }
    if (!c) return fail(`Error response from daemon: No such container: ${name}`);
    if (a1 === "connect") {
      if (c.networks.includes(net)) {
        fail(
          `Error response from daemon: endpoint with name ${name} already exists in network ${net}`,
        );
      }
      c.networks.push(net);
    } else c.networks = c.networks.filter((n) => n !== net);
    return;
  }
  if (a0 === "run") {
    const name = flag("--name")!;
    if (state.containers.some((c) => c.name === name)) {
      fail(
        `docker: Error response from daemon: Conflict. The container name "/${name}" is already in use.`,
        125,
      );
    }
    const vol = flag("--volume")?.split(":")[0];
    if (vol && !state.volumes.some((v) => v.name === vol)) {
      state.volumes.push({ name: vol, labels: {} });
    }
    const publish = flag("--publish");
    const port = publish ? Number(publish.split(":")[1]) : undefined;
    const network = flag("--network");
    if (network && !state.networks.some((n) => n.name === network)) {
      fail(`docker: Error response from daemon: network ${network} not found.`, 125);
    }
    const c: Container = {
      id: newId(),
      name,
      image: args.at(-1)!,
      labels: labelsOf(flags("--label")),
      networks: [network ?? "bridge"],
      state: "running",
      ports: port ? [port] : [],
      env: flags("--env"),
    };
    if (port && state.containers.some((o) => o.ports.includes(port) && o.state === "running")) {
      c.state = "created";
      state.containers.push(c);
      fail(
        `docker: Error response from daemon: driver failed programming external connectivity on endpoint ${name}: Bind for 127.0.0.1:${port} failed: port is already allocated.`,
        125,
      );
    }
    state.containers.push(c);
    return print(c.id);
  }
  if (a0 === "rm") {
    const names = args.slice(1).filter((a) => !a.startsWith("-"));
    removeContainers((c) => names.includes(c.name) || names.includes(c.id));
    return names.forEach((n) => print(n));
  }
  if (a0 === "start" || a0 === "stop") {
    for (const n of args.slice(1)) {
      const c = state.containers.find((c) => c.name === n || c.id === n);
      if (!c) fail(`Error response from daemon: No such container: ${n}`);
      c!.state = a0 === "start" ? "running" : "exited";
      print(n);
    }
    return;
  }
  fail(`docker stub: unsupported ${args.join(" ")}`, 99);
}

function kindClusters(): string[] {
  return [
    ...new Set(
      state.containers.map((c) => c.labels["io.x-k8s.kind.cluster"]).filter((n): n is string =>
        !!n
      ),
    ),
  ].sort();
}

function kind(): void {
  const line = args.join(" ");
  if (args[0] === "version") return print("kind v0.27.0 go1.23.6 linux/amd64");
  if (line.startsWith("get clusters")) {
    const names = kindClusters();
    if (names.length === 0) return console.error("No kind clusters found.");
    return names.forEach((n) => print(n));
  }
  const name = flag("--name") ?? "kind";
  if (line.startsWith("get kubeconfig")) {
    if (!kindClusters().includes(name)) {
      fail(
        `ERROR: could not locate any control plane nodes for cluster named '${name}'. Use the --name option to select a different cluster`,
      );
    }
    return print(
      kubeconfig(`kind-${name}`, `kind-${name}`, `kind-${name}`, "https://127.0.0.1:40000"),
    );
  }
  if (line.startsWith("create cluster")) {
    if (kindClusters().includes(name)) {
      fail(
        `ERROR: failed to create cluster: node(s) already exist for a cluster with the name "${name}"`,
      );
    }
    const config = parse(Deno.readTextFileSync(flag("--config")!)) as {
      name?: string;
      nodes?: { role: string }[];
    };
    state.files[`kind:${name}`] = Deno.readTextFileSync(flag("--config")!);
    if (injected) {
      fail(
        `ERROR: failed to create cluster: injected failure (nodes removed, use --retain to keep them)`,
      );
    }
    ensureNetwork("kind");
    const count: Record<string, number> = {};
    for (const node of config.nodes ?? [{ role: "control-plane" }]) {
      const n = (count[node.role] = (count[node.role] ?? 0) + 1);
      addContainer(
        `${name}-${node.role}${n > 1 ? n : ""}`,
        {
          "io.x-k8s.kind.cluster": name,
          "io.x-k8s.kind.role": node.role,
        },
        "kind",
        "kindest/node:v1.34.0",
      );
    }
    const kc = flag("--kubeconfig");
    if (kc) {
      writeFile(
        kc,
        kubeconfig(`kind-${name}`, `kind-${name}`, `kind-${name}`, "https://127.0.0.1:40000"),
      );
    }
    console.error(
      `Creating cluster "${name}" ...\n ✓ Ensuring node image\nSet kubectl context to "kind-${name}"`,
    );
    return;
  }
  if (line.startsWith("delete cluster")) {
    if (injected) fail("ERROR: failed to delete cluster: injected failure");
    console.error(`Deleting cluster "${name}" ...`);
    removeContainers((c) => c.labels["io.x-k8s.kind.cluster"] === name);
    return;
  }
  fail(`kind stub: unsupported ${line}`, 99);
}

function k3d(): void {
  const line = args.join(" ");
  if (args[0] === "version") return print("k3d version v5.8.3\nk3s version v1.31.5-k3s1 (default)");
  const clusters = () =>
    [
      ...new Set(
        state.containers.map((c) => c.labels["k3d.cluster"]).filter((n): n is string => !!n),
      ),
    ].sort();
  if (line.startsWith("cluster list")) {
    return print(JSON.stringify(
      clusters().map((name) => {
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
      }),
    ));
  }
  if (line.startsWith("kubeconfig get")) {
    const name = args[2]!;
    if (!clusters().includes(name)) {
      fail(`FATA[0000] Failed to get cluster '${name}': No nodes found for given cluster`);
    }
    return print(
      kubeconfig(`k3d-${name}`, `admin@k3d-${name}`, `k3d-${name}`, "https://0.0.0.0:40001"),
    );
  }
  const name = args[2]!;
  if (line.startsWith("cluster create")) {
    const cfg = parse(Deno.readTextFileSync(flag("--config")!)) as {
      servers: number;
      agents: number;
      network?: string;
    };
    state.files[`k3d:${name}`] = Deno.readTextFileSync(flag("--config")!);
    if (clusters().includes(name)) {
      fail(
        `FATA[0000] Failed to create cluster '${name}' because a cluster with that name already exists`,
      );
    }
    if (injected) {
      fail(
        `ERRO[0003] Failed to create cluster >>> Rolling Back\nFATA[0005] Cluster creation FAILED, all changes have been rolled back!`,
      );
    }
    const net = cfg.network ?? `k3d-${name}`;
    if (!state.networks.some((n) => n.name === net)) ensureNetwork(net, { app: "k3d" });
    const labels = (role: string) => ({ app: "k3d", "k3d.cluster": name, "k3d.role": role });
    for (let i = 0; i < cfg.servers; i++) {
      addContainer(`k3d-${name}-server-${i}`, labels("server"), net, "rancher/k3s");
    }
    for (let i = 0; i < (cfg.agents ?? 0); i++) {
      addContainer(`k3d-${name}-agent-${i}`, labels("agent"), net, "rancher/k3s");
    }
    addContainer(`k3d-${name}-serverlb`, labels("loadbalancer"), net, "ghcr.io/k3d-io/k3d-proxy");
    return console.error(`INFO[0010] Cluster '${name}' created successfully!`);
  }
  if (line.startsWith("cluster delete")) {
    if (injected) fail("FATA[0000] injected failure");
    removeContainers((c) => c.labels["k3d.cluster"] === name);
    state.networks = state.networks.filter((n) =>
      !(n.name === `k3d-${name}` && n.labels.app === "k3d")
    );
    return console.error(`INFO[0001] Successfully deleted cluster ${name}!`);
  }
  if (line.startsWith("cluster start") || line.startsWith("cluster stop")) {
    if (injected) fail("FATA[0000] injected failure");
    for (const c of state.containers) {
      if (c.labels["k3d.cluster"] === name) c.state = args[1] === "start" ? "running" : "exited";
    }
    return;
  }
  fail(`k3d stub: unsupported ${line}`, 99);
}

/** The flags `talosctl cluster create docker` accepts (1.12 and 1.13 CLI reference). */
const TALOS_CREATE_DOCKER_FLAGS = [
  "--config-patch",
  "--config-patch-controlplanes",
  "--config-patch-workers",
  "--cpus-controlplanes",
  "--cpus-workers",
  "--exposed-ports",
  "--host-ip",
  "--image",
  "--kubernetes-version",
  "--memory-controlplanes",
  "--memory-workers",
  "--mount",
  "--subnet",
  "--talosconfig-destination",
  "--workers",
  "--name",
  "--state",
];

function talosctl(): void {
  const line = args.join(" ");
  if (line.startsWith("version")) {
    return print(
      "Client:\n\tTag:         v1.13.2\n\tSHA:         abcdef\n\tOS/Arch:     linux/amd64",
    );
  }
  const name = flag("--name") ?? "talos-default";
  const labels = (type: string) => ({
    "talos.owned": "true",
    "talos.cluster.name": name,
    "talos.type": type,
  });
  if (line.startsWith("cluster create") || line.startsWith("cluster destroy")) {
    // talosctl 1.12+: the Docker provisioner is `cluster create docker`, with its own flags.
    const allowed = line.startsWith("cluster create")
      ? TALOS_CREATE_DOCKER_FLAGS
      : ["--name", "--state", "--force"];
    if (line.startsWith("cluster create") && args[2] !== "docker") {
      fail("error: please run as root user (CNI, qemu hvf requirement)");
    }
    const unknown = args.find((a) => a.startsWith("--") && !allowed.includes(a.split("=")[0]!));
    if (unknown) fail(`Error: unknown flag: ${unknown.split("=")[0]}`);
  }
  if (line.startsWith("cluster create")) {
    if (state.containers.some((c) => c.labels["talos.cluster.name"] === name)) {
      fail(`error: cluster "${name}" already exists`);
    }
    for (const p of flags("--config-patch")) {
      const text = Deno.readTextFileSync(p.replace(/^@/, ""));
      for (const d of parseAllDocuments(text)) {
        if (d.errors.length) fail(`error: invalid patch ${p}`);
      }
      state.files[`talos:${name}:${p}`] = text;
    }
    // talosctl reuses a network labelled talos.owned=true, talos.cluster.name=<name> with the
    // same subnet; any other network of that name makes Docker refuse to create it.
    const subnet = flag("--subnet") ?? "10.5.0.0/24";
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
    const workers = Number(flag("--workers") ?? 1);
    addContainer(
      `${name}-controlplane-1`,
      labels("controlplane"),
      name,
      "ghcr.io/siderolabs/talos",
    );
    if (injected) fail("error: failed to bootstrap cluster: injected failure (nodes left behind)");
    for (let i = 1; i <= workers; i++) addContainer(`${name}-worker-${i}`, labels("worker"), name);
    const tc = flag("--talosconfig-destination");
    if (tc) {
      writeFile(
        tc,
        stringify({ context: name, contexts: { [name]: { endpoints: ["127.0.0.1:50000"] } } }),
      );
    }
    // After its health checks talosctl merges the admin kubeconfig into the one file $KUBECONFIG
    // names, else ~/.kube/config (the stub records that case instead of writing there).
    const kubeconfigs = (Deno.env.get("KUBECONFIG") ?? "").split(":").filter(Boolean);
    if (kubeconfigs.length > 1) fail("error: multiple kubeconfig files defined");
    const merged = kubeconfigs[0] ?? "~/.kube/config";
    state.files[`talos:${name}:kubeconfig-merged-into`] = merged;
    if (kubeconfigs[0]) {
      writeFile(
        kubeconfigs[0],
        kubeconfig(name, `admin@${name}`, `admin@${name}`, "https://127.0.0.1:40002"),
      );
    }
    return print(`merging talosconfig into ${tc}\nPROVISIONER docker\nNAME ${name}`);
  }
  if (line.startsWith("cluster destroy")) {
    if (injected) fail("error: injected failure");
    removeContainers((c) =>
      c.labels["talos.cluster.name"] === name && c.labels["talos.owned"] === "true"
    );
    if (state.containers.some((c) => c.networks.includes(name))) {
      fail(`error: error deleting network ${name}: network has active endpoints`);
    }
    state.networks = state.networks.filter((n) => n.name !== name);
    return print(`destroying node ${name}-controlplane-1`);
  }
  if (args[0] === "kubeconfig") {
    const path = args[1]!;
    const tc = JSON.stringify(parse(Deno.readTextFileSync(flag("--talosconfig")!)));
    const cluster = (JSON.parse(tc) as { context: string }).context;
    writeFile(
      path,
      kubeconfig(cluster, `admin@${cluster}`, `admin@${cluster}`, "https://127.0.0.1:40002"),
    );
    return;
  }
  fail(`talosctl stub: unsupported ${line}`, 99);
}

function eksctl(): void {
  const line = args.join(" ");
  if (line === "anywhere version") {
    return print(
      "Version: v0.22.0\nRelease Manifest URL: https://anywhere-assets.eks.amazonaws.com/releases/eks-a/manifest.yaml\nBundle Manifest URL: https://anywhere-assets.eks.amazonaws.com/releases/bundles/90/manifest.yaml",
    );
  }
  const file = flag("--filename") ?? flag("-f");
  if (!file) return fail('Error: required flag(s) "filename" not set');
  const docs = parseAllDocuments(Deno.readTextFileSync(file)).map((d) => d.toJS());
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
  if (line.startsWith("anywhere create cluster")) {
    state.files[`eksa:${name}`] = Deno.readTextFileSync(file);
    if (state.containers.some((c) => c.name === `${name}-lb`)) {
      fail(`Error: failed to create cluster: cluster ${name} already exists`);
    }
    ensureNetwork("kind");
    if (injected) {
      addContainer(
        `${name}-eks-a-cluster-control-plane`,
        labels("control-plane", `${name}-eks-a-cluster`),
        "kind",
      );
      addContainer(`${name}-lb`, labels("external-load-balancer"), "kind");
      fail(
        "Error: failed to create cluster: waiting for control plane to be ready: injected failure",
      );
    }
    addContainer(`${name}-lb`, labels("external-load-balancer"), "kind", "public.ecr.aws/haproxy");
    for (let i = 0; i < cluster.spec.controlPlaneConfiguration.count; i++) {
      addContainer(`${name}-cp${i}`, labels("control-plane"), "kind");
    }
    addContainer(`${name}-etcd-0`, labels("node"), "kind");
    for (const g of cluster.spec.workerNodeGroupConfigurations ?? []) {
      for (let i = 0; i < g.count; i++) {
        addContainer(`${name}-${g.name}-${i}`, labels("worker"), "kind");
      }
    }
    writeFile(
      `${name}/${name}-eks-a-cluster.kubeconfig`,
      kubeconfig(name, `${name}-admin`, `${name}-admin@${name}`, "https://127.0.0.1:40003"),
    );
    return print(`🎉 Cluster created!`);
  }
  if (line.startsWith("anywhere delete cluster")) {
    if (injected) fail("Error: injected failure");
    const kc = flag("--kubeconfig");
    if (kc && !exists(kc)) {
      fail(`Error: failed to validate cluster: kubeconfig file ${kc} not found`);
    }
    removeContainers((c) => c.labels["io.x-k8s.kind.cluster"] === name);
    return print("🗑️ Cluster deleted!");
  }
  fail(`eksctl stub: unsupported ${line}`, 99);
}
function exists(p: string): boolean {
  try {
    Deno.statSync(p);
    return true;
  } catch {
    return false;
  }
}

let code = 0;
let stderr = "";
try {
  ({ docker, kind, k3d, talosctl, eksctl } as Record<string, () => void>)[tool!]!();
} catch (e) {
  if (e instanceof Exit) {
    code = e.code;
    stderr = e.stderr;
  } else throw e;
}
Deno.writeTextFileSync(statePath, JSON.stringify(state, null, 1));
Deno.writeTextFileSync(
  `${dir}/calls.jsonl`,
  JSON.stringify({ tool, args, cwd: Deno.cwd(), mutating, failed: code !== 0 }) + "\n",
  { append: true },
);
if (out.length) console.log(out.join("\n"));
if (stderr) console.error(stderr);
Deno.exit(code);
