// Push and pull against the real registry (Debian docker-registry) and the real oras.

import assert from "node:assert/strict";
import { defaultRunner } from "../../lib/exec/mod.ts";
import {
  ArtifactNotFoundError,
  ArtifactSourceError,
  listTags,
  MEDIA_TYPES,
  pullArtifact,
  pushArtifact,
  RegistryUnreachableError,
  resolveArtifact,
} from "../../lib/registry/oci/mod.ts";
import { requirePeers, useRegistry } from "../harness/mod.ts";
import { assertSameTree, makeTree, readTree } from "./_fixture.ts";

const peers = await requirePeers("docker-registry", "oras");
const reg = peers ? await useRegistry() : undefined;
const opts = { sanitizeResources: false, sanitizeOps: false };

let treeDir: string | undefined;
async function tree(): Promise<string> {
  if (!treeDir) {
    treeDir = await Deno.makeTempDir({ prefix: "bosun-oci-src-" });
    await makeTree(treeDir);
  }
  return treeDir;
}
const repo = () => `t${crypto.randomUUID().slice(0, 8)}/k8s`;

async function getJson(
  path: string,
  accept?: string,
): Promise<{ body: unknown; digest: string | null }> {
  const res = await fetch(`${reg!.url}${path}`, accept ? { headers: { accept } } : {});
  assert.equal(res.status, 200, path);
  return { body: await res.json(), digest: res.headers.get("docker-content-digest") };
}

Deno.test({
  name: "pushArtifact writes a Flux artifact: media types and annotations as Flux expects",
  ignore: !reg,
  ...opts,
  fn: async () => {
    const r = repo();
    const created = new Date("2026-01-02T03:04:05Z");
    const pushed = await pushArtifact(await tree(), `${reg!.host}/${r}:latest`, {
      source: "https://example.com/repo.git",
      revision: "main@sha1:0123456789abcdef",
      created,
    });
    assert.equal(pushed.tag, "latest");
    assert.equal(pushed.revision, `latest@${pushed.digest}`);
    assert.equal(pushed.files, 8);
    const { body, digest } = await getJson(`/v2/${r}/manifests/latest`, MEDIA_TYPES.ociManifest);
    assert.equal(digest, pushed.digest);
    const m = body as {
      mediaType: string;
      config: { mediaType: string; digest: string };
      layers: { mediaType: string; digest: string }[];
      annotations: Record<string, string>;
    };
    assert.equal(m.mediaType, "application/vnd.oci.image.manifest.v1+json");
    assert.equal(m.config.mediaType, "application/vnd.cncf.flux.config.v1+json");
    assert.equal(m.layers.length, 1);
    assert.equal(m.layers[0]!.mediaType, "application/vnd.cncf.flux.content.v1.tar+gzip");
    assert.equal(m.layers[0]!.digest, pushed.layerDigest);
    assert.deepEqual(
      {
        created: m.annotations["org.opencontainers.image.created"],
        source: m.annotations["org.opencontainers.image.source"],
        revision: m.annotations["org.opencontainers.image.revision"],
      },
      {
        created: "2026-01-02T03:04:05Z",
        source: "https://example.com/repo.git",
        revision: "main@sha1:0123456789abcdef",
      },
    );
    const cfg = await fetch(`${reg!.url}/v2/${r}/blobs/${m.config.digest}`);
    assert.equal(await cfg.text(), "{}");
    assert.deepEqual(await listTags(`${reg!.host}/${r}`), ["latest"]);
    assert.equal(await resolveArtifact(`${reg!.host}/${r}:latest`), pushed.digest);
  },
});

Deno.test({
  name: "oras pulls the artifact back and every file matches byte for byte",
  ignore: !reg,
  ...opts,
  fn: async () => {
    const r = repo();
    const src = await tree();
    await pushArtifact(src, `${reg!.host}/${r}:v1`);
    const out = await Deno.makeTempDir({ prefix: "bosun-oras-" });
    await defaultRunner.run(peers!.oras, [
      "pull",
      "--plain-http",
      "-o",
      out,
      `${reg!.host}/${r}:v1`,
    ]);
    const layer = `${out}/k8s.tar.gz`;
    assert.ok((await Deno.stat(layer)).isFile, "oras wrote the layer under its title");
    const extracted = `${out}/x`;
    await Deno.mkdir(extracted);
    // An independent tar reader (GNU tar) unpacks it: ustar prefixes and PAX paths included.
    await defaultRunner.run("tar", ["-xzf", layer, "-C", extracted]);
    assertSameTree(await readTree(src), await readTree(extracted));
    assert.ok((await Deno.stat(`${extracted}/empty-dir`)).isDirectory);
    const listing = await defaultRunner.run("tar", ["-tvzf", layer, "--numeric-owner"]);
    for (const line of listing.stdout.trim().split("\n")) {
      assert.match(line, /^[-d]rw[-x]r-[-x]r-[-x] 0\/0 .* 1970-01-01 00:00 /, line);
    }
    assert.match(listing.stdout, /^-rwxr-xr-x .* scripts\/run\.sh$/m);
    await Deno.remove(out, { recursive: true });
  },
});

Deno.test({
  name: "the same files give the same digest; a second push changes nothing",
  ignore: !reg,
  ...opts,
  fn: async () => {
    const r = repo();
    const src = await tree();
    const a = await pushArtifact(src, `${reg!.host}/${r}:latest`);
    const b = await pushArtifact(src, `${reg!.host}/${r}:latest`);
    assert.equal(b.digest, a.digest);
    assert.equal(b.unchanged, true);
    assert.equal(a.unchanged, false);
    // A copy elsewhere, with fresh mtimes: same layer; with the same source, created and
    // revision, the same manifest too, even in another repository.
    const copy = await Deno.makeTempDir();
    await defaultRunner.run("cp", ["-a", `${src}/.`, copy]);
    await Deno.utime(`${copy}/kustomization.yaml`, new Date(), new Date());
    const fixed = { source: "s", created: new Date(0), revision: "r" };
    const other = (x: string) => `${reg!.host}/${r.replace("/k8s", `${x}/k8s`)}:latest`;
    const c = await pushArtifact(copy, other("b"), fixed);
    const d = await pushArtifact(src, other("c"), fixed);
    assert.equal(c.layerDigest, a.layerDigest);
    assert.equal(c.digest, d.digest);
    // Changing one byte changes the digest.
    await Deno.writeTextFile(`${copy}/kustomization.yaml`, "resources: []\n");
    const e = await pushArtifact(copy, other("b"), fixed);
    assert.notEqual(e.layerDigest, a.layerDigest);
    await Deno.remove(copy, { recursive: true });
  },
});

Deno.test({
  name: "large layers spill to disk and upload in chunks; pullArtifact verifies and unpacks",
  ignore: !reg,
  ...opts,
  fn: async () => {
    const r = repo();
    const src = await tree();
    const pushed = await pushArtifact(src, `${reg!.host}/${r}:chunked`, {
      memoryLimit: 64 << 10,
      chunkSize: 512 << 10,
    });
    assert.ok(pushed.layerSize > 3 * (512 << 10), "the layer needs several chunks");
    const out = await Deno.makeTempDir();
    const pulled = await pullArtifact(`${reg!.host}/${r}:chunked`, out);
    assert.equal(pulled.digest, pushed.digest);
    assert.equal(pulled.files.length, 8);
    assertSameTree(await readTree(src), await readTree(out));
    await Deno.remove(out, { recursive: true });
  },
});

Deno.test({
  name: "the Argo CD flavour uses the OCI layer type and the empty config",
  ignore: !reg,
  ...opts,
  fn: async () => {
    const r = repo();
    await pushArtifact(await tree(), `${reg!.host}/${r}:latest`, { flavor: "argocd" });
    const { body } = await getJson(`/v2/${r}/manifests/latest`, MEDIA_TYPES.ociManifest);
    const m = body as { config: { mediaType: string }; layers: { mediaType: string }[] };
    assert.equal(m.config.mediaType, "application/vnd.oci.empty.v1+json");
    assert.deepEqual(m.layers.map((l) => l.mediaType), [
      "application/vnd.oci.image.layer.v1.tar+gzip",
    ]);
  },
});

Deno.test({
  name: "clear errors: missing tag, empty directory, unreachable registry",
  ignore: !reg,
  ...opts,
  fn: async () => {
    await assert.rejects(
      () => resolveArtifact(`${reg!.host}/${repo()}:nope`),
      ArtifactNotFoundError,
    );
    assert.deepEqual(await listTags(`${reg!.host}/${repo()}`), []);
    const empty = await Deno.makeTempDir();
    await assert.rejects(() => pushArtifact(empty, `${reg!.host}/x:latest`), ArtifactSourceError);
    await assert.rejects(
      () => pushArtifact(`${empty}/missing`, `${reg!.host}/x:latest`),
      /does not exist/,
    );
    const closed = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    const port = (closed.addr as Deno.NetAddr).port;
    closed.close();
    await assert.rejects(
      () => resolveArtifact(`127.0.0.1:${port}/k8s:latest`),
      (e: unknown) => e instanceof RegistryUnreachableError && /connection refused/.test(e.message),
    );
  },
});
