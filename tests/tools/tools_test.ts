import assert from "node:assert/strict";
import { defaultRunner, ToolNotFoundError } from "../../lib/exec/mod.ts";
import { resolveTool, type ResolveToolOptions, type ToolSpec } from "../../lib/tools/mod.ts";
import {
  fakeTool,
  type ReleaseServer,
  sha256Hex,
  startReleaseServer,
  tarGz,
} from "./_release_server.ts";

const PLATFORM = "linux/amd64" as const;

function specs(origin: string): Record<string, ToolSpec> {
  const common = {
    version: "1.2.3",
    minVersion: "1.2.0",
    versionArgs: ["--version"],
    versionPattern: /v(\d+\.\d+\.\d+)/,
    platforms: [PLATFORM],
  } as const;
  return {
    fakebin: {
      ...common,
      name: "fakebin",
      url: `${origin}/fakebin/releases/download/{tag}/fakebin-{os}-{arch}`,
      archive: "binary",
      checksum: { url: "{asset_url}.sha256sum" },
      manual: "copy fakebin-linux-amd64 by hand",
    },
    faketar: {
      ...common,
      name: "faketar",
      url: `${origin}/faketar/releases/download/{tag}/faketar_{Os}_{arch}.tar.gz`,
      archive: { tarGzMember: "faketar" },
      checksum: { url: `${origin}/faketar/releases/download/{tag}/faketar_checksums.txt` },
      manual: "unpack faketar by hand",
    },
  };
}

const BIN = "/fakebin/releases/download/v1.2.3/fakebin-linux-amd64";
const TAR = "/faketar/releases/download/v1.2.3/faketar_Linux_amd64.tar.gz";
const TAR_SUMS = "/faketar/releases/download/v1.2.3/faketar_checksums.txt";

function publishBin(server: ReleaseServer, bytes: Uint8Array, listed = bytes): void {
  server.files.set(BIN, bytes);
  server.files.set(
    `${BIN}.sha256sum`,
    new TextEncoder().encode(`${sha256Hex(listed)}  fakebin-linux-amd64\n`),
  );
}

function publishTar(server: ReleaseServer, tar: Uint8Array): void {
  server.files.set(TAR, tar);
  server.files.set(
    TAR_SUMS,
    new TextEncoder().encode(
      `${"0".repeat(64)}  faketar_Darwin_arm64.tar.gz\n${
        sha256Hex(tar)
      }  faketar_Linux_amd64.tar.gz\n`,
    ),
  );
}

async function rejection(p: Promise<unknown>): Promise<ToolNotFoundError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof ToolNotFoundError, `expected ToolNotFoundError, got ${err}`);
    return err;
  }
  assert.fail("expected the resolution to fail");
}

async function entries(dir: string): Promise<string[]> {
  try {
    const names: string[] = [];
    for await (const e of Deno.readDir(dir)) names.push(e.name);
    return names.sort();
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return [];
    throw err;
  }
}

Deno.test("tools: downloads verified artifacts from a release page, caches them, refuses bad ones", async (t) => {
  const tmp = await Deno.makeTempDir({ prefix: "bosun-tools-" });
  const server = await startReleaseServer(`${tmp}/pki`);
  const cacheDir = `${tmp}/cache`;
  const env: Record<string, string> = {};
  const options = (over: Partial<ResolveToolOptions> = {}): ResolveToolOptions => ({
    catalogue: specs(server.origin),
    cacheDir,
    platform: PLATFORM,
    client: server.client,
    searchPath: "",
    goInstall: false,
    env: (k) => env[k],
    ...over,
  });
  const run = async (path: string) => (await defaultRunner.run(path, ["--version"])).stdout.trim();
  try {
    await t.step("first use downloads, verifies and installs an executable", async () => {
      publishBin(server, fakeTool("fakebin", "1.2.3"));
      server.requests.length = 0;
      const tool = await resolveTool("fakebin", options());
      assert.deepEqual(tool, {
        name: "fakebin",
        version: "1.2.3",
        source: "download",
        path: `${cacheDir}/fakebin/1.2.3/fakebin`,
      });
      assert.deepEqual(server.requests, [`${BIN}.sha256sum`, BIN]);
      assert.equal(await run(tool.path), "fakebin v1.2.3");
      assert.deepEqual(await entries(`${cacheDir}/fakebin/1.2.3`), ["fakebin"]);
    });

    await t.step("second use hits the cache without a request", async () => {
      server.requests.length = 0;
      const tool = await resolveTool("fakebin", options());
      assert.equal(tool.source, "cache");
      assert.deepEqual(server.requests, []);
    });

    await t.step("a tarball is verified, then its member unpacked", async () => {
      publishTar(
        server,
        await tarGz({ "README.md": new Uint8Array(3), faketar: fakeTool("faketar", "1.2.3") }),
      );
      const tool = await resolveTool("faketar", options());
      assert.equal(tool.source, "download");
      assert.equal(await run(tool.path), "faketar v1.2.3");
      await Deno.remove(`${cacheDir}/faketar`, { recursive: true });
    });

    await t.step(
      "a tampered artifact is refused with URL and both checksums; nothing is cached",
      async () => {
        const good = fakeTool("fakebin", "1.2.3");
        const evil = new TextEncoder().encode("#!/bin/sh\ntouch " + `${tmp}/pwned\n`);
        publishBin(server, evil, good);
        const err = await rejection(resolveTool("fakebin", options({ cacheDir: `${tmp}/c2` })));
        assert.ok(err instanceof ToolNotFoundError);
        assert.match(err.message, new RegExp(`${server.origin}${BIN}`));
        assert.match(
          err.message,
          new RegExp(`expected sha256 ${sha256Hex(good)}, got ${sha256Hex(evil)}`),
        );
        assert.match(err.message, /copy fakebin-linux-amd64 by hand/);
        assert.match(err.message, /bosun tools install fakebin/);
        assert.deepEqual(await entries(`${tmp}/c2/fakebin`), [".1.2.3.lock"]);
        assert.deepEqual(await entries(tmp).then((e) => e.filter((n) => n === "pwned")), []);
      },
    );

    await t.step("a download cut off halfway is refused; nothing is cached", async () => {
      const good = fakeTool("fakebin", "1.2.3");
      publishBin(server, good);
      server.files.set(BIN, { truncated: good });
      const err = await rejection(resolveTool("fakebin", options({ cacheDir: `${tmp}/c3` })));
      assert.ok(err instanceof ToolNotFoundError);
      assert.match(err.message, /the download broke off after \d+ bytes/);
      assert.deepEqual(await entries(`${tmp}/c3/fakebin`), [".1.2.3.lock"]);
    });

    await t.step(
      "a download that stalls is given up after the idle timeout; nothing is cached",
      async () => {
        const good = fakeTool("fakebin", "1.2.3");
        publishBin(server, good);
        server.files.set(BIN, { stalled: good });
        const err = await rejection(
          resolveTool("fakebin", options({ cacheDir: `${tmp}/c8`, idleTimeoutMs: 300 })),
        );
        assert.match(
          err.message,
          /broke off after \d+ bytes \(nothing arrived within the idle timeout\)/,
        );
        assert.deepEqual(await entries(`${tmp}/c8/fakebin`), [".1.2.3.lock"]);
      },
    );

    await t.step("leftovers of an interrupted download are cleared under the lock", async () => {
      publishBin(server, fakeTool("fakebin", "1.2.3"));
      const dir = `${tmp}/c9/fakebin/1.2.3`;
      await Deno.mkdir(`${dir}/.gobin-123`, { recursive: true });
      await Deno.writeTextFile(`${dir}/.fakebin-linux-amd64.dead.part`, "half");
      const tool = await resolveTool("fakebin", options({ cacheDir: `${tmp}/c9` }));
      assert.equal(tool.source, "download");
      assert.deepEqual(await entries(dir), ["fakebin"]);
    });

    await t.step("redirects are followed only to https: URLs", async () => {
      const good = fakeTool("fakebin", "1.2.3");
      publishBin(server, good);
      server.files.set(BIN, { redirect: "/objects/fakebin-blob" });
      server.files.set("/objects/fakebin-blob", good);
      server.requests.length = 0;
      const tool = await resolveTool("fakebin", options({ cacheDir: `${tmp}/c10` }));
      assert.equal(tool.source, "download");
      assert.deepEqual(server.requests, [`${BIN}.sha256sum`, BIN, "/objects/fakebin-blob"]);
      server.files.set(BIN, { redirect: "http://127.0.0.1:9/fakebin-blob" });
      const err = await rejection(resolveTool("fakebin", options({ cacheDir: `${tmp}/c11` })));
      assert.match(
        err.message,
        /redirected to http:\/\/127\.0\.0\.1:9\/fakebin-blob\): only https: URLs are fetched/,
      );
      assert.deepEqual(await entries(`${tmp}/c11/fakebin`), [".1.2.3.lock"]);
    });

    await t.step("two concurrent resolutions make one download", async () => {
      publishBin(server, fakeTool("fakebin", "1.2.3"));
      server.requests.length = 0;
      const [a, b] = await Promise.all([
        resolveTool("fakebin", options({ cacheDir: `${tmp}/c4` })),
        resolveTool("fakebin", options({ cacheDir: `${tmp}/c4` })),
      ]);
      assert.equal(a.path, b.path);
      assert.deepEqual([a.source, b.source].sort(), ["cache", "download"]);
      assert.deepEqual(server.requests.filter((r) => r === BIN), [BIN]);
    });

    await t.step("an archive with a ../ entry is refused; nothing is written", async () => {
      publishTar(
        server,
        await tarGz({
          "../evil": fakeTool("evil", "6.6.6"),
          faketar: fakeTool("faketar", "1.2.3"),
        }),
      );
      const err = await rejection(resolveTool("faketar", options({ cacheDir: `${tmp}/c5/x` })));
      assert.ok(err instanceof ToolNotFoundError);
      assert.match(err.message, /refused the archive: entry "\.\.\/evil" would be written outside/);
      assert.deepEqual(await entries(`${tmp}/c5/x/faketar`), [".1.2.3.lock"]);
      assert.deepEqual(await entries(`${tmp}/c5/x`), ["faketar"]);
      assert.deepEqual(await entries(`${tmp}/c5`), ["x"]);
    });

    await t.step(
      "offline with nothing cached fails with the install hint and makes no request",
      async () => {
        server.requests.length = 0;
        env.BOSUN_OFFLINE = "1";
        try {
          const err = await rejection(resolveTool("fakebin", options({ cacheDir: `${tmp}/c6` })));
          assert.ok(err instanceof ToolNotFoundError);
          assert.match(err.message, /fakebin is not installed \(need 1\.2\.0 or newer\)/);
          assert.match(err.message, /Downloads are off .*bosun tools install fakebin/);
          assert.deepEqual(server.requests, []);
          // …while the cache from the first step still serves offline.
          assert.equal((await resolveTool("fakebin", options())).source, "cache");
        } finally {
          delete env.BOSUN_OFFLINE;
        }
      },
    );

    await t.step("the reporter says which source was used", async () => {
      const lines: string[] = [];
      const step = { succeed() {}, fail() {}, skip() {}, update() {}, log() {}, step: () => step };
      const reporter = { step: () => step, log: (_l: string, m: string) => lines.push(m) };
      await resolveTool("fakebin", options({ reporter }));
      assert.deepEqual(lines, [`fakebin 1.2.3 (cache): ${cacheDir}/fakebin/1.2.3/fakebin`]);
    });

    await t.step(
      "a failed download falls back to go install; if that fails too, both are named",
      async () => {
        const bin = `${tmp}/gobin`;
        await Deno.mkdir(bin);
        // A stub go: only `go install example.test/fakebin@v1.2.3` with GOBIN set is accepted.
        await Deno.writeTextFile(
          `${bin}/go`,
          `#!/bin/sh
[ "$1 $2 $#" = "install example.test/fakebin@v1.2.3 2" ] && [ -n "$GOBIN" ] || { echo "unexpected: go $*" >&2; exit 2; }
[ -f "${tmp}/go-works" ] || { echo "go: example.test/fakebin@v1.2.3: unrecognized import path" >&2; exit 1; }
printf '#!/bin/sh\\necho "fakebin v1.2.3"\\n' > "$GOBIN/fakebin" && chmod +x "$GOBIN/fakebin"
`,
        );
        await Deno.chmod(`${bin}/go`, 0o755);
        const catalogue = specs(server.origin);
        const withGo = {
          ...catalogue,
          fakebin: { ...catalogue.fakebin!, goPackage: "example.test/fakebin" },
        };
        const viaGo = options({
          catalogue: withGo,
          searchPath: bin,
          goInstall: true,
          cacheDir: `${tmp}/c7`,
        });
        publishBin(server, new TextEncoder().encode("tampered"), fakeTool("fakebin", "1.2.3"));
        const both = await rejection(resolveTool("fakebin", viaGo));
        assert.match(
          both.message,
          /the sha256 does not match .*; `go install example\.test\/fakebin@v1\.2\.3` failed: go: example\.test\/fakebin@v1\.2\.3: unrecognized import path/,
        );
        await Deno.writeTextFile(`${tmp}/go-works`, "");
        const built = await resolveTool("fakebin", viaGo);
        assert.deepEqual([built.source, built.path], [
          "go-install",
          `${tmp}/c7/fakebin/1.2.3/fakebin`,
        ]);
        assert.equal(await run(built.path), "fakebin v1.2.3");
        assert.deepEqual(await entries(`${tmp}/c7/fakebin/1.2.3`), ["fakebin"]);
      },
    );

    await t.step(
      "BOSUN_<TOOL> wins; an old tool on PATH is passed over for the pinned one",
      async () => {
        const bin = `${tmp}/bin`;
        await Deno.mkdir(bin);
        await Deno.writeFile(`${bin}/fakebin`, fakeTool("fakebin", "1.0.0"), { mode: 0o755 });
        const fromPath = await resolveTool("fakebin", options({ searchPath: bin }));
        assert.equal(fromPath.source, "cache");
        await Deno.writeFile(`${bin}/fakebin`, fakeTool("fakebin", "1.9.0"), { mode: 0o755 });
        const newer = await resolveTool("fakebin", options({ searchPath: bin }));
        assert.deepEqual([newer.source, newer.version, newer.path], [
          "path",
          "1.9.0",
          `${bin}/fakebin`,
        ]);
        env.BOSUN_FAKEBIN = `${cacheDir}/fakebin/1.2.3/fakebin`;
        try {
          const explicit = await resolveTool("fakebin", options({ searchPath: bin }));
          assert.deepEqual([explicit.source, explicit.version], ["explicit", "1.2.3"]);
          env.BOSUN_FAKEBIN = `${tmp}/nowhere/fakebin`;
          const wrong = await rejection(resolveTool("fakebin", options({ searchPath: bin })));
          assert.match(
            wrong.message,
            /BOSUN_FAKEBIN is ".*\/nowhere\/fakebin", which is not an executable file/,
          );
        } finally {
          delete env.BOSUN_FAKEBIN;
        }
      },
    );
  } finally {
    await server.close();
    await Deno.remove(tmp, { recursive: true });
  }
});
