/**
 * SOPS benchmark: a ~5 MB YAML file with 20,000 values is encrypted and
 * decrypted with Bosun (in process) and with the real `sops` binary (same
 * age key, same file), in one run; prints both ratios.
 *
 * @module
 */

import { stringify } from "yaml";
import { defaultRunner } from "../lib/exec/mod.ts";
import { decryptSecret, encryptSecret, generateAgeKey } from "../lib/sops/mod.ts";
import { requirePeers } from "../tests/harness/peers.ts";
import { median, report } from "./_measure.ts";

/** Builds the document: 200 services × 100 settings, ~250 bytes per value. */
export function benchDocument(): string {
  const doc: Record<string, Record<string, string | number | boolean>> = {};
  let n = 0;
  for (let s = 0; s < 200; s++) {
    const svc: Record<string, string | number | boolean> = {};
    for (let k = 0; k < 100; k++) {
      const kind = n % 10;
      svc[`setting_${k}`] = kind === 0 ? n : kind === 1 ? n % 2 === 0 : `${"v".repeat(8)}-${n}-` +
        "abcdefghijklmnopqrstuvwxyz0123456789".repeat(8);
      n++;
    }
    doc[`service_${s}`] = svc;
  }
  return stringify(doc, { lineWidth: 0 });
}

/** Runs the benchmark and returns the encrypt and decrypt ratios (Bosun time / sops time). */
export async function benchSops(): Promise<{ encrypt: number; decrypt: number } | undefined> {
  const peers = await requirePeers("sops");
  if (!peers) return undefined;
  const key = await generateAgeKey();
  const dir = await Deno.makeTempDir({ prefix: "bosun-sops-bench-" });
  try {
    const plain = benchDocument();
    const src = `${dir}/plain.yaml`;
    await Deno.writeTextFile(src, plain);
    const sizeMb = new TextEncoder().encode(plain).length / 1e6;
    console.log(`sops bench: ${sizeMb.toFixed(2)} MB YAML, 20,000 values, age`);
    const env = { SOPS_AGE_KEY: key.identity };
    const runs = 3;
    const ours = { enc: [] as number[], dec: [] as number[] };
    const theirs = { enc: [] as number[], dec: [] as number[] };
    for (let i = 0; i < runs + 1; i++) {
      const a = `${dir}/bosun-${i}.yaml`;
      const b = `${dir}/sops-${i}.yaml`;
      let t = performance.now();
      await encryptSecret(src, { age: [key.recipient], output: a });
      const e1 = performance.now() - t;
      t = performance.now();
      await decryptSecret(a, { ageIdentities: [key.identity] });
      const d1 = performance.now() - t;
      t = performance.now();
      await defaultRunner.run(peers.sops, ["encrypt", "--age", key.recipient, "--output", b, src], {
        env,
      });
      const e2 = performance.now() - t;
      t = performance.now();
      await defaultRunner.run(peers.sops, ["decrypt", b], { env });
      const d2 = performance.now() - t;
      if (i === 0) continue; // warm-up
      ours.enc.push(e1);
      ours.dec.push(d1);
      theirs.enc.push(e2);
      theirs.dec.push(d2);
    }
    const encrypt = report(
      "sops encrypt 5 MB YAML",
      median(ours.enc),
      median(theirs.enc),
      "sops",
      "≤ 1.0×",
    );
    const decrypt = report(
      "sops decrypt 5 MB YAML",
      median(ours.dec),
      median(theirs.dec),
      "sops",
      "≤ 1.0×",
    );
    return { encrypt, decrypt };
  } finally {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}

if (import.meta.main) await benchSops();
