/**
 * The design's example is the contract: the first `ts` block of ../shared/DESIGN.md, and
 * the examples of mod.ts's module doc (marked `ignore` because they need Docker, so
 * `deno test --doc` skips them, type-check included), must type-check against the repo's
 * mod.ts as written. Each is written to a file of its own and `deno check`ed.
 */

import assert from "node:assert/strict";
import { defaultRunner } from "../lib/exec/mod.ts";

const ROOT = new URL("../", import.meta.url);
const MOD = new URL("mod.ts", ROOT).href;
const DESIGN = new URL("../shared/DESIGN.md", ROOT).pathname;

/** The `ts` fenced blocks of a text, in order. */
function tsBlocks(text: string): string[] {
  return [...text.matchAll(/^```ts[^\n]*\n([\s\S]*?)^```$/gm)].map((m) => m[1]!);
}

/** The module doc of a TypeScript file (its first `/** … *\/` comment), without the ` * `. */
function moduleDoc(source: string): string {
  const match = /^\/\*\*\n([\s\S]*?)\n \*\//.exec(source);
  assert.ok(match, "mod.ts starts with its module doc");
  return match[1]!.split("\n").map((l) => l.replace(/^ \* ?/, "")).join("\n");
}

/** Runs `deno check` on `code` as a standalone file; returns the compiler's output on failure. */
async function check(code: string): Promise<{ ok: boolean; output: string }> {
  const dir = await Deno.makeTempDir({ prefix: "bosun-example-" });
  try {
    const file = `${dir}/example.ts`;
    await Deno.writeTextFile(file, code);
    const out = await defaultRunner.run(
      Deno.execPath(),
      ["check", "--quiet", "--config", new URL("deno.json", ROOT).pathname, file],
      { throwOnError: false, env: { NO_COLOR: "1" } },
    );
    return { ok: out.success, output: `${out.stdout}${out.stderr}` };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("the example at the top of DESIGN.md type-checks against mod.ts", async () => {
  const design = await Deno.readTextFile(DESIGN).catch((cause) => {
    throw new Error(`${DESIGN} is needed (the design this repository implements)`, { cause });
  });
  const example = tsBlocks(design)[0];
  assert.ok(example, `${DESIGN} has a ts example`);
  assert.match(example, /from "jsr:@bosun\/sdk"/);
  assert.match(
    example,
    /bootstrapFlux\(cluster, \{ source: \{ localRegistry: true, path: "k8s" \} \}\)/,
  );
  const local = example.replaceAll('"jsr:@bosun/sdk"', JSON.stringify(MOD));
  const result = await check(local);
  assert.ok(result.ok, `DESIGN.md's example does not type-check:\n${result.output}`);
});

Deno.test("the examples of mod.ts's module doc type-check (deno test --doc skips ignored ones)", async () => {
  const doc = moduleDoc(await Deno.readTextFile(new URL("mod.ts", ROOT)));
  const blocks = tsBlocks(doc);
  assert.ok(
    blocks.some((b) => b.includes("bootstrapFlux(cluster")),
    "the design's example is there",
  );
  for (const block of blocks) {
    assert.match(block, /import assert from "node:assert\/strict";/, "it asserts for real");
    const result = await check(block.replaceAll('"@bosun/sdk"', JSON.stringify(MOD)));
    assert.ok(result.ok, `mod.ts example does not type-check:\n${block}\n${result.output}`);
  }
});

Deno.test("the checker can fail: a wrong call is reported", async () => {
  const result = await check(
    `import { bootstrapFlux } from ${JSON.stringify(MOD)};\n` +
      `await bootstrapFlux({ name: "dev", distribution: "Kind" }, { source: { localRegistry: "yes" } });\n`,
  );
  assert.equal(result.ok, false);
  assert.match(result.output, /localRegistry/);
});
