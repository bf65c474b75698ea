/**
 * age through the `age-encryption` library: post-quantum hybrid keys
 * (age1pq1… / AGE-SECRET-KEY-PQ-1…), mixed classic + PQ files, and interop
 * with the real sops and the Debian age CLI.
 */

import assert from "node:assert/strict";
import {
  decryptSecret,
  encryptSecret,
  generateAgeKey,
  SopsDecryptKeyError,
} from "../../lib/sops/mod.ts";
import { validateConfig } from "../../lib/config/load.ts";
import { requirePeers } from "../harness/peers.ts";
import { sops } from "./_helpers.ts";

const peers = await requirePeers("sops", "age");

async function plainFile(): Promise<string> {
  const dir = await Deno.makeTempDir();
  const p = `${dir}/s.yaml`;
  await Deno.writeTextFile(p, "token: s3cr3t\nn: 1\n");
  return p;
}

Deno.test("generateAgeKey({ pq: true }) makes an AGE-SECRET-KEY-PQ-1 identity and age1pq1 recipient", async () => {
  const k = await generateAgeKey({ pq: true });
  assert.match(k.identity, /^AGE-SECRET-KEY-PQ-1[0-9A-Z]+$/);
  assert.match(k.recipient, /^age1pq1[0-9a-z]+$/);
  assert.ok(k.fileText.includes(`# public key: ${k.recipient}`));
});

Deno.test("a PQ file encrypted by Bosun decrypts with only the PQ identity", async () => {
  const k = await generateAgeKey({ pq: true });
  assert.match(k.recipient, /^age1pq1/);
  const p = await plainFile();
  await encryptSecret(p, { age: [k.recipient] });
  const text = await Deno.readTextFile(p);
  assert.ok(text.includes(k.recipient));
  const out = await decryptSecret(p, { ageIdentities: [k.identity] });
  assert.match(out, /token: s3cr3t/);
  const other = await generateAgeKey({ pq: true });
  await assert.rejects(
    decryptSecret(p, { ageIdentities: [other.identity], gnupgHome: "/nonexistent" }),
    SopsDecryptKeyError,
  );
});

Deno.test("a mixed file (one classic, one PQ recipient) decrypts with either identity", async () => {
  const classic = await generateAgeKey();
  const pq = await generateAgeKey({ pq: true });
  assert.match(pq.recipient, /^age1pq1/);
  const p = await plainFile();
  await encryptSecret(p, { age: [classic.recipient, pq.recipient] });
  for (const id of [classic.identity, pq.identity]) {
    const out = await decryptSecret(p, { ageIdentities: [id] });
    assert.match(out, /token: s3cr3t/);
  }
});

Deno.test("spec.sops.age accepts an age1pq1 recipient", async () => {
  const pq = await generateAgeKey({ pq: true });
  assert.match(pq.recipient, /^age1pq1/);
  const errs = validateConfig({ spec: { sops: { age: [pq.recipient] } } });
  assert.ok(!errs.some((e) => e.path.includes("sops")), JSON.stringify(errs));
  const bad = validateConfig({ spec: { sops: { age: ["age1pq1NOT-BECH32"] } } });
  assert.ok(bad.some((e) => e.path.includes("sops")), "a malformed PQ recipient is refused");
});

Deno.test({
  name:
    "interop: sops 3.13.3 decrypts Bosun's PQ file with the PQ identity, and Bosun decrypts sops's",
  ignore: !peers,
  fn: async () => {
    const pq = await generateAgeKey({ pq: true });
    const p = await plainFile();
    await encryptSecret(p, { age: [pq.recipient] });
    const theirs = await sops(peers!.sops, ["decrypt", p], { SOPS_AGE_KEY: pq.identity });
    assert.match(theirs.stdout, /token: s3cr3t/);
    const q = await plainFile();
    await sops(peers!.sops, ["encrypt", "--age", pq.recipient, "-i", q], {});
    const ours = await decryptSecret(q, { ageIdentities: [pq.identity] });
    assert.match(ours, /token: s3cr3t/);
  },
});
