import assert from "node:assert/strict";
import { defaultRunner } from "../../lib/exec/mod.ts";

const child = new URL("./_proxy_child.ts", import.meta.url).pathname;

/** A "proxy" that records the first line of each connection and hangs up. */
function recordingProxy() {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const seen: string[] = [];
  const done = (async () => {
    for await (const conn of listener) {
      const buf = new Uint8Array(1024);
      const n = await conn.read(buf).catch(() => null);
      if (n) seen.push(new TextDecoder().decode(buf.subarray(0, n)).split("\r\n")[0]!);
      conn.close();
    }
  })();
  return {
    url: `http://127.0.0.1:${(listener.addr as Deno.NetAddr).port}`,
    seen,
    async close() {
      listener.close();
      await done.catch(() => {});
    },
  };
}

Deno.test("downloads go through HTTPS_PROXY (Deno's fetch reads it) and skip it for NO_PROXY hosts", async () => {
  const proxy = recordingProxy();
  const cacheDir = await Deno.makeTempDir({ prefix: "bosun-tools-proxy-" });
  try {
    const run = (env: Record<string, string>) =>
      defaultRunner.run(Deno.execPath(), ["run", "-A", child, cacheDir], {
        env,
        timeoutMs: 60_000,
      });
    const via = await run({ HTTPS_PROXY: proxy.url, NO_PROXY: "" });
    assert.deepEqual(proxy.seen, ["CONNECT release.bosun-test.invalid:443 HTTP/1.1"]);
    assert.match(
      via.stdout,
      /Cannot download fakebin from https:\/\/release\.bosun-test\.invalid\/fakebin\.sha256sum/,
    );
    proxy.seen.length = 0;
    const direct = await run({ HTTPS_PROXY: proxy.url, NO_PROXY: "release.bosun-test.invalid" });
    assert.deepEqual(proxy.seen, []);
    assert.match(direct.stdout, /the request failed/);
  } finally {
    await proxy.close();
    await Deno.remove(cacheDir, { recursive: true });
  }
});
