import assert from "node:assert/strict";
import { parse } from "yaml";
import {
  KubeconfigError,
  kubeconfigPaths,
  loadKubeconfig,
  mergeKubeconfig,
  removeKubeconfigContext,
} from "../../lib/kube/mod.ts";
import { defaultRunner } from "../../lib/exec/mod.ts";
import { requirePeers } from "../harness/peers.ts";

// A kubeconfig as kubectl and kind write it, plus a hand-edited entry with
// comments, flow style and quoting that a re-serialiser would normalise.
const THREE = `apiVersion: v1
clusters:
- cluster:
    certificate-authority-data: Y2E=
    server: https://127.0.0.1:40125
  name: kind-alpha
# staging is managed by hand; keep this comment
- cluster: {server: "https://staging.example.com:6443", insecure-skip-tls-verify: true}
  name: staging
-   cluster:
      server: 'https://10.0.0.1'     # odd indentation
    name: prod
contexts:
- context:
    cluster: kind-alpha
    user: kind-alpha
  name: kind-alpha
- context: {cluster: staging, user: staging, namespace: "team-a"}
  name: staging
-   context:
      cluster: prod
      user: prod
    name: prod
current-context: kind-alpha
kind: Config
preferences: {}
users:
- name: kind-alpha
  user:
    client-certificate-data: Y2VydA==
    client-key-data: a2V5
- name: staging
  user:
    token: "abc123"
- name: prod
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1beta1
      command: aws
      args: [eks, get-token, --cluster-name, prod]
`;

function fragment(name: string, server = "https://127.0.0.1:6443") {
  return {
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name, cluster: { server, "certificate-authority-data": "Q0E=" } }],
    users: [{ name, user: { token: `tok-${name}` } }],
    contexts: [{ name, context: { cluster: name, user: name } }],
    "current-context": name,
  };
}

/** Source text of each entry of a section, in file order (split on top-level dashes). */
function entries(text: string, section: string): string[] {
  const lines = text.split("\n");
  const start = lines.indexOf(`${section}:`);
  const out: string[] = [];
  for (let i = start + 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (/^\S/.test(line) && !line.startsWith("-") && !line.startsWith("#")) break;
    if (line.startsWith("-")) out.push(line);
    else if (out.length > 0) out[out.length - 1] += `\n${line}`;
  }
  return out.map((e) => e.trimEnd());
}

async function tempConfig(text: string): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "bosun-kubeconfig-" });
  const path = `${dir}/config`;
  await Deno.writeTextFile(path, text);
  return path;
}

Deno.test("merge adds a context and leaves three others byte-for-byte in order", async () => {
  const path = await tempConfig(THREE);
  await mergeKubeconfig(fragment("kind-dev"), { kubeconfig: path });
  const after = await Deno.readTextFile(path);
  for (const section of ["clusters", "contexts", "users"]) {
    const before = entries(THREE, section);
    const now = entries(after, section);
    assert.equal(now.length, 4, section);
    assert.deepEqual(now.slice(0, 3), before, `${section} entries unchanged and in order`);
    assert.match(now[3]!, /kind-dev/);
  }
  assert.ok(after.includes("# staging is managed by hand; keep this comment"));
  assert.ok(after.includes("current-context: kind-alpha"), "current context untouched");
  // Removing the new context restores the original file exactly.
  const removed = await removeKubeconfigContext("kind-dev", { kubeconfig: path });
  assert.deepEqual(removed, { context: "kind-dev", cluster: "kind-dev", user: "kind-dev" });
  assert.equal(await Deno.readTextFile(path), THREE);
});

Deno.test("merge replaces an entry with the same name in place and can switch context", async () => {
  const path = await tempConfig(THREE);
  await mergeKubeconfig(fragment("staging", "https://new.example.com"), {
    kubeconfig: path,
    setCurrentContext: true,
  });
  const text = await Deno.readTextFile(path);
  const data = parse(text);
  assert.deepEqual(data.clusters.map((c: { name: string }) => c.name), [
    "kind-alpha",
    "staging",
    "prod",
  ]);
  assert.equal(data.clusters[1].cluster.server, "https://new.example.com");
  assert.equal(data["current-context"], "staging");
  assert.equal(entries(text, "clusters")[0], entries(THREE, "clusters")[0]);
  assert.equal(entries(text, "clusters")[2], entries(THREE, "clusters")[2]);
  assert.equal(entries(text, "users")[2], entries(THREE, "users")[2]);
});

Deno.test("concurrent merges all land (lock file), file mode is 0600", async () => {
  const path = await tempConfig(THREE);
  await Deno.chmod(path, 0o644);
  const names = Array.from({ length: 8 }, (_, i) => `kind-c${i}`);
  await Promise.all(names.map((n) => mergeKubeconfig(fragment(n), { kubeconfig: path })));
  const { data } = await loadKubeconfig({ kubeconfig: path });
  const contexts = (data.contexts ?? []).map((c) => c.name);
  assert.deepEqual(contexts.slice(0, 3), ["kind-alpha", "staging", "prod"]);
  assert.deepEqual([...contexts.slice(3)].sort(), names);
  assert.equal((await Deno.stat(path)).mode! & 0o777, 0o600);
  await assert.rejects(Deno.stat(`${path}.lock`), Deno.errors.NotFound);
});

Deno.test("merge creates a missing file (and directory) from a kind-style text fragment", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/nested/.kube/config`;
  const text = `apiVersion: v1
clusters:
- cluster:
    server: https://127.0.0.1:33333
  name: kind-new
contexts:
- context:
    cluster: kind-new
    user: kind-new
  name: kind-new
current-context: kind-new
kind: Config
preferences: {}
users:
- name: kind-new
  user:
    token: t
`;
  await mergeKubeconfig(text, { kubeconfig: path, setCurrentContext: true });
  const { data } = await loadKubeconfig({ kubeconfig: path });
  assert.equal(data["current-context"], "kind-new");
  assert.equal(data.clusters?.[0]?.cluster.server, "https://127.0.0.1:33333");
  assert.equal((await Deno.stat(path)).mode! & 0o777, 0o600);
});

Deno.test("remove keeps a cluster and user still used by another context", async () => {
  const path = await tempConfig(THREE);
  await mergeKubeconfig({
    contexts: [{ name: "alpha-ns", context: { cluster: "kind-alpha", user: "kind-alpha" } }],
  }, { kubeconfig: path });
  const removed = await removeKubeconfigContext("kind-alpha", { kubeconfig: path });
  assert.deepEqual(removed, { context: "kind-alpha", cluster: undefined, user: undefined });
  const data = parse(await Deno.readTextFile(path));
  assert.equal(data["current-context"], "");
  assert.ok(data.clusters.some((c: { name: string }) => c.name === "kind-alpha"));
  assert.deepEqual(data.contexts.map((c: { name: string }) => c.name), [
    "staging",
    "prod",
    "alpha-ns",
  ]);
  // Removing everything leaves valid, empty lists.
  for (const n of ["staging", "prod", "alpha-ns"]) {
    await removeKubeconfigContext(n, { kubeconfig: path });
  }
  const empty = parse(await Deno.readTextFile(path));
  assert.deepEqual([empty.clusters, empty.users, empty.contexts], [[], [], []]);
  assert.deepEqual(await removeKubeconfigContext("nope", { kubeconfig: path }), {
    context: undefined,
    cluster: undefined,
    user: undefined,
  });
});

Deno.test("load merges the KUBECONFIG list with first-wins rules", async () => {
  const a = await tempConfig(THREE);
  const b = await tempConfig(
    `clusters:\n- name: staging\n  cluster: {server: https://other}\n- name: extra\n  cluster: {server: https://extra}\ncurrent-context: extra\n`,
  );
  const { data, paths } = await loadKubeconfig({ kubeconfig: `${a}:${b}:/nonexistent/x` });
  assert.deepEqual(paths, [a, b]);
  assert.equal(data["current-context"], "kind-alpha");
  const staging = data.clusters?.find((c) => c.name === "staging");
  assert.equal(staging?.cluster.server, "https://staging.example.com:6443");
  assert.ok(data.clusters?.some((c) => c.name === "extra"));
  assert.deepEqual(kubeconfigPaths({ kubeconfig: `${a}:${a}` }), [a]);
});

Deno.test("invalid kubeconfig YAML names the file and line", async () => {
  const path = await tempConfig("apiVersion: v1\nclusters:\n- name: x\n  cluster: {server: [\n");
  const err = await loadKubeconfig({ kubeconfig: path }).catch((e) => e);
  assert.ok(err instanceof KubeconfigError);
  assert.equal(err.path, path);
  assert.match(err.message, /line \d+/);
  await assert.rejects(mergeKubeconfig(fragment("x"), { kubeconfig: path }), KubeconfigError);
});

const peers = await requirePeers("kubectl");
Deno.test({
  name: "kubectl reads the merged kubeconfig (real kubectl)",
  ignore: !peers,
  fn: async () => {
    const path = await tempConfig(THREE);
    await mergeKubeconfig(fragment("kind-dev"), { kubeconfig: path, setCurrentContext: true });
    const out = await defaultRunner.run(peers!.kubectl, [
      "config",
      "get-contexts",
      "-o",
      "name",
      "--kubeconfig",
      path,
    ]);
    assert.deepEqual(out.stdout.trim().split("\n").sort(), [
      "kind-alpha",
      "kind-dev",
      "prod",
      "staging",
    ]);
    const current = await defaultRunner.run(peers!.kubectl, [
      "config",
      "current-context",
      "--kubeconfig",
      path,
    ]);
    assert.equal(current.stdout.trim(), "kind-dev");
  },
});

Deno.test("two processes merging at the same time both land", async () => {
  const path = await tempConfig(THREE);
  const mod = new URL("../../lib/kube/mod.ts", import.meta.url).href;
  const script = (who: string) =>
    `import { mergeKubeconfig } from "${mod}";
     for (let i = 0; i < 5; i++) {
       await mergeKubeconfig({
         clusters: [{ name: "${who}-" + i, cluster: { server: "https://127.0.0.1:" + (7000 + i) } }],
         users: [{ name: "${who}-" + i, user: { token: "t" } }],
         contexts: [{ name: "${who}-" + i, context: { cluster: "${who}-" + i, user: "${who}-" + i } }],
       }, { kubeconfig: ${JSON.stringify(path)} });
     }`;
  const config = new URL("../../deno.json", import.meta.url).pathname;
  await Promise.all(
    ["p1", "p2"].map((who) =>
      defaultRunner.run(Deno.execPath(), ["eval", "--config", config, script(who)])
    ),
  );
  const { data } = await loadKubeconfig({ kubeconfig: path });
  const names = (data.contexts ?? []).map((c) => c.name);
  assert.deepEqual(names.slice(0, 3), ["kind-alpha", "staging", "prod"]);
  assert.deepEqual(
    names.slice(3).sort(),
    ["p1-0", "p1-1", "p1-2", "p1-3", "p1-4", "p2-0", "p2-1", "p2-2", "p2-3", "p2-4"],
  );
  assert.equal((data.users ?? []).length, 13);
  assert.deepEqual(
    entries(await Deno.readTextFile(path), "users").slice(0, 3),
    entries(THREE, "users"),
  );
});
