/**
 * updateKeys over a tree of 50 encrypted files, `.sops.yaml` rule matching and
 * `bosun secrets explain`.
 */

import assert from "node:assert/strict";
import { Command } from "commander";
import {
  encryptSecret,
  explainCreationRules,
  formatExplanation,
  generateAgeKey,
  SopsNoMatchingRuleError,
  updateKeys,
} from "../../lib/sops/mod.ts";
import { registerSecrets } from "../../lib/cli/secrets.ts";
import { requirePeers } from "../harness/peers.ts";
import { sops } from "./_helpers.ts";

const peers = await requirePeers("sops");

Deno.test({
  name:
    "updateKeys over 50 encrypted files adds a recipient; each decrypts with sops using only the new key",
  ignore: !peers,
  fn: async () => {
    const a = await generateAgeKey();
    const b = await generateAgeKey();
    const root = await Deno.makeTempDir({ prefix: "bosun-updatekeys-" });
    const rules = (keys: string) =>
      `creation_rules:\n  - path_regex: secrets/.*\n    age: ${keys}\n`;
    await Deno.writeTextFile(`${root}/.sops.yaml`, rules(a.recipient));
    const exts = ["yaml", "json", "env", "ini", "yaml"];
    const files: string[] = [];
    for (let i = 0; i < 50; i++) {
      const ext = exts[i % exts.length]!;
      const dir = `${root}/secrets/team-${i % 7}`;
      await Deno.mkdir(dir, { recursive: true });
      const p = `${dir}/s${i}.${ext}`;
      const body = ext === "json"
        ? `{"n": ${i}, "name": "s${i}"}`
        : ext === "env"
        ? `N=${i}\nNAME=s${i}\n`
        : ext === "ini"
        ? `[s]\nn = ${i}\n`
        : `n: ${i}\nname: s${i}\n`;
      await Deno.writeTextFile(p, body);
      await encryptSecret(p);
      files.push(p);
    }
    await Deno.writeTextFile(`${root}/README.md`, "not a secret\n");
    const before = await Promise.all(files.map((f) => Deno.readTextFile(f)));
    await Deno.writeTextFile(`${root}/.sops.yaml`, rules(`${a.recipient},${b.recipient}`));
    const results = await updateKeys(root, { ageIdentities: [a.identity] });
    const updated = results.filter((r) => r.status === "updated");
    assert.equal(updated.length, 50, JSON.stringify(results.filter((r) => r.status !== "updated")));
    assert.ok(updated.every((r) => r.added.length === 1 && r.added[0] === `age:${b.recipient}`));
    assert.equal(results.find((r) => r.path.endsWith("README.md"))?.status, "skipped");
    for (const [i, f] of files.entries()) {
      const after = await Deno.readTextFile(f);
      // values untouched: the first ENC[] stays byte-identical
      assert.equal(/ENC\[[^\]]+\]/.exec(after)![0], /ENC\[[^\]]+\]/.exec(before[i]!)![0]);
      const out = await sops(peers!.sops, ["decrypt", f], { SOPS_AGE_KEY: b.identity });
      assert.match(out.stdout, new RegExp(`\\b${i}\\b`));
    }
    const again = await updateKeys(root, { ageIdentities: [a.identity] });
    assert.equal(again.filter((r) => r.status === "unchanged").length, 50);
    // removing a recipient
    await Deno.writeTextFile(`${root}/.sops.yaml`, rules(b.recipient));
    const removed = await updateKeys(`${root}/secrets/team-0`, { ageIdentities: [b.identity] });
    assert.ok(removed.length > 0 && removed.every((r) => r.removed[0] === `age:${a.recipient}`));
    const gone = await sops(peers!.sops, ["decrypt", removed[0]!.path], {
      SOPS_AGE_KEY: a.identity,
    }, false);
    assert.notEqual(gone.code, 0);
  },
});

Deno.test("a file no rule matches: encrypt lists each rule and why it did not match", async () => {
  const k = await generateAgeKey();
  const root = await Deno.makeTempDir();
  await Deno.writeTextFile(
    `${root}/.sops.yaml`,
    `creation_rules:\n  - path_regex: ^/k8s/.*\\.yaml$\n    age: ${k.recipient}\n  - path_regex: \\.enc\\.json$\n    age: ${k.recipient}\n`,
  );
  await Deno.mkdir(`${root}/k8s`);
  await Deno.writeTextFile(`${root}/k8s/db.yaml`, "a: b\n");
  const err = await encryptSecret(`${root}/k8s/db.yaml`).then(() => undefined, (e) => e);
  assert.ok(err instanceof SopsNoMatchingRuleError, String(err));
  assert.equal(err.misses.length, 2);
  assert.match(err.message, /rule #1 .*\^\/k8s/);
  assert.match(err.message, /starts with "\/" but paths are relative/);
  assert.match(err.message, /rule #2/);
  assert.equal(await Deno.readTextFile(`${root}/k8s/db.yaml`), "a: b\n", "the file is untouched");
});

Deno.test("explainCreationRules: the matching rule, its keys, and the misses before it", async () => {
  const k = await generateAgeKey();
  const root = await Deno.makeTempDir();
  await Deno.writeTextFile(
    `${root}/.sops.yaml`,
    `creation_rules:\n  - path_regex: prod/.*\n    pgp: FBC7B9E2A4F9289AC0C1D4843D16CEE4A27381B4\n  - path_regex: dev/.*\\.yaml$\n    encrypted_regex: ^(data|stringData)$\n    age: ${k.recipient}\n`,
  );
  const e = await explainCreationRules(`${root}/dev/app/secret.yaml`);
  assert.equal(e.configPath, `${root}/.sops.yaml`);
  assert.equal(e.relativePath, "dev/app/secret.yaml");
  assert.equal(e.matchedRule, 1);
  assert.deepEqual(e.keyGroups, [[`age:${k.recipient}`]]);
  assert.equal(e.encryptionRule, "encrypted_regex: ^(data|stringData)$");
  assert.equal(e.misses.length, 1);
  const none = await explainCreationRules(`${root}/staging/x.yaml`);
  assert.equal(none.matchedRule, undefined);
  assert.match(formatExplanation(none), /no creation rule matches/);
});

Deno.test("bosun secrets explain prints why a file matches no rule", async () => {
  const root = await Deno.makeTempDir();
  await Deno.writeTextFile(
    `${root}/.sops.yaml`,
    "creation_rules:\n  - path_regex: ^secrets/\n    age: age1yt3tfqlfrwdwx0z0ynwplcr6qxcxfaqycuprpmy89nr83ltx74tqdpszlw\n",
  );
  const program = new Command("bosun").option("--json").exitOverride();
  registerSecrets(program);
  const lines: string[] = [];
  const orig = console.log;
  console.log = (...a: unknown[]) => lines.push(a.join(" "));
  try {
    await program.parseAsync(["secrets", "explain", `${root}/config/app.yaml`], { from: "user" });
  } finally {
    console.log = orig;
  }
  const text = lines.join("\n");
  assert.match(text, /compared path: config\/app\.yaml/);
  assert.match(text, /rule #1 path_regex "\^secrets\/": no, does not match "config\/app\.yaml"/);
  assert.match(text, /result: no creation rule matches this file/);
});

Deno.test("bosun secrets keygen/import-key/encrypt/decrypt through the CLI group", async () => {
  const dir = await Deno.makeTempDir();
  const keysFile = `${dir}/keys.txt`;
  const program = new Command("bosun").option("--json").exitOverride();
  registerSecrets(program);
  const key = await generateAgeKey();
  await Deno.writeTextFile(`${dir}/id.txt`, key.fileText);
  const run = (args: string[]) => program.parseAsync(args, { from: "user" });
  const orig = console.log;
  console.log = () => {};
  try {
    await run(["secrets", "import-key", `${dir}/id.txt`, "--keys-file", keysFile]);
    await run(["secrets", "import-key", `${dir}/id.txt`, "--keys-file", keysFile]);
  } finally {
    console.log = orig;
  }
  const keys = await Deno.readTextFile(keysFile);
  assert.equal(keys.split(key.identity).length - 1, 1, "no duplicate entry");
  assert.equal((await Deno.stat(keysFile)).mode! & 0o777, 0o600);
  await Deno.writeTextFile(`${dir}/s.yaml`, "a: b\n");
  await run(["secrets", "encrypt", "--age", key.recipient, "-i", `${dir}/s.yaml`]);
  assert.match(await Deno.readTextFile(`${dir}/s.yaml`), /ENC\[AES256_GCM/);
  await run([
    "secrets",
    "decrypt",
    "--age-key-file",
    keysFile,
    "-o",
    `${dir}/plain.yaml`,
    `${dir}/s.yaml`,
  ]);
  assert.equal(await Deno.readTextFile(`${dir}/plain.yaml`), "a: b\n");
  assert.equal((await Deno.stat(`${dir}/plain.yaml`)).mode! & 0o777, 0o600);
});
