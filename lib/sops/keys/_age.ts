/**
 * age through the `age-encryption` library (X25519, post-quantum hybrid
 * `age1pq1…`, header MAC, STREAM, armor). Bosun keeps only what the library
 * lacks: ssh-ed25519 recipients and identities, written on its
 * {@linkcode Recipient}/{@linkcode Identity} interfaces.
 *
 * @module
 */

import * as age from "age-encryption";
import { ed25519, x25519 } from "@noble/curves/ed25519.js";
import { hkdf } from "@noble/hashes/hkdf.js";
import { sha256, sha512 } from "@noble/hashes/sha2.js";
import { chacha20poly1305 } from "@noble/ciphers/chacha.js";

const enc = new TextEncoder();
const dec = new TextDecoder();
const SSH_LABEL = "age-encryption.org/v1/ssh-ed25519";

/** Raised for malformed age input or when no identity matches. */
export class AgeFormatError extends Error {
  /** Builds the error. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "AgeFormatError";
  }
}

/** A recipient the library's `Encrypter` accepts: an `age1…` string or a custom recipient. */
export type AgeRecipient = string | age.Recipient;

/** An identity the library's `Decrypter` accepts, with its display recipient. */
export interface AgeIdentity {
  /** Display form (the matching recipient). */
  readonly recipient: string;
  /** What is handed to `Decrypter.addIdentity`. */
  readonly identity: string | age.Identity;
}

function b64(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/=+$/, "");
}

function unb64(s: string): Uint8Array {
  const pad = s.length % 4 === 0 ? "" : "=".repeat(4 - (s.length % 4));
  return Uint8Array.from(atob(s + pad), (c) => c.charCodeAt(0));
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

const RECIPIENT = /^age1(pq1)?[02-9ac-hj-np-z]+$/;
const IDENTITY = /^AGE-SECRET-KEY-(PQ-)?1[02-9AC-HJ-NP-Z]+$/;

/**
 * Parses an `age1…` (X25519) or `age1pq1…` (ML-KEM-768 + X25519) recipient.
 *
 * @throws {AgeFormatError} When the text is not such a recipient (checked by
 * the library on a trial wrap).
 */
export async function parseNativeRecipient(text: string): Promise<string> {
  const t = text.trim();
  if (!RECIPIENT.test(t)) {
    throw new AgeFormatError(
      `Invalid age recipient ${JSON.stringify(t)} (expected age1… or age1pq1…)`,
    );
  }
  try {
    const e = new age.Encrypter();
    e.addRecipient(t);
    await e.encrypt(new Uint8Array(0));
  } catch (cause) {
    throw new AgeFormatError(`Invalid age recipient ${JSON.stringify(t)}`, { cause });
  }
  return t;
}

/**
 * Parses an `AGE-SECRET-KEY-1…` or `AGE-SECRET-KEY-PQ-1…` identity.
 *
 * @throws {AgeFormatError} When it is malformed.
 */
export async function parseNativeIdentity(text: string): Promise<AgeIdentity> {
  const t = text.trim();
  if (!IDENTITY.test(t)) {
    throw new AgeFormatError("Invalid age identity (expected AGE-SECRET-KEY-1… or -PQ-1…)");
  }
  try {
    return { identity: t, recipient: await age.identityToRecipient(t) };
  } catch (cause) {
    throw new AgeFormatError("Invalid age identity (bad checksum or length)", { cause });
  }
}

/** A fresh identity and its recipient: X25519, or the post-quantum hybrid with `pq`. */
export async function generateIdentity(
  pq = false,
): Promise<{ identity: string; recipient: string }> {
  const identity = pq ? await age.generateHybridIdentity() : await age.generateX25519Identity();
  return { identity, recipient: await age.identityToRecipient(identity) };
}

/**
 * The recipient of an `AGE-SECRET-KEY-1…` / `AGE-SECRET-KEY-PQ-1…` identity.
 *
 * @throws {AgeFormatError} When the identity is malformed.
 */
export async function recipientOfIdentity(identity: string): Promise<string> {
  return (await parseNativeIdentity(identity)).recipient;
}

// ---------- ssh-ed25519 (not in the library) ----------

function sshString(buf: Uint8Array, off: number): [Uint8Array, number] {
  if (off + 4 > buf.length) throw new AgeFormatError("Truncated SSH key");
  const n = new DataView(buf.buffer, buf.byteOffset).getUint32(off);
  if (off + 4 + n > buf.length) throw new AgeFormatError("Truncated SSH key");
  return [buf.subarray(off + 4, off + 4 + n), off + 4 + n];
}

function sshKeys(wire: Uint8Array, pub: Uint8Array) {
  return {
    mont: ed25519.utils.toMontgomery(pub),
    tag: b64(sha256(wire).subarray(0, 4)),
    tweak: hkdf(sha256, new Uint8Array(0), wire, enc.encode(SSH_LABEL), 32),
  };
}

/** Parses an `ssh-ed25519 AAAA… [comment]` recipient into a library recipient. */
export function parseSshEd25519Recipient(text: string): age.Recipient {
  const parts = text.trim().split(/\s+/);
  if (parts[0] !== "ssh-ed25519" || !parts[1]) {
    throw new AgeFormatError("Invalid SSH recipient: only ssh-ed25519 keys are supported");
  }
  const wire = Uint8Array.from(atob(parts[1]), (c) => c.charCodeAt(0));
  const [type, o1] = sshString(wire, 0);
  const [pub] = sshString(wire, o1);
  if (dec.decode(type) !== "ssh-ed25519" || pub.length !== 32) {
    throw new AgeFormatError("Invalid ssh-ed25519 public key");
  }
  const { mont, tag, tweak } = sshKeys(wire, pub);
  return {
    wrapFileKey(fileKey) {
      const eph = x25519.utils.randomSecretKey();
      const share = x25519.getPublicKey(eph);
      const shared = x25519.getSharedSecret(tweak, x25519.getSharedSecret(eph, mont));
      const key = hkdf(sha256, shared, concat(share, mont), enc.encode(SSH_LABEL), 32);
      const body = chacha20poly1305(key, new Uint8Array(12)).encrypt(fileKey);
      return [new age.Stanza(["ssh-ed25519", tag, b64(share)], body)];
    },
  };
}

/**
 * Parses an unencrypted OpenSSH ed25519 private key into a library identity.
 *
 * @throws {AgeFormatError} For other key types or passphrase-protected keys.
 */
export function parseSshEd25519Identity(pem: string): AgeIdentity & { publicKey: string } {
  const m = /-----BEGIN OPENSSH PRIVATE KEY-----([\s\S]+?)-----END OPENSSH PRIVATE KEY-----/.exec(
    pem,
  );
  if (!m) throw new AgeFormatError("Not an OpenSSH private key");
  const raw = Uint8Array.from(atob(m[1]!.replace(/\s+/g, "")), (c) => c.charCodeAt(0));
  const magic = enc.encode("openssh-key-v1\0");
  if (!magic.every((b, i) => raw[i] === b)) throw new AgeFormatError("Not an openssh-key-v1 key");
  const [cipher, o1] = sshString(raw, magic.length);
  if (dec.decode(cipher) !== "none") {
    throw new AgeFormatError("Passphrase-protected SSH keys are not supported");
  }
  const [, o2] = sshString(raw, o1); // kdf name
  const [, o3] = sshString(raw, o2); // kdf options
  const [pubWire, o4] = sshString(raw, o3 + 4); // after the number of keys
  const [priv] = sshString(raw, o4);
  const [ktype, p1] = sshString(priv, 8); // after two check ints
  if (dec.decode(ktype) !== "ssh-ed25519") {
    throw new AgeFormatError("Only ssh-ed25519 private keys are supported");
  }
  const [pub, p2] = sshString(priv, p1);
  const [sk] = sshString(priv, p2);
  const secret = sha512(sk.subarray(0, 32)).subarray(0, 32);
  const { mont, tag, tweak } = sshKeys(pubWire, pub);
  const publicKey = `ssh-ed25519 ${b64(pubWire)}${"=".repeat((4 - (b64(pubWire).length % 4)) % 4)}`;
  const identity: age.Identity = {
    unwrapFileKey(stanzas) {
      for (const s of stanzas) {
        if (s.args[0] !== "ssh-ed25519" || s.args.length !== 3 || s.args[1] !== tag) continue;
        const share = unb64(s.args[2]!);
        if (share.length !== 32 || s.body.length !== 32) {
          throw new AgeFormatError("age: malformed ssh-ed25519 stanza");
        }
        const shared = x25519.getSharedSecret(tweak, x25519.getSharedSecret(secret, share));
        const key = hkdf(sha256, shared, concat(share, mont), enc.encode(SSH_LABEL), 32);
        try {
          return chacha20poly1305(key, new Uint8Array(12)).decrypt(s.body);
        } catch {
          continue;
        }
      }
      return null;
    },
  };
  return { recipient: publicKey, publicKey, identity };
}

// ---------- file format (the library's) ----------

/** Encrypts bytes to recipients and returns the ASCII-armored age file. */
export async function ageEncryptArmored(
  plain: Uint8Array,
  recipients: readonly AgeRecipient[],
): Promise<string> {
  const e = new age.Encrypter();
  for (const r of recipients) e.addRecipient(r);
  return age.armor.encode(await e.encrypt(plain));
}

/**
 * Decrypts an age file (armored or binary) with any matching identity.
 *
 * @throws {AgeFormatError} When the file is malformed, tampered with, or no identity matches.
 */
export async function ageDecrypt(
  data: string | Uint8Array,
  identities: readonly AgeIdentity[],
): Promise<Uint8Array> {
  const text = typeof data === "string" ? data : undefined;
  let bin: Uint8Array;
  try {
    bin = text !== undefined
      ? (text.includes("-----BEGIN AGE ENCRYPTED FILE-----")
        ? age.armor.decode(text.trim())
        : enc.encode(text))
      : data as Uint8Array;
  } catch (cause) {
    throw new AgeFormatError("Broken age armor", { cause });
  }
  const d = new age.Decrypter();
  for (const id of identities) d.addIdentity(id.identity);
  try {
    return await d.decrypt(bin);
  } catch (cause) {
    const msg = (cause as Error).message;
    throw new AgeFormatError(
      /no identity matched/i.test(msg)
        ? "no identity matched any of the recipients"
        : `age: ${msg}`,
      { cause },
    );
  }
}

/** Whether a keys file is itself an age file (a passphrase-protected identity file). */
export function isAgeFile(text: string): boolean {
  return text.includes("-----BEGIN AGE ENCRYPTED FILE-----") ||
    text.startsWith("age-encryption.org/v1\n");
}

/**
 * Decrypts a passphrase-protected (scrypt) identity file, as made by `age -p`.
 *
 * @throws {AgeFormatError} When the passphrase is wrong or the file is malformed.
 */
export async function decryptIdentityFile(text: string, passphrase: string): Promise<string> {
  const bin = text.includes("-----BEGIN AGE ENCRYPTED FILE-----")
    ? age.armor.decode(text.trim())
    : enc.encode(text);
  const d = new age.Decrypter();
  d.addPassphrase(passphrase);
  try {
    return await d.decrypt(bin, "text");
  } catch (cause) {
    throw new AgeFormatError(
      `cannot decrypt the identity file with the given passphrase: ${(cause as Error).message}`,
      { cause },
    );
  }
}
