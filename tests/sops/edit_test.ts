/**
 * editSecret with a scripted editor; and the independent npm:sops-age
 * implementation reading files Bosun encrypts.
 */

import assert from "node:assert/strict";
import { decryptSops } from "sops-age";
import { defaultRunner } from "../../lib/exec/mod.ts";
import {
  editSecret,
  encryptSecret,
  generateAgeKey,
  SopsEditInterruptedError,
} from "../../lib/sops/mod.ts";

async function editorScript(dir: string, body: string): Promise<string> {
  const p = `${dir}/editor.sh`;
  await Deno.writeTextFile(p, `#!/bin/sh\n${body}\n`);
  await Deno.chmod(p, 0o755);
  return p;
}

Deno.test("editSecret: changes re-encrypt, unchanged files are not rewritten, the temp dir is removed", async () => {
  const key = await generateAgeKey();
  const dir = await Deno.makeTempDir();
  const tmp = await Deno.makeTempDir();
  const p = `${dir}/e.yaml`;
  await Deno.writeTextFile(p, "a: 1\nb: two\n");
  await encryptSecret(p, { age: [key.recipient] });
  const before = await Deno.readTextFile(p);
  const log = `${dir}/seen.txt`;
  // records the mode of the plaintext file and its directory, changes nothing
  const noop = await editorScript(dir, `stat -c '%a %n' "$1" "$(dirname "$1")" > ${log}`);
  const oldTmp = Deno.env.get("TMPDIR");
  Deno.env.set("TMPDIR", tmp);
  try {
    const r1 = await editSecret(p, { editor: noop, ageIdentities: [key.identity] });
    assert.deepEqual(r1, { changed: false, created: false });
    assert.equal(await Deno.readTextFile(p), before, "unchanged file is not rewritten");
    const modes = (await Deno.readTextFile(log)).trim().split("\n").map((l) => l.split(" ")[0]);
    assert.deepEqual(modes, ["600", "700"]);
    const sed = await editorScript(dir, `sed -i 's/two/three/' "$1"`);
    const r2 = await editSecret(p, { editor: sed, ageIdentities: [key.identity] });
    assert.deepEqual(r2, { changed: true, created: false });
    const after = await Deno.readTextFile(p);
    assert.equal(/a: (ENC\[[^\]]+\])/.exec(after)![1], /a: (ENC\[[^\]]+\])/.exec(before)![1]);
    const failing = await editorScript(dir, "exit 3");
    await assert.rejects(editSecret(p, { editor: failing, ageIdentities: [key.identity] }));
    assert.deepEqual([...Deno.readDirSync(tmp)], [], "no plaintext left behind");
  } finally {
    if (oldTmp === undefined) Deno.env.delete("TMPDIR");
    else Deno.env.set("TMPDIR", oldTmp);
  }
});

Deno.test("npm:sops-age (independent implementation) decrypts YAML and JSON that Bosun encrypts", async () => {
  const key = await generateAgeKey();
  const dir = await Deno.makeTempDir();
  await Deno.writeTextFile(
    `${dir}/s.yaml`,
    "user: app\npassword: hunter2\nport: 5432\nnested:\n  list: [a, b]\n",
  );
  await Deno.writeTextFile(`${dir}/s.json`, '{"user": "app", "n": 1.5, "ok": true}');
  for (const f of ["s.yaml", "s.json"]) {
    const { content: text } = await encryptSecret(`${dir}/${f}`, { age: [key.recipient] });
    const out = await decryptSops(text, {
      secretKey: key.identity,
      fileType: f.endsWith("json") ? "json" : "yaml",
    });
    if (f === "s.yaml") {
      assert.deepEqual(out, {
        user: "app",
        password: "hunter2",
        port: 5432,
        nested: { list: ["a", "b"] },
      });
    } else assert.deepEqual(out, { user: "app", n: 1.5, ok: true });
  }
});

Deno.test("editSecret: an abort signal kills the editor, leaves the file and removes the plaintext", async () => {
  const key = await generateAgeKey();
  const dir = await Deno.makeTempDir();
  const tmp = await Deno.makeTempDir();
  const p = `${dir}/e.yaml`;
  await Deno.writeTextFile(p, "a: 1\n");
  await encryptSecret(p, { age: [key.recipient] });
  const before = await Deno.readTextFile(p);
  const mark = `${dir}/editing`;
  // writes the plaintext, says it is editing, then waits like a person in vi
  const slow = await editorScript(dir, `echo 'a: 2' > "$1"; touch ${mark}; exec sleep 30`);
  const controller = new AbortController();
  const oldTmp = Deno.env.get("TMPDIR");
  Deno.env.set("TMPDIR", tmp);
  try {
    const edit = editSecret(p, {
      editor: slow,
      ageIdentities: [key.identity],
      signal: controller.signal,
    });
    await waitForFile(mark);
    controller.abort();
    await assert.rejects(
      edit,
      (e: unknown) =>
        e instanceof SopsEditInterruptedError && e.signal === "abort" && e.path === p &&
        /not changed/.test(e.message),
    );
    assert.equal(await Deno.readTextFile(p), before, "the encrypted file is untouched");
    assert.deepEqual([...Deno.readDirSync(tmp)], [], "no plaintext left behind");
  } finally {
    if (oldTmp === undefined) Deno.env.delete("TMPDIR");
    else Deno.env.set("TMPDIR", oldTmp);
    await Deno.remove(dir, { recursive: true });
    await Deno.remove(tmp, { recursive: true });
  }
});

Deno.test("editSecret: SIGINT during the edit is a typed error the caller catches, not an exit", async () => {
  const dir = await Deno.makeTempDir();
  const tmp = await Deno.makeTempDir();
  try {
    const mark = `${dir}/editing`;
    const editor = await editorScript(dir, `touch ${mark}; exec sleep 30`);
    const sops = new URL("../../lib/sops/mod.ts", import.meta.url).href;
    // a program using the library: it must get control back after the signal
    await Deno.writeTextFile(
      `${dir}/main.ts`,
      `import { editSecret, encryptSecret, generateAgeKey } from ${JSON.stringify(sops)};
const key = await generateAgeKey();
const p = ${JSON.stringify(`${dir}/e.yaml`)};
await Deno.writeTextFile(p, "a: 1\\n");
await encryptSecret(p, { age: [key.recipient] });
try {
  await editSecret(p, { editor: ${JSON.stringify(editor)}, ageIdentities: [key.identity] });
  console.log("returned");
} catch (e) {
  console.log(\`caught \${(e as Error).name} \${(e as { signal?: string }).signal}\`);
}
`,
    );
    const log = `${dir}/log`;
    const config = new URL("../../deno.json", import.meta.url).pathname;
    const child = defaultRunner.spawn(Deno.execPath(), [
      "run",
      "-A",
      "--config",
      config,
      `${dir}/main.ts`,
    ], { logFile: log, env: { TMPDIR: tmp } });
    await waitForFile(mark, 60_000);
    child.kill("SIGINT");
    const code = await child.exited;
    const out = await Deno.readTextFile(log);
    assert.equal(code, 0, out);
    assert.match(out, /caught SopsEditInterruptedError SIGINT/);
    assert.deepEqual([...Deno.readDirSync(tmp)], [], "no plaintext left behind");
  } finally {
    await Deno.remove(dir, { recursive: true });
    await Deno.remove(tmp, { recursive: true });
  }
});

async function waitForFile(path: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      await Deno.stat(path);
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  throw new Error(`${path} did not appear within ${timeoutMs} ms`);
}
