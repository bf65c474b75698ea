/**
 * Doc examples must be able to fail: `console.assert` only logs, so no published source
 * (lib/, templates/, mod.ts, testing.ts, cli.ts) may use it; examples assert with
 * `node:assert/strict`.
 */

import assert from "node:assert/strict";

const ROOT = new URL("../", import.meta.url).pathname;

async function* sources(dir: string): AsyncGenerator<string> {
  for await (const entry of Deno.readDir(`${ROOT}${dir}`)) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory) yield* sources(path);
    else if (entry.name.endsWith(".ts")) yield path;
  }
}

Deno.test("no published source uses console.assert (doc examples assert with node:assert)", async () => {
  const found: string[] = [];
  const files = ["mod.ts", "testing.ts", "cli.ts"];
  for (const dir of ["lib", "templates"]) for await (const f of sources(dir)) files.push(f);
  assert.ok(files.length > 50, `scanned ${files.length} files`);
  for (const file of files) {
    const lines = (await Deno.readTextFile(`${ROOT}${file}`)).split("\n");
    lines.forEach((line, i) => {
      if (line.includes("console.assert(")) found.push(`${file}:${i + 1}: ${line.trim()}`);
    });
  }
  assert.deepEqual(found, [], `use node:assert/strict instead:\n${found.join("\n")}`);
});
