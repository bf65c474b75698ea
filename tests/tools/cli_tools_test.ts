import assert from "node:assert/strict";
import { defaultRunner, INSTALL_HINTS } from "../../lib/exec/mod.ts";
import { TOOL_CATALOGUE } from "../../lib/tools/mod.ts";

const root = new URL("../../", import.meta.url).pathname;
const deno = Deno.execPath();

async function bosun(args: string[], env: Record<string, string>) {
  // XDG_CACHE_HOME moves Deno's own cache too: keep it where it is.
  const info = JSON.parse((await defaultRunner.run(deno, ["info", "--json"])).stdout) as {
    denoDir: string;
  };
  return defaultRunner.run(deno, ["run", "-A", `${root}cli.ts`, ...args], {
    throwOnError: false,
    env: { NO_COLOR: "1", DENO_DIR: info.denoDir, PATH: "/usr/bin:/bin", ...env },
  });
}

Deno.test("every catalogue tool's install hint names bosun tools install", () => {
  for (const name of Object.keys(TOOL_CATALOGUE)) {
    assert.match(INSTALL_HINTS[name] ?? "", new RegExp(`bosun tools install ${name}`), name);
  }
});

Deno.test("bosun tools list shows the cache; tools path offline fails with exit 3 and the hint", async () => {
  const cache = await Deno.makeTempDir({ prefix: "bosun-tools-cli-" });
  try {
    await Deno.mkdir(`${cache}/bosun/tools/kind/0.33.0`, { recursive: true });
    await Deno.writeTextFile(
      `${cache}/bosun/tools/kind/0.33.0/kind`,
      "#!/bin/sh\necho kind v0.33.0\n",
    );
    await Deno.chmod(`${cache}/bosun/tools/kind/0.33.0/kind`, 0o755);
    const env = { XDG_CACHE_HOME: cache, BOSUN_OFFLINE: "1" };

    const list = await bosun(["--json", "tools", "list"], env);
    assert.equal(list.code, 0, list.stderr);
    const rows = JSON.parse(list.stdout) as {
      name: string;
      source: string | null;
      path: string | null;
    }[];
    assert.deepEqual(rows.map((r) => r.name), Object.keys(TOOL_CATALOGUE));
    assert.deepEqual(rows.find((r) => r.name === "kind"), {
      name: "kind",
      pinned: "0.33.0",
      version: "0.33.0",
      source: "cache",
      path: `${cache}/bosun/tools/kind/0.33.0/kind`,
    });

    const path = await bosun(["tools", "path", "kind"], env);
    assert.equal(path.code, 0, path.stderr);
    assert.equal(path.stdout.trim(), `${cache}/bosun/tools/kind/0.33.0/kind`);

    const missing = await bosun(["tools", "path", "k3d"], env);
    assert.equal(missing.code, 3);
    assert.match(
      missing.stderr,
      /k3d is not installed .*Downloads are off .*bosun tools install k3d/,
    );

    const text = await bosun(["tools", "list"], env);
    assert.match(text.stdout, /^TOOL +VERSION +SOURCE +PATH\n/);
    assert.match(text.stdout, /\nk3d +5\.8\.3 +missing +bosun tools install k3d\n/);
  } finally {
    await Deno.remove(cache, { recursive: true });
  }
});
