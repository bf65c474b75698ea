/**
 * A fresh age X25519 key pair (recipient `age1…`, identity `AGE-SECRET-KEY-1…`)
 * and the SOPS key file it is stored in.
 *
 * @module
 */

import { x25519 } from "@noble/curves/ed25519.js";

const CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
const GEN = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];

function polymod(values: number[]): number {
  let chk = 1;
  for (const v of values) {
    const top = chk >>> 25;
    chk = ((chk & 0x1ffffff) << 5) ^ v;
    for (let i = 0; i < 5; i++) if ((top >>> i) & 1) chk ^= GEN[i]!;
  }
  return chk;
}

function toWords(bytes: Uint8Array): number[] {
  const words: number[] = [];
  let acc = 0;
  let bits = 0;
  for (const b of bytes) {
    acc = (acc << 8) | b;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      words.push((acc >>> bits) & 31);
    }
  }
  if (bits > 0) words.push((acc << (5 - bits)) & 31);
  return words;
}

/** Bech32 (BIP 173) encoding without the 90-character limit, as age uses it. */
export function bech32(hrp: string, data: Uint8Array): string {
  const words = toWords(data);
  const expanded = [...hrp].map((c) => c.charCodeAt(0) >>> 5).concat(
    [0],
    [...hrp].map((c) => c.charCodeAt(0) & 31),
  );
  const mod = polymod([...expanded, ...words, 0, 0, 0, 0, 0, 0]) ^ 1;
  const checksum = Array.from({ length: 6 }, (_, i) => (mod >>> (5 * (5 - i))) & 31);
  return `${hrp}1${[...words, ...checksum].map((w) => CHARSET[w]).join("")}`;
}

/** An age key pair. */
export interface AgeKeyPair {
  /** Public recipient, `age1…`. */
  readonly recipient: string;
  /** Private identity, `AGE-SECRET-KEY-1…`. */
  readonly identity: string;
}

/** Generates a new age X25519 key pair. */
export function newAgeKey(): AgeKeyPair {
  const secret = crypto.getRandomValues(new Uint8Array(32));
  const pub = x25519.getPublicKey(secret);
  return {
    recipient: bech32("age", pub),
    identity: bech32("age-secret-key-", secret).toUpperCase(),
  };
}

/**
 * The SOPS age key file: `$SOPS_AGE_KEY_FILE`, else `sops/age/keys.txt` under
 * `$XDG_CONFIG_HOME` (or `~/.config`; `~/Library/Application Support` on macOS).
 */
export function sopsAgeKeyFile(env: (name: string) => string | undefined): string {
  const explicit = env("SOPS_AGE_KEY_FILE");
  if (explicit) return explicit;
  const xdg = env("XDG_CONFIG_HOME");
  if (xdg) return `${xdg}/sops/age/keys.txt`;
  const home = env("HOME") ?? env("USERPROFILE") ?? ".";
  if (Deno.build.os === "darwin") return `${home}/Library/Application Support/sops/age/keys.txt`;
  return `${home}/.config/sops/age/keys.txt`;
}
