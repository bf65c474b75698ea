/**
 * Interop with the real sops binary, both directions, every store, age and
 * PGP; the regex/suffix/comment options; set/unset; Shamir key groups.
 */

import assert from "node:assert/strict";
import { parse } from "yaml";
import {
  decryptSecret,
  encryptSecret,
  generateAgeKey,
  rotateSecret,
  setSecretValue,
  unsetSecretValue,
} from "../../lib/sops/mod.ts";
import { requirePeers } from "../harness/peers.ts";
import { gpgHome, PGP_FP1, PGP_KEY_FILE, sops, VECTORS } from "./_helpers.ts";

const peers = await requirePeers("sops", "age", "gpg");
const ignore = !peers;

const PLAIN: Record<string, string> = {
  "s.yaml": [
    "# top comment",
    "foo: bar # inline",
    "num: 42",
    "flt: 1.5",
    "yes_: true",
    "list:",
    "  - a",
    "  # in list",
    "  - 2",
    "nested:",
    "  deep:",
    "    k: v",
    "  # end of nested",
    "multi: |",
    "  line1",
    "  line2",
    'empty: ""',
    "nul: null",
    "---",
    "second: doc",
    "",
  ].join("\n"),
  "s.json": '{"b": 1, "a": {"x": [1, 2.5, "s", true, null]}, "2": "two", "u": "<&>", "e": ""}\n',
  "s.env": "# comment\nFOO=bar\nMULTI=a\\nb\nEMPTY=\n",
  "s.ini": "; top\n[sec]\nkey = value\nother = 1\n\n[two]\nx = y\n",
  "s.bin": "binary data\nwith \u00e9 and lines\n",
};

function typeArgs(name: string): string[] {
  return name.endsWith(".bin") ? ["--input-type", "binary", "--output-type", "binary"] : [];
}

async function fixture(name: string): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "bosun-sops-interop-" });
  const p = `${dir}/${name}`;
  await Deno.writeTextFile(p, PLAIN[name]!);
  return p;
}

/** sops moves inline comments above their key; Bosun keeps them inline: compare data and comment texts. */
function sameYaml(a: string, b: string): void {
  assert.deepEqual(semantic("x.yaml", a), semantic("x.yaml", b));
  const comments = (t: string) => [...t.matchAll(/#(.*)$/gm)].map((m) => m[1]!.trim()).sort();
  assert.deepEqual(comments(a), comments(b));
}

function samePlain(name: string, a: string, b: string): void {
  if (name.endsWith(".yaml")) sameYaml(a, b);
  else assert.equal(a, b);
}

function semantic(name: string, text: string): unknown {
  if (name.endsWith(".yaml")) return text.split(/^---$/m).map((d) => parse(d));
  if (name.endsWith(".json")) return JSON.parse(text);
  if (name.endsWith(".env")) return text.split("\n").filter((l) => l && !l.startsWith("#")).sort();
  if (name.endsWith(".ini")) {
    return text.split("\n").filter((l) => l && !l.startsWith(";")).map((l) =>
      l.replace(/\s+=\s+/, "=")
    );
  }
  return text;
}

for (const name of Object.keys(PLAIN)) {
  Deno.test({
    name: `interop ${name}: Bosun encrypts (age), sops decrypts to the same plaintext`,
    ignore,
    fn: async () => {
      const key = await generateAgeKey();
      const p = await fixture(name);
      await encryptSecret(p, { age: [key.recipient] });
      assert.ok((await Deno.readTextFile(p)).includes("ENC[AES256_GCM"));
      const theirs = await sops(peers!.sops, ["decrypt", ...typeArgs(name), p], {
        SOPS_AGE_KEY: key.identity,
      });
      const ours = await decryptSecret(p, { ageIdentities: [key.identity] });
      samePlain(name, ours, theirs.stdout);
      assert.deepEqual(semantic(name, ours), semantic(name, PLAIN[name]!));
    },
  });

  Deno.test({
    name: `interop ${name}: sops encrypts (age), Bosun decrypts to the same plaintext`,
    ignore,
    fn: async () => {
      const key = await generateAgeKey();
      const p = await fixture(name);
      const env = { SOPS_AGE_KEY: key.identity };
      await sops(peers!.sops, ["encrypt", "--age", key.recipient, ...typeArgs(name), "-i", p], env);
      const ours = await decryptSecret(p, { ageIdentities: [key.identity] });
      const theirs = await sops(peers!.sops, ["decrypt", ...typeArgs(name), p], env);
      samePlain(name, ours, theirs.stdout);
    },
  });

  Deno.test({
    name: `interop ${name}: PGP both ways (Bosun via openpgp key file and via gpg keyring)`,
    ignore,
    fn: async () => {
      const home = await gpgHome(peers!.gpg);
      const env = { GNUPGHOME: home };
      // Bosun with the key file (openpgp) -> sops with the keyring
      const a = await fixture(name);
      await encryptSecret(a, { pgp: [PGP_FP1], pgpKeyFiles: [PGP_KEY_FILE] });
      const sa = await sops(peers!.sops, ["decrypt", ...typeArgs(name), a], env);
      assert.deepEqual(semantic(name, sa.stdout), semantic(name, PLAIN[name]!));
      // Bosun with the gpg keyring -> sops
      const b = await fixture(name);
      await encryptSecret(b, { pgp: [PGP_FP1], gnupgHome: home });
      const sb = await sops(peers!.sops, ["decrypt", ...typeArgs(name), b], env);
      samePlain(name, sb.stdout, sa.stdout);
      // sops -> Bosun (gpg keyring, then key file)
      const c = await fixture(name);
      await sops(peers!.sops, ["encrypt", "--pgp", PGP_FP1, ...typeArgs(name), "-i", c], env);
      const viaGpg = await decryptSecret(c, { gnupgHome: home, ageIdentities: [] });
      const viaFile = await decryptSecret(c, {
        pgpKeyFiles: [PGP_KEY_FILE],
        ageIdentities: [],
        gnupgHome: "/nonexistent",
      });
      const sc = await sops(peers!.sops, ["decrypt", ...typeArgs(name), c], env);
      samePlain(name, viaGpg, sc.stdout);
      samePlain(name, viaFile, sc.stdout);
    },
  });
}

const RULE_FLAGS: [string, string[]][] = [
  ["encrypted_regex", ["--encrypted-regex", "^(lorem|data)$"]],
  ["unencrypted_regex", ["--unencrypted-regex", "^dolor$"]],
  ["encrypted_suffix", ["--encrypted-suffix", "em"]],
  ["unencrypted_suffix", ["--unencrypted-suffix", "or"]],
  ["encrypted_comment_regex", ["--encrypted-comment-regex", "this-is"]],
  ["unencrypted_comment_regex", ["--unencrypted-comment-regex", "first comment"]],
  ["mac_only_encrypted", ["--mac-only-encrypted", "--encrypted-regex", "^lorem$"]],
];

for (const [label, flags] of RULE_FLAGS) {
  Deno.test({
    name:
      `interop comments.yaml with ${label}: sops encrypts, Bosun decrypts; Bosun encrypts, sops decrypts`,
    ignore,
    fn: async () => {
      const key = await generateAgeKey();
      const env = { SOPS_AGE_KEY: key.identity };
      const dir = await Deno.makeTempDir();
      const src = await Deno.readTextFile(`${VECTORS}getsops-sops/functional-tests/comments.yaml`);
      const a = `${dir}/a.yaml`;
      await Deno.writeTextFile(a, src);
      await sops(peers!.sops, ["encrypt", "--age", key.recipient, ...flags, "-i", a], env);
      const ours = await decryptSecret(a, { ageIdentities: [key.identity] });
      const theirs = await sops(peers!.sops, ["decrypt", a], env);
      assert.equal(ours, theirs.stdout);
      // the other direction, with the same option through the SDK
      const b = `${dir}/b.yaml`;
      await Deno.writeTextFile(b, src);
      const camel = (s: string) =>
        s.replace(/^--/, "").replace(/-(\w)/g, (_, c) => c.toUpperCase());
      const opts: Record<string, unknown> = { age: [key.recipient] };
      for (let i = 0; i < flags.length; i++) {
        const f = flags[i]!;
        if (f === "--mac-only-encrypted") opts.macOnlyEncrypted = true;
        else opts[camel(f)] = flags[++i];
      }
      await encryptSecret(b, opts);
      const sb = await sops(peers!.sops, ["decrypt", b], env);
      assert.deepEqual(parse(sb.stdout), parse(src));
      assert.equal(sb.stdout, await decryptSecret(b, { ageIdentities: [key.identity] }));
    },
  });
}

Deno.test({
  name: "set/unset on a sops-encrypted file: sops decrypts the result, other ciphertext untouched",
  ignore,
  fn: async () => {
    const key = await generateAgeKey();
    const env = { SOPS_AGE_KEY: key.identity };
    const dir = await Deno.makeTempDir();
    const p = `${dir}/s.yaml`;
    await Deno.writeTextFile(p, "db:\n  user: app\n  password: old\nother: keep\nlist:\n  - 1\n");
    await sops(peers!.sops, ["encrypt", "--age", key.recipient, "-i", p], env);
    const before = await Deno.readTextFile(p);
    const otherCt = /other: (ENC\[[^\]]+\])/.exec(before)![1]!;
    const userCt = /user: (ENC\[[^\]]+\])/.exec(before)![1]!;
    await setSecretValue(p, '["db"]["password"]', "n3w", { ageIdentities: [key.identity] });
    await setSecretValue(p, ["db", "extra"], { a: [1, true] }, { ageIdentities: [key.identity] });
    const after = await Deno.readTextFile(p);
    assert.ok(
      after.includes(otherCt) && after.includes(userCt),
      "unchanged values keep their ciphertext",
    );
    let plain = parse((await sops(peers!.sops, ["decrypt", p], env)).stdout);
    assert.deepEqual(plain, {
      db: { user: "app", password: "n3w", extra: { a: [1, true] } },
      other: "keep",
      list: [1],
    });
    await unsetSecretValue(p, '["db"]["user"]', { ageIdentities: [key.identity] });
    plain = parse((await sops(peers!.sops, ["decrypt", p], env)).stdout);
    assert.deepEqual(plain, {
      db: { password: "n3w", extra: { a: [1, true] } },
      other: "keep",
      list: [1],
    });
    // JSON and dotenv too
    const j = `${dir}/s.json`;
    await Deno.writeTextFile(j, '{"a": "1", "b": {"c": 2}}');
    await encryptSecret(j, { age: [key.recipient] });
    await setSecretValue(j, '["b"]["d"]', "x", { ageIdentities: [key.identity] });
    await unsetSecretValue(j, '["a"]', { ageIdentities: [key.identity] });
    assert.deepEqual(JSON.parse((await sops(peers!.sops, ["decrypt", j], env)).stdout), {
      b: { c: 2, d: "x" },
    });
  },
});

Deno.test({
  name:
    "Shamir key groups: Bosun splits over 3 age groups (threshold 2); sops decrypts with any 2 identities",
  ignore,
  fn: async () => {
    const k = await Promise.all([generateAgeKey(), generateAgeKey(), generateAgeKey()]);
    const dir = await Deno.makeTempDir();
    const p = `${dir}/g.yaml`;
    await Deno.writeTextFile(p, "secret: value\n");
    await encryptSecret(p, {
      keyGroups: k.map((x) => ({ age: [x.recipient] })),
      shamirThreshold: 2,
    });
    const text = await Deno.readTextFile(p);
    assert.match(text, /key_groups:/);
    assert.match(text, /shamir_threshold: 2/);
    const two = `${k[0]!.identity}\n${k[2]!.identity}\n`;
    const out = await sops(peers!.sops, ["decrypt", p], { SOPS_AGE_KEY: two });
    assert.equal(out.stdout, "secret: value\n");
    assert.equal(
      await decryptSecret(p, { ageIdentities: [k[1]!.identity, k[2]!.identity] }),
      "secret: value\n",
    );
    const one = await sops(peers!.sops, ["decrypt", p], { SOPS_AGE_KEY: k[0]!.identity }, false);
    assert.notEqual(one.code, 0);
    // and a file sops splits decrypts with Bosun
    const q = `${dir}/.sops.yaml`;
    await Deno.writeTextFile(
      q,
      [
        "creation_rules:",
        "  - shamir_threshold: 2",
        "    key_groups:",
        ...k.map((x) => `      - age:\n          - ${x.recipient}`),
        "",
      ].join("\n"),
    );
    const s = `${dir}/h.yaml`;
    await Deno.writeTextFile(s, "a: b\n");
    await sops(peers!.sops, ["--config", q, "encrypt", "-i", s], { SOPS_AGE_KEY: two });
    assert.equal(
      await decryptSecret(s, { ageIdentities: [k[0]!.identity, k[1]!.identity] }),
      "a: b\n",
    );
  },
});

Deno.test({
  name: "rotate: new data key, sops still decrypts, recipients added and removed",
  ignore,
  fn: async () => {
    const a = await generateAgeKey();
    const b = await generateAgeKey();
    const dir = await Deno.makeTempDir();
    const p = `${dir}/r.yaml`;
    await Deno.writeTextFile(p, "x: 1\n");
    await encryptSecret(p, { age: [a.recipient] });
    const before = await Deno.readTextFile(p);
    await rotateSecret(p, {
      ageIdentities: [a.identity],
      add: { age: [b.recipient] },
      remove: { age: [a.recipient] },
    });
    const after = await Deno.readTextFile(p);
    assert.notEqual(/x: (ENC\[[^\]]+\])/.exec(before)![1], /x: (ENC\[[^\]]+\])/.exec(after)![1]);
    assert.equal(
      (await sops(peers!.sops, ["decrypt", p], { SOPS_AGE_KEY: b.identity })).stdout,
      "x: 1\n",
    );
    const old = await sops(peers!.sops, ["decrypt", p], { SOPS_AGE_KEY: a.identity }, false);
    assert.notEqual(old.code, 0);
  },
});

Deno.test({
  name: "the age stanza Bosun writes is a valid age file for the real age CLI",
  ignore,
  fn: async () => {
    const key = await generateAgeKey();
    const dir = await Deno.makeTempDir();
    const p = `${dir}/a.yaml`;
    await Deno.writeTextFile(p, "k: v\n");
    await encryptSecret(p, { age: [key.recipient] });
    const enc =
      (parse(await Deno.readTextFile(p)) as { sops: { age: { enc: string }[] } }).sops.age[0]!.enc;
    await Deno.writeTextFile(`${dir}/id`, key.fileText);
    await Deno.writeTextFile(`${dir}/dk.age`, enc);
    const { defaultRunner } = await import("../../lib/exec/mod.ts");
    await defaultRunner.run(peers!.age, [
      "-d",
      "-i",
      `${dir}/id`,
      "-o",
      `${dir}/dk`,
      `${dir}/dk.age`,
    ]);
    assert.equal((await Deno.readFile(`${dir}/dk`)).length, 32);
  },
});

const COMMENT_CASES = [
  "a:\n  b: 1\n# after a\nc: 2\n",
  "a:\n  b: 1\n\n# foot of document\n",
  "# head\n\na: 1 # inline a\n# between\nb:\n  - x # inline x\n  # in list\n  - y\n# end\n",
  "x:\n  y:\n    z: 1\n    # end z\n  # end y\n# end x\n",
  "list:\n  - name: a\n    # inside item\n    v: 1\n  # after item\n  - name: b\n",
];

Deno.test({
  name: "comments in every position survive both directions (no ENC[] left, same texts)",
  ignore,
  fn: async () => {
    const key = await generateAgeKey();
    const env = { SOPS_AGE_KEY: key.identity };
    const dir = await Deno.makeTempDir();
    for (const [i, text] of COMMENT_CASES.entries()) {
      const a = `${dir}/a${i}.yaml`;
      await Deno.writeTextFile(a, text);
      await encryptSecret(a, { age: [key.recipient] });
      const viaSops = (await sops(peers!.sops, ["decrypt", a], env)).stdout;
      assert.ok(
        !viaSops.includes("ENC["),
        `case ${i} Bosun->sops left a comment encrypted:\n${viaSops}`,
      );
      sameYaml(viaSops, text);
      const b = `${dir}/b${i}.yaml`;
      await Deno.writeTextFile(b, text);
      await sops(peers!.sops, ["encrypt", "--age", key.recipient, "-i", b], env);
      const viaBosun = await decryptSecret(b, { ageIdentities: [key.identity] });
      assert.ok(
        !viaBosun.includes("ENC["),
        `case ${i} sops->Bosun left a comment encrypted:\n${viaBosun}`,
      );
      sameYaml(viaBosun, text);
    }
  },
});
