import assert from "node:assert/strict";
import { artifactFor, type Platform, TOOL_CATALOGUE } from "../../lib/tools/mod.ts";

const PLATFORMS: Platform[] = [
  "linux/amd64",
  "linux/arm64",
  "darwin/amd64",
  "darwin/arm64",
  "windows/amd64",
];

Deno.test("catalogue: every tool has https artifacts on its own release host, and a verified route", () => {
  assert.deepEqual(Object.keys(TOOL_CATALOGUE), [
    "kind",
    "k3d",
    "helm",
    "talosctl",
    "kwokctl",
    "eksctl",
  ]);
  for (const spec of Object.values(TOOL_CATALOGUE)) {
    assert.ok(
      spec.checksum !== undefined || spec.goPackage !== undefined,
      `${spec.name}: no verified route`,
    );
    for (const p of ["linux/amd64", "linux/arm64", "darwin/amd64", "darwin/arm64"] as const) {
      assert.ok(spec.platforms.includes(p), `${spec.name} ships for ${p}`);
    }
    for (const platform of PLATFORMS) {
      const a = artifactFor(spec, platform);
      if (a === undefined) continue;
      for (const url of [a.url, a.checksumUrl].filter((u) => u !== undefined)) {
        const u = new URL(url);
        assert.equal(u.protocol, "https:", url);
        assert.ok(["github.com", "get.helm.sh"].includes(u.host), url);
        assert.doesNotMatch(url, /\{\w+\}/, `${url}: unexpanded placeholder`);
      }
    }
  }
});

Deno.test("catalogue: artifact names as the releases spell them", () => {
  const a = (name: string, p: Platform) => artifactFor(TOOL_CATALOGUE[name]!, p);
  assert.equal(a("kind", "windows/amd64")?.asset, "kind-windows-amd64");
  assert.equal(a("kind", "windows/amd64")?.binary, "kind.exe");
  assert.equal(a("k3d", "windows/amd64")?.asset, "k3d-windows-amd64.exe");
  assert.equal(
    a("k3d", "linux/amd64")?.checksumUrl,
    "https://github.com/k3d-io/k3d/releases/download/v5.8.3/checksums.txt",
  );
  assert.equal(a("helm", "linux/arm64")?.url, "https://get.helm.sh/helm-v4.1.4-linux-arm64.tar.gz");
  assert.equal(
    a("helm", "linux/arm64")?.checksumUrl,
    "https://get.helm.sh/helm-v4.1.4-linux-arm64.tar.gz.sha256sum",
  );
  assert.equal(a("helm", "windows/amd64"), undefined); // a .zip: not unpacked
  assert.equal(a("eksctl", "darwin/arm64")?.asset, "eksctl_Darwin_arm64.tar.gz");
  assert.equal(a("eksctl", "darwin/arm64")?.member, "eksctl");
  assert.equal(
    a("talosctl", "linux/amd64")?.checksumUrl,
    "https://github.com/siderolabs/talos/releases/download/v1.13.0/sha256sum.txt",
  );
  assert.equal(a("kwokctl", "linux/amd64")?.checksumUrl, undefined);
});

Deno.test("catalogue: no sha256 value is written in the catalogue (all come from the releases)", async () => {
  const text = await Deno.readTextFile(new URL("../../lib/tools/catalogue.ts", import.meta.url));
  assert.doesNotMatch(text, /\b[0-9a-f]{64}\b/i);
});
