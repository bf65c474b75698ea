// A user's first run, on a real Kind cluster (1 control plane + 1 worker) in a real Docker engine,
// through the `bosun` command line, with HOME set to a temp dir so every default path is exercised
// (~/.kube/config among them, holding one unrelated context). One cluster is shared by the steps,
// in order: up → checks → the mirror → a second up → stop/start → images load → down.
// bosun.yaml has no native kind config: on our cgroup-v1 hosts the cluster only comes up because
// Bosun notices (docker info) and tells the kubelets to accept cgroup v1.
//
// The mirror: a second registry on the kind network stands in for an upstream
// (`upstream.test:5000`, holding an image nothing else has); a pod naming the image by its upstream
// reference is pulled through Bosun's pull-through mirror, whose storage then holds it, and a
// second pull works with the stand-in stopped.

import assert from "node:assert/strict";
import { parse } from "yaml";
import {
  bosun,
  clusterName,
  E2E_IMAGE,
  e2eTest,
  freePort,
  kindNodes,
  labelled,
  sh,
  tryRun,
  uniqueImage,
} from "./_e2e.ts";

interface Kubeconfig {
  contexts?: { name: string; context: Record<string, string> }[];
  clusters?: { name: string }[];
  users?: { name: string }[];
  "current-context"?: string;
}

const UNRELATED = `apiVersion: v1
kind: Config
clusters:
- name: elsewhere
  cluster:
    server: https://127.0.0.1:1
contexts:
- name: elsewhere
  context:
    cluster: elsewhere
    user: elsewhere
current-context: elsewhere
users:
- name: elsewhere
  user:
    token: not-a-real-token
`;

function pod(name: string, image: string, pullPolicy = "IfNotPresent"): string {
  return JSON.stringify({
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, namespace: "default", labels: { app: name } },
    spec: {
      restartPolicy: "Always",
      containers: [{
        name: "c",
        image,
        imagePullPolicy: pullPolicy,
        command: ["sh", "-c", "echo started; exec sleep 3600"],
      }],
    },
  });
}

e2eTest(
  "a user's first bosun up on Kind: registry, mirror, context, stop/start, images load, down",
  async (t) => {
    const name = clusterName("first");
    const home = await Deno.makeTempDir({ prefix: "bosun-e2e-home-" });
    const project = await Deno.makeTempDir({ prefix: "bosun-e2e-project-" });
    const port = freePort();
    const upstreamPort = freePort();
    const upstream = `${name}-upstream`;
    const env = { HOME: home, KUBECONFIG: "", NO_COLOR: "1" };
    const kubeconfig = `${home}/.kube/config`;
    await Deno.mkdir(`${home}/.kube`, { recursive: true });
    await Deno.writeTextFile(kubeconfig, UNRELATED);
    await Deno.writeTextFile(
      `${project}/bosun.yaml`,
      `apiVersion: bosun.dev/v1alpha1
kind: Cluster
metadata:
  name: ${name}
spec:
  distribution: Kind
  kubernetesVersion: v1.36.3
  nodes: { controlPlanes: 1, workers: 1 }
  registry:
    local: { enabled: true, hostPort: ${port} }
    mirrors: { "upstream.test:5000": "http://upstream.test:5000" }
  gitops: { engine: None }
`,
    );
    const kubectl = (...args: string[]) =>
      sh("kubectl", ["--kubeconfig", kubeconfig, "--context", `kind-${name}`, ...args]);
    const run = (...args: string[]) => bosun(args, { env, cwd: project });
    const apply = (...docs: string[]) =>
      sh("kubectl", ["--kubeconfig", kubeconfig, "--context", `kind-${name}`, "apply", "-f", "-"], {
        stdin: docs.join("\n"),
      });
    const nodesReady = async () => {
      const r = await kubectl("get", "nodes", "-o", "json");
      const items = JSON.parse(r.stdout).items as {
        metadata: { name: string };
        status: { conditions: { type: string; status: string }[] };
      }[];
      return items.map((n) => ({
        name: n.metadata.name,
        ready: n.status.conditions.some((c) => c.type === "Ready" && c.status === "True"),
      }));
    };
    const waitPodRunning = async (pod: string, timeoutMs = 120_000) => {
      await kubectl(
        "wait",
        "--for=condition=Ready",
        `pod/${pod}`,
        `--timeout=${timeoutMs / 1000}s`,
      );
    };

    // The stand-in upstream, on the kind network under the name upstream.test.
    if (!(await tryRun("docker", ["network", "inspect", "kind"])).success) {
      await sh("docker", ["network", "create", "kind"]);
    }
    await sh("docker", [
      "run",
      "--detach",
      "--name",
      upstream,
      "--network",
      "kind",
      "--network-alias",
      "upstream.test",
      "--publish",
      `127.0.0.1:${upstreamPort}:5000`,
      "registry:3",
    ]);
    try {
      await t.step("bosun up creates the registry, the mirror and the cluster", async () => {
        const r = await run("--json", "up", "--no-push");
        assert.equal(r.code, 0, `bosun up failed:\n${r.stdout}\n${r.stderr}`);
        // Every node Ready as soon as up returns (kind's own --wait covers only the control plane).
        const nodes = await nodesReady();
        assert.equal(nodes.length, 2);
        assert.deepEqual(nodes.filter((n) => !n.ready), [], "every node Ready when up returns");
      });

      await t.step("the context is merged and the other one is left byte-identical", async () => {
        const text = await Deno.readTextFile(kubeconfig);
        const data = parse(text) as Kubeconfig;
        const names = (data.contexts ?? []).map((c) => c.name).sort();
        assert.deepEqual(names, ["elsewhere", `kind-${name}`].sort());
        const before = parse(UNRELATED) as Kubeconfig;
        for (const key of ["clusters", "users", "contexts"] as const) {
          const was = (before[key] ?? []).find((e) => e.name === "elsewhere");
          const now = (data[key] ?? []).find((e) => e.name === "elsewhere");
          assert.deepEqual(now, was, `${key} entry "elsewhere" unchanged`);
        }
        assert.ok(text.includes("token: not-a-real-token"));
      });

      await t.step("an image pushed from the host runs under both registry names", async () => {
        const pushed = `localhost:${port}/e2e/busybox:1`;
        await sh("docker", ["tag", E2E_IMAGE, pushed]);
        await sh("docker", ["push", pushed]);
        await apply(
          pod("via-localhost", pushed),
          pod("via-cluster", `${name}-registry:5000/e2e/busybox:1`),
        );
        await waitPodRunning("via-localhost");
        await waitPodRunning("via-cluster");
        const cm = await kubectl(
          "get",
          "configmap",
          "-n",
          "kube-public",
          "local-registry-hosting",
          "-o",
          "json",
        );
        const data = JSON.parse(cm.stdout).data as Record<string, string>;
        assert.match(data["localRegistryHosting.v1"] ?? "", new RegExp(`localhost:${port}`));
      });

      await t.step("a pod naming an upstream image is pulled through Bosun's mirror", async () => {
        const only = await uniqueImage(`127.0.0.1:${upstreamPort}/e2e/only-upstream:1`);
        await sh("docker", ["push", only]);
        await sh("docker", ["rmi", only]);
        const ref = "upstream.test:5000/e2e/only-upstream:1";
        await apply(pod("via-mirror", ref));
        await waitPodRunning("via-mirror");
        const mirror = (await labelled(name)).find((l) =>
          l.startsWith("container ") && l.includes("mirror")
        );
        assert.ok(mirror, "a mirror container is labelled for the cluster");
        const mirrorName = mirror.split(" ")[1]!;
        // The mirror's own storage lists the repository (asked over the kind network).
        const catalog = await sh("docker", [
          "run",
          "--rm",
          "--network",
          "kind",
          E2E_IMAGE,
          "wget",
          "-qO-",
          `http://${mirrorName}:5000/v2/_catalog`,
        ]);
        assert.deepEqual(JSON.parse(catalog.stdout).repositories, ["e2e/only-upstream"]);
        // And serves it alone: stop the upstream, remove the image from every node, pull again.
        await sh("docker", ["stop", upstream]);
        await kubectl("delete", "pod", "via-mirror", "--wait=true");
        for (const node of await kindNodes(name)) {
          await tryRun("docker", ["exec", node, "crictl", "rmi", ref]);
        }
        await apply(pod("via-mirror-again", ref, "Always"));
        await waitPodRunning("via-mirror-again");
      });

      await t.step(
        "bosun status reports it; a second bosun up changes nothing and says so",
        async () => {
          const s = await run("--json", "status");
          assert.equal(s.code, 0, s.stderr);
          const status = JSON.parse(s.stdout);
          assert.equal(status.cluster, name);
          assert.equal(status.exists, true);
          assert.equal(status.context, `kind-${name}`);
          const before = await labelled(name);
          const again = await run("up", "--no-push");
          assert.equal(again.code, 0, again.stderr);
          assert.match(again.stdout + again.stderr, /nothing to do|unchanged|already/i);
          assert.deepEqual(await labelled(name), before, "no Docker object added or removed");
        },
      );

      await t.step("cluster stop then start: nodes Ready again and the workload back", async () => {
        assert.equal((await run("cluster", "stop")).code, 0);
        const stopped = await sh("docker", [
          "ps",
          "--format",
          "{{.Names}}",
          "--filter",
          `label=io.x-k8s.kind.cluster=${name}`,
        ]);
        assert.equal(stopped.stdout.trim(), "", "no node running after stop");
        const started = await run("cluster", "start");
        assert.equal(started.code, 0, started.stderr);
        const nodes = await nodesReady();
        assert.deepEqual(nodes.filter((n) => !n.ready), [], "every node Ready after start");
        await waitPodRunning("via-cluster", 180_000);
      });

      await t.step("bosun images load makes a never-pushed image runnable", async () => {
        const local = await uniqueImage(`bosun.test/never-pushed:${name}`);
        try {
          const r = await run("images", "load", local);
          assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
          await apply(pod("loaded", local, "Never"));
          await waitPodRunning("loaded");
        } finally {
          await tryRun("docker", ["rmi", local]);
        }
      });

      await t.step("bosun down leaves nothing labelled and removes only its context", async () => {
        const r = await run("down");
        assert.equal(r.code, 0, r.stderr);
        assert.deepEqual(await labelled(name), []);
        assert.deepEqual(await kindNodes(name), []);
        const data = parse(await Deno.readTextFile(kubeconfig)) as Kubeconfig;
        assert.deepEqual((data.contexts ?? []).map((c) => c.name), ["elsewhere"]);
      });
    } finally {
      await tryRun("docker", ["rm", "--force", "--volumes", upstream]);
      if ((await kindNodes(name)).length > 0) {
        await tryRun("kind", [
          "delete",
          "cluster",
          "--name",
          name,
        ]);
      }
      for (const l of await labelled(name)) {
        const [what, id] = l.split(" ");
        await tryRun("docker", what === "container" ? ["rm", "-f", "-v", id!] : [what!, "rm", id!]);
      }
      await Deno.remove(home, { recursive: true }).catch(() => {});
      await Deno.remove(project, { recursive: true }).catch(() => {});
    }
  },
);
