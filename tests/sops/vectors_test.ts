/**
 * Every sops-encrypted vector decrypts to its recorded plaintext with its key;
 * the AES/MAC layer alone with the recorded data key; no-MAC refusal;
 * tampering; wrong keys.
 */

import assert from "node:assert/strict";
import {
  decryptSecret,
  generateAgeKey,
  SopsDecryptKeyError,
  SopsMacMismatchError,
  SopsValueDecryptError,
} from "../../lib/sops/mod.ts";
import { decryptLoaded } from "../../lib/sops/_core.ts";
import { storeFor } from "../../lib/sops/stores/mod.ts";
import { Branch, Comment, toPlain, type TreeValue } from "../../lib/sops/_tree.ts";
import { AGE_KEYS_FILE, hex, PGP_KEY_FILE, VECTORS } from "./_helpers.ts";

interface Expected {
  file: string;
  format: "yaml" | "json" | "dotenv" | "ini" | "binary";
  data_key_hex: string;
  mac_verified: boolean | null;
  plaintext: unknown;
  comments?: { aad: string; text: string; encrypted: boolean }[];
  upstream_asserted_decrypt_output?: string;
  decrypted_here_with: string;
}

const cases: { dir: string; exp: Expected }[] = [];
for (const dir of ["getsops-sops", "sops-nix"]) {
  for (const e of Deno.readDirSync(`${VECTORS}${dir}/expected`)) {
    cases.push({
      dir,
      exp: JSON.parse(Deno.readTextFileSync(`${VECTORS}${dir}/expected/${e.name}`)),
    });
  }
}
cases.sort((a, b) => a.exp.file.localeCompare(b.exp.file));

const ageIdentity = Deno.readTextFileSync(AGE_KEYS_FILE).split("\n").find((l) =>
  l.startsWith("AGE-SECRET-KEY-1")
)!;
// The age key derived from sops-nix/ssh-ed25519-key (README "S").
const SSH_DERIVED = "AGE-SECRET-KEY-1DR8T3T22862F5SWX0V7M7CG9Q5T9FA90CCN9NVLJRCQATZ3WGA3QEPUFJN";

function path(c: { dir: string; exp: Expected }): string {
  return `${VECTORS}${c.dir}/${c.exp.file}`;
}

function comments(v: TreeValue, out: string[] = []): string[] {
  if (v instanceof Branch) {
    for (const i of v.items) {
      if (i.key instanceof Comment) out.push(i.key.value);
      else comments(i.value, out);
    }
  } else if (Array.isArray(v)) {
    for (const x of v) {
      if (x instanceof Comment) out.push(x.value);
      else comments(x, out);
    }
  }
  return out;
}

for (const c of cases) {
  const { exp } = c;
  Deno.test(`vector ${c.dir}/${exp.file}: AES/MAC layer with the recorded data key`, () => {
    const store = storeFor(exp.format);
    const { branches, metadata } = store.loadEncrypted(Deno.readFileSync(path(c)), path(c));
    const doc = decryptLoaded(branches, metadata, hex(exp.data_key_hex), {
      ignoreMac: exp.mac_verified === null,
    });
    if (exp.format === "binary") {
      assert.equal(
        new TextDecoder().decode(store.emitPlain(doc.branches)),
        (exp.plaintext as { data: string }).data,
      );
    } else assert.deepEqual(toPlain(doc.branches[0]!), exp.plaintext);
    const wanted = (exp.comments ?? []).map((x) => x.text);
    if (wanted.length) {
      assert.deepEqual(
        comments(doc.branches[0]!).map((s) => s.trim()),
        wanted.map((s) => s.trim()),
      );
    }
  });

  Deno.test(`vector ${c.dir}/${exp.file}: decrypts with its key (${exp.decrypted_here_with.split(":")[0]})`, async () => {
    const isAge = exp.decrypted_here_with.startsWith("age");
    const opts = {
      ...(isAge
        ? { ageIdentities: [ageIdentity] }
        : { ageIdentities: [], pgpKeyFiles: [PGP_KEY_FILE] }),
      format: exp.format,
      ignoreMac: exp.mac_verified === null,
      gnupgHome: "/nonexistent",
    };
    const text = await decryptSecret(path(c), opts);
    if (exp.upstream_asserted_decrypt_output !== undefined) {
      assert.equal(text, exp.upstream_asserted_decrypt_output);
    }
    if (exp.format === "json") assert.deepEqual(JSON.parse(text), exp.plaintext);
    if (exp.format === "binary") assert.equal(text, (exp.plaintext as { data: string }).data);
  });
}

Deno.test("vector sops-nix/secrets.yaml decrypts with the ssh-derived age key", async () => {
  const text = await decryptSecret(`${VECTORS}sops-nix/secrets.yaml`, {
    ageIdentities: [SSH_DERIVED],
  });
  assert.match(text, /test_key: test_value/);
});

Deno.test("no_mac.yaml is refused unless the MAC check is disabled", async () => {
  const p = `${VECTORS}getsops-sops/functional-tests/no_mac.yaml`;
  await assert.rejects(
    decryptSecret(p, { pgpKeyFiles: [PGP_KEY_FILE], ageIdentities: [] }),
    SopsMacMismatchError,
  );
  const text = await decryptSecret(p, {
    pgpKeyFiles: [PGP_KEY_FILE],
    ageIdentities: [],
    ignoreMac: true,
  });
  assert.equal(text, "myapp1: t00m4nys3cr3tzupdated\n");
});

const EXAMPLE = `${VECTORS}getsops-sops/examples/example.yaml`;
const pgpOnly = {
  pgpKeyFiles: [PGP_KEY_FILE],
  ageIdentities: [] as string[],
  gnupgHome: "/nonexistent",
};

Deno.test("tampering with any byte of an ENC value makes decryption fail", async () => {
  const text = Deno.readTextFileSync(EXAMPLE);
  const m = /myapp1: ENC\[AES256_GCM,data:([^,]+),/.exec(text)!;
  const data = m[1]!;
  for (let i = 0; i < data.length - 2; i += 3) {
    const flipped = data.slice(0, i) + (data[i] === "A" ? "B" : "A") + data.slice(i + 1);
    const bad = text.replace(data, flipped);
    await assert.rejects(
      decryptSecret("example.yaml", { ...pgpOnly, data: bad }),
      (e: unknown) => e instanceof SopsValueDecryptError || e instanceof SopsMacMismatchError,
    );
  }
});

Deno.test("renaming a key changes the additional data and fails", async () => {
  const text = Deno.readTextFileSync(EXAMPLE);
  await assert.rejects(
    decryptSecret("example.yaml", { ...pgpOnly, data: text.replace("myapp1:", "myapp2:") }),
    SopsValueDecryptError,
  );
  await assert.rejects(
    decryptSecret("example.yaml", { ...pgpOnly, data: text.replace("    db:", "    dB:") }),
    SopsValueDecryptError,
  );
});

Deno.test("changing a clear (_unencrypted) value or the order of values fails on the MAC", async () => {
  const text = Deno.readTextFileSync(EXAMPLE);
  await assert.rejects(
    decryptSecret("example.yaml", {
      ...pgpOnly,
      data: text.replace("remain in clear text", "remain in clear TEXT"),
    }),
    SopsMacMismatchError,
  );
  const lastmod = text.replace(/lastmodified: "([^"]+)"/, 'lastmodified: "2001-01-01T00:00:00Z"');
  await assert.rejects(
    decryptSecret("example.yaml", { ...pgpOnly, data: lastmod }),
    SopsMacMismatchError,
  );
});

Deno.test("a wrong age key: the error names the recipients and the identities tried", async () => {
  const other = await generateAgeKey();
  const err = await decryptSecret(`${VECTORS}sops-nix/secrets.yaml`, {
    ageIdentities: [other.identity],
    gnupgHome: "/nonexistent",
  }).then(() => undefined, (e) => e);
  assert.ok(err instanceof SopsDecryptKeyError, String(err));
  assert.match(err.message, /age1yt3tfqlfrwdwx0z0ynwplcr6qxcxfaqycuprpmy89nr83ltx74tqdpszlw/);
  assert.match(err.message, /pgp:7FB89715AADA920D65D25E63F9BA9DEBD03F57C0/);
  assert.ok(err.identitiesTried.includes(`age:${other.recipient}`), err.identitiesTried.join());
  assert.ok(!err.message.includes(other.identity), "the secret key must not appear in the error");
});

Deno.test("a PGP file does not decrypt with an unrelated key", async () => {
  await assert.rejects(
    decryptSecret(EXAMPLE, { ageIdentities: [ageIdentity], gnupgHome: "/nonexistent" }),
    SopsDecryptKeyError,
  );
});

Deno.test("the RSA-1024 PGP key (key 2) decrypts the multiple-keys file", async () => {
  const pgp = await import("openpgp");
  const blocks = Deno.readTextFileSync(PGP_KEY_FILE).match(
    /-----BEGIN PGP PRIVATE KEY BLOCK-----[\s\S]*?-----END PGP PRIVATE KEY BLOCK-----/g,
  )!;
  const keys = (await Promise.all(
    blocks.map((b) => pgp.readKeys({ armoredKeys: b, config: { minRSABits: 1024 } })),
  )).flat();
  const k2 = keys.find((k) =>
    k.getFingerprint().toUpperCase() === "D7229043384BCC60326C6FB9D8720D957C3D3074"
  )!;
  const dir = await Deno.makeTempDir();
  await Deno.writeTextFile(`${dir}/k2.asc`, k2.armor());
  const text = await decryptSecret(`${VECTORS}getsops-sops/functional-tests/multiple_keys.yaml`, {
    pgpKeyFiles: [`${dir}/k2.asc`],
    ageIdentities: [],
    gnupgHome: "/nonexistent",
  });
  assert.equal(text, "message: hello\n");
});
