// Self-tests of the real-peer harness: every peer does the real thing it is used for.

import assert from "node:assert/strict";
import { parse, parseAllDocuments, stringify } from "yaml";
import { defaultRunner } from "../../lib/exec/mod.ts";
import {
  kubeRequest,
  peerVersion,
  requirePeers,
  startTestEnv,
  type TestEnv,
  useRegistry,
  useTestEnv,
} from "./mod.ts";
import { isRunning } from "./_procs.ts";

const VECTORS = new URL("../../../shared/vectors/", import.meta.url).pathname;
const run = defaultRunner.run.bind(defaultRunner);

const apiPeers = await requirePeers("etcd", "kube-apiserver");
const fullPeers = await requirePeers(
  "etcd",
  "kube-apiserver",
  "kube-controller-manager",
  "kube-scheduler",
  "kwok",
);
const env: TestEnv | undefined = fullPeers
  ? await useTestEnv({ mode: "full" })
  : apiPeers
  ? await useTestEnv({ mode: "api" })
  : undefined;

const k = (method: string, path: string, body?: unknown) =>
  kubeRequest({ server: env!.server, token: env!.token, caPem: env!.caPem }, method, path, body);

async function poll<T>(
  what: string,
  fn: () => Promise<T | undefined>,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const v = await fn();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${what}`);
}

Deno.test({
  name: "testenv: /version reports the version built from tools/k8s",
  ignore: !env,
  fn: async () => {
    const r = await k("GET", "/version");
    assert.equal(r.status, 200);
    const v = r.body as { gitVersion: string; major: string; minor: string };
    assert.equal(v.gitVersion, peerVersion("kube-apiserver"));
    assert.equal(`v${v.major}.${v.minor}`, v.gitVersion.split(".").slice(0, 2).join("."));
    assert.equal(env!.version, v.gitVersion);
  },
});

const kubectl = await requirePeers("kubectl");
Deno.test({
  name: "testenv: kubectl reads the kubeconfig and gets /version",
  ignore: !env || !kubectl,
  fn: async () => {
    const out = await run(kubectl!.kubectl, [
      "--kubeconfig",
      env!.kubeconfig,
      "get",
      "--raw",
      "/version",
    ]);
    assert.equal((JSON.parse(out.stdout) as { gitVersion: string }).gitVersion, env!.version);
  },
});

Deno.test({
  name: "testenv: a Flux CRD becomes Established, a sample CR is accepted and a bad one rejected",
  ignore: !env,
  fn: async () => {
    const crd = parse(
      await Deno.readTextFile(`${VECTORS}crds/flux/source.toolkit.fluxcd.io_ocirepositories.yaml`),
    ) as { metadata: { name: string } };
    const created = await k("POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", crd);
    assert.ok(created.status === 201 || created.status === 409, `CRD create: ${created.status}`);
    await poll("CRD Established", async () => {
      const r = await k(
        "GET",
        `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${crd.metadata.name}`,
      );
      const conds =
        (r.body as { status?: { conditions?: { type: string; status: string }[] } }).status
          ?.conditions ?? [];
      return conds.some((c) => c.type === "Established" && c.status === "True") ? true : undefined;
    });
    const sample = parse(
      await Deno.readTextFile(`${VECTORS}crds/flux/samples/source_v1_ocirepository.yaml`),
    ) as { metadata: { name: string }; spec: Record<string, unknown> };
    const base = "/apis/source.toolkit.fluxcd.io/v1/namespaces/default/ocirepositories";
    // The group/version is served only once discovery has it; retry briefly.
    const ok = await poll("sample CR accepted", async () => {
      const r = await k("POST", base, sample);
      return r.status === 404 ? undefined : r;
    });
    assert.ok(
      ok.status === 201 || ok.status === 409,
      `sample CR: ${ok.status} ${JSON.stringify(ok.body)}`,
    );
    const got = await k("GET", `${base}/${sample.metadata.name}`);
    assert.equal((got.body as { spec: { url: string } }).spec.url, sample.spec["url"]);
    const bad = { ...sample, metadata: { name: "bad-sample" }, spec: { ...sample.spec, url: 42 } };
    const rejected = await k("POST", base, bad);
    assert.equal(rejected.status, 422, "the CRD's OpenAPI schema must reject url: 42");
  },
});

Deno.test({
  name: "testenv (full): a Deployment becomes Available through scheduler + kwok",
  ignore: !env || env.mode !== "full",
  fn: async () => {
    const ns = `harness-${crypto.randomUUID().slice(0, 8)}`;
    assert.equal((await k("POST", "/api/v1/namespaces", { metadata: { name: ns } })).status, 201);
    const labels = { app: "web" };
    const deploy = {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "web", namespace: ns },
      spec: {
        replicas: 2,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: { containers: [{ name: "web", image: "nginx:1.27" }] },
        },
      },
    };
    const created = await k("POST", `/apis/apps/v1/namespaces/${ns}/deployments`, deploy);
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const status = await poll("Deployment Available", async () => {
      const r = await k("GET", `/apis/apps/v1/namespaces/${ns}/deployments/web`);
      const s = (r.body as {
        status?: { readyReplicas?: number; conditions?: { type: string; status: string }[] };
      }).status;
      const available = s?.conditions?.some((c) => c.type === "Available" && c.status === "True");
      return available && s?.readyReplicas === 2 ? s : undefined;
    });
    assert.equal(status.readyReplicas, 2);
    const pods = (await k("GET", `/api/v1/namespaces/${ns}/pods`)).body as {
      items: { spec: { nodeName?: string }; status: { phase: string } }[];
    };
    assert.equal(pods.items.length, 2);
    for (const p of pods.items) {
      assert.match(p.spec.nodeName ?? "", /^kwok-node-/);
      assert.equal(p.status.phase, "Running");
    }
  },
});

Deno.test({
  name: "testenv: stop() leaves no process and no listening port",
  ignore: !apiPeers,
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const own = await startTestEnv({ mode: "api" });
    const port = Number(new URL(own.server).port);
    assert.equal((await kubeRequest(own, "GET", "/readyz")).status, 200);
    await own.stop();
    for (const p of own.processes) assert.equal(isRunning(p.pid), false, `${p.name} still running`);
    await assert.rejects(Deno.connect({ hostname: "127.0.0.1", port }));
    const logs = [...Deno.readDirSync(own.logsDir!)].map((e) => e.name).sort();
    assert.deepEqual(logs, ["etcd.log", "kube-apiserver.log"]);
  },
});

const regPeers = await requirePeers("docker-registry");
const reg = regPeers ? await useRegistry() : undefined;

async function sha256(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const d = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return `sha256:${Array.from(d, (b) => b.toString(16).padStart(2, "0")).join("")}`;
}

Deno.test({
  name: "registry: /v2/ answers and a blob push round-trips",
  ignore: !reg,
  fn: async () => {
    const v2 = await fetch(`${reg!.url}/v2/`);
    await v2.body?.cancel();
    assert.equal(v2.status, 200);
    assert.equal(v2.headers.get("docker-distribution-api-version"), "registry/2.0");
    const blob = crypto.getRandomValues(new Uint8Array(4096));
    const digest = await sha256(blob);
    const start = await fetch(`${reg!.url}/v2/harness/blob/blobs/uploads/`, { method: "POST" });
    await start.body?.cancel();
    assert.equal(start.status, 202);
    const location = new URL(start.headers.get("location")!, reg!.url);
    location.searchParams.set("digest", digest);
    const put = await fetch(location, {
      method: "PUT",
      body: blob,
      headers: { "content-type": "application/octet-stream" },
    });
    await put.body?.cancel();
    assert.equal(put.status, 201);
    const got = await fetch(`${reg!.url}/v2/harness/blob/blobs/${digest}`);
    assert.equal(got.status, 200);
    assert.deepEqual(new Uint8Array(await got.arrayBuffer()), blob);
  },
});

const oras = await requirePeers("oras");
Deno.test({
  name: "oras: version runs and reports the pinned version",
  ignore: !oras,
  fn: async () => {
    const v = await run(oras!.oras, ["version"]);
    assert.match(
      v.stdout,
      new RegExp(`Version:\\s+${peerVersion("oras")!.slice(1).replaceAll(".", "\\.")}`),
    );
  },
});

Deno.test({
  name: "oras: an artifact push/pull round-trips through the registry",
  // both peers are required (under CI a missing one already failed in requirePeers)
  ignore: !oras || !reg,
  fn: async () => {
    const dir = await Deno.makeTempDir();
    try {
      await Deno.writeTextFile(`${dir}/hello.txt`, "hello from bosun\n");
      const ref = `${reg!.host}/harness/artifact:v1`;
      await run(oras!.oras, ["push", "--plain-http", ref, "hello.txt:text/plain"], { cwd: dir });
      await Deno.mkdir(`${dir}/out`);
      await run(oras!.oras, ["pull", "--plain-http", ref, "-o", `${dir}/out`]);
      assert.equal(await Deno.readTextFile(`${dir}/out/hello.txt`), "hello from bosun\n");
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

const helm = await requirePeers("helm");
Deno.test({
  name: "helm: template renders a small local chart",
  ignore: !helm,
  fn: async () => {
    const dir = await Deno.makeTempDir();
    try {
      await Deno.mkdir(`${dir}/chart/templates`, { recursive: true });
      await Deno.writeTextFile(
        `${dir}/chart/Chart.yaml`,
        stringify({ apiVersion: "v2", name: "demo", version: "0.1.0" }),
      );
      await Deno.writeTextFile(`${dir}/chart/values.yaml`, stringify({ greeting: "hello" }));
      await Deno.writeTextFile(
        `${dir}/chart/templates/cm.yaml`,
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-cm\n" +
          "data:\n  greeting: {{ .Values.greeting | quote }}\n",
      );
      const out = await run(helm!.helm, [
        "template",
        "rel",
        `${dir}/chart`,
        "--set",
        "greeting=hi",
      ]);
      const docs = parseAllDocuments(out.stdout).map((d) => d.toJS()).filter(Boolean) as {
        metadata: { name: string };
        data: Record<string, string>;
      }[];
      assert.equal(docs.length, 1);
      assert.equal(docs[0]!.metadata.name, "rel-cm");
      assert.deepEqual(docs[0]!.data, { greeting: "hi" });
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

const sopsAge = await requirePeers("sops", "age");
Deno.test({
  name: "sops: decrypts the sops-nix age vector to the expected tree",
  ignore: !sopsAge,
  fn: async () => {
    const out = await run(sopsAge!.sops, [
      "decrypt",
      "--output-type",
      "json",
      `${VECTORS}sops/sops-nix/secrets.yaml`,
    ], {
      env: { SOPS_AGE_KEY_FILE: `${VECTORS}sops/sops-nix/age-keys.txt` },
    });
    const expected = JSON.parse(
      await Deno.readTextFile(`${VECTORS}sops/sops-nix/expected/secrets.yaml.expected.json`),
    ) as { plaintext: unknown };
    assert.deepEqual(JSON.parse(out.stdout), expected.plaintext);
  },
});

const sopsGpg = await requirePeers("sops", "gpg");
Deno.test({
  name: "sops: decrypts a PGP vector with the functional-test key in a throwaway keyring",
  ignore: !sopsGpg,
  fn: async () => {
    const home = await Deno.makeTempDir();
    try {
      await Deno.chmod(home, 0o700);
      const env = { GNUPGHOME: home };
      await run(sopsGpg!.gpg, [
        "--batch",
        "--import",
        `${VECTORS}sops/getsops-sops/keys/pgp/sops_functional_tests_key.asc`,
      ], { env });
      const out = await run(sopsGpg!.sops, [
        "decrypt",
        `${VECTORS}sops/getsops-sops/functional-tests/format.enc.yaml`,
      ], { env });
      assert.equal(out.stdout, "foo: bar\n");
    } finally {
      await run(sopsGpg!.gpg.replace(/gpg$/, "gpgconf"), ["--kill", "all"], {
        env: { GNUPGHOME: home },
        throwOnError: false,
      }).catch(() => undefined);
      await Deno.remove(home, { recursive: true });
    }
  },
});
