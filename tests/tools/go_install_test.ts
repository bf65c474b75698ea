import assert from "node:assert/strict";
import { defaultRunner, which } from "../../lib/exec/mod.ts";
import { resolveTool } from "../../lib/tools/mod.ts";

// The real route: kind v0.33.0 through `go install` (the Go module cache already holds it, so
// this builds without the network). Downloads are off, so only Go can supply it.
Deno.test({
  name: "tools: kind v0.33.0 comes from go install into an empty cache when downloads are off",
  ignore: (await which("go")) === undefined,
  async fn() {
    const go = (await which("go"))!;
    const cacheDir = await Deno.makeTempDir({ prefix: "bosun-tools-go-" });
    const goDir = go.slice(0, go.lastIndexOf("/"));
    try {
      const tool = await resolveTool("kind", {
        cacheDir,
        download: false,
        searchPath: goDir, // go, but no kind
        goEnv: { GOFLAGS: "-mod=mod", GOTOOLCHAIN: "local" },
        env: (k) => k === "PATH" ? goDir : undefined,
      });
      assert.deepEqual(tool, {
        name: "kind",
        version: "0.33.0",
        source: "go-install",
        path: `${cacheDir}/kind/0.33.0/kind`,
      });
      const out = await defaultRunner.run(tool.path, ["version"]);
      assert.match(out.stdout, /^kind v0\.33\.0 /);
      const again = await resolveTool("kind", {
        cacheDir,
        download: false,
        searchPath: goDir,
        env: () => undefined,
      });
      assert.equal(again.source, "cache");
      const left: string[] = [];
      for await (const e of Deno.readDir(`${cacheDir}/kind/0.33.0`)) left.push(e.name);
      assert.deepEqual(left, ["kind"]);
    } finally {
      await Deno.remove(cacheDir, { recursive: true });
    }
  },
});
