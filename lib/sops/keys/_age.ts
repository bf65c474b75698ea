/**
 * The age v1 file format (age-encryption.org/v1): X25519 and ssh-ed25519
 * recipient stanzas, header MAC, STREAM payload and ASCII armor.
 *
 * @module
 */

import { chacha20poly1305 } from "@noble/ciphers/chacha.js";
import { ed25519, x25519 } from "@noble/curves/ed25519.js";
import { hkdf } from "@noble/hashes/hkdf.js";
import { hmac } from "@noble/hashes/hmac.js";
import { sha256, sha512 } from "@noble/hashes/sha2.js";
import { bech32Decode, bech32Encode } from "./_bech32.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();
const X25519_LABEL = "age-encryption.org/v1/X25519";
const SSH_LABEL = "age-encryption.org/v1/ssh-ed25519";
const CHUNK = 64 * 1024;

/** Raised for malformed age input or when no identity matches. */
export class AgeFormatError extends Error {
  /** Builds the error. */
  constructor(message: string) {
    super(message);
    this.name = "AgeFormatError";
  }
}

/** A recipient stanza. */
interface Stanza {
  type: string;
  args: string[];
  body: Uint8Array;
}

/** Something that can wrap a file key. */
export interface AgeRecipient {
  /** The recipient as written by users. */
  readonly text: string;
  /** Wraps a 16-byte file key. */
  wrap(fileKey: Uint8Array): Stanza;
}

/** Something that can unwrap a file key. */
export interface AgeIdentity {
  /** Display form (the matching recipient). */
  readonly recipient: string;
  /** Unwraps the file key from one stanza, or returns undefined when it is not for us. */
  unwrap(stanza: Stanza): Uint8Array | undefined;
}

// ---------- base64 without padding ----------

function b64(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/=+$/, "");
}

function unb64(s: string): Uint8Array {
  if (/[=\s]/.test(s)) throw new AgeFormatError("age header: padded or spaced base64");
  const pad = s.length % 4 === 0 ? "" : "=".repeat(4 - (s.length % 4));
  const bin = atob(s + pad);
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
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

function aeadSeal(key: Uint8Array, plain: Uint8Array): Uint8Array {
  return chacha20poly1305(key, new Uint8Array(12)).encrypt(plain);
}

function aeadOpen(key: Uint8Array, body: Uint8Array): Uint8Array | undefined {
  if (body.length !== 32) return undefined;
  try {
    return chacha20poly1305(key, new Uint8Array(12)).decrypt(body);
  } catch {
    return undefined;
  }
}

function isZero(b: Uint8Array): boolean {
  return b.every((x) => x === 0);
}

// ---------- X25519 ----------

/** Parses an `age1…` recipient. */
export function parseX25519Recipient(text: string): AgeRecipient {
  const d = bech32Decode(text);
  if (!d || d.hrp !== "age" || d.data.length !== 32) {
    throw new AgeFormatError(`Invalid age recipient ${JSON.stringify(text)}`);
  }
  const pub = d.data;
  return {
    text,
    wrap(fileKey) {
      const eph = crypto.getRandomValues(new Uint8Array(32));
      const share = x25519.getPublicKey(eph);
      const shared = x25519.getSharedSecret(eph, pub);
      if (isZero(shared)) throw new AgeFormatError("age: low-order recipient");
      const key = hkdf(sha256, shared, concat(share, pub), enc.encode(X25519_LABEL), 32);
      return { type: "X25519", args: [b64(share)], body: aeadSeal(key, fileKey) };
    },
  };
}

/** Parses an `AGE-SECRET-KEY-1…` identity. */
export function parseX25519Identity(text: string): AgeIdentity {
  const d = bech32Decode(text.trim());
  if (!d || d.hrp !== "age-secret-key-" || d.data.length !== 32) {
    throw new AgeFormatError("Invalid age identity (expected AGE-SECRET-KEY-1…)");
  }
  const secret = d.data;
  const pub = x25519.getPublicKey(secret);
  return {
    recipient: bech32Encode("age", pub),
    unwrap(s) {
      if (s.type !== "X25519" || s.args.length !== 1) return undefined;
      const share = unb64(s.args[0]!);
      if (share.length !== 32) return undefined;
      const shared = x25519.getSharedSecret(secret, share);
      if (isZero(shared)) return undefined;
      const key = hkdf(sha256, shared, concat(share, pub), enc.encode(X25519_LABEL), 32);
      return aeadOpen(key, s.body);
    },
  };
}

/** A fresh X25519 identity and its recipient. */
export function generateX25519(): { identity: string; recipient: string } {
  const secret = x25519.utils.randomSecretKey();
  return {
    identity: bech32Encode("age-secret-key-", secret).toUpperCase(),
    recipient: bech32Encode("age", x25519.getPublicKey(secret)),
  };
}

/** The recipient of an `AGE-SECRET-KEY-1…` identity. */
export function recipientOfIdentity(identity: string): string {
  return parseX25519Identity(identity).recipient;
}

// ---------- ssh-ed25519 ----------

function sshString(buf: Uint8Array, off: number): [Uint8Array, number] {
  if (off + 4 > buf.length) throw new AgeFormatError("Truncated SSH key");
  const n = new DataView(buf.buffer, buf.byteOffset).getUint32(off);
  if (off + 4 + n > buf.length) throw new AgeFormatError("Truncated SSH key");
  return [buf.subarray(off + 4, off + 4 + n), off + 4 + n];
}

/** Parses an `ssh-ed25519 AAAA… [comment]` recipient. */
export function parseSshEd25519Recipient(text: string): AgeRecipient {
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
  const mont = ed25519.utils.toMontgomery(pub);
  const tag = b64(sha256(wire).subarray(0, 4));
  const tweak = hkdf(sha256, new Uint8Array(0), wire, enc.encode(SSH_LABEL), 32);
  return {
    text: text.trim(),
    wrap(fileKey) {
      const eph = crypto.getRandomValues(new Uint8Array(32));
      const share = x25519.getPublicKey(eph);
      let shared = x25519.getSharedSecret(eph, mont);
      shared = x25519.getSharedSecret(tweak, shared);
      const key = hkdf(sha256, shared, concat(share, mont), enc.encode(SSH_LABEL), 32);
      return { type: "ssh-ed25519", args: [tag, b64(share)], body: aeadSeal(key, fileKey) };
    },
  };
}

/**
 * Parses an unencrypted OpenSSH ed25519 private key.
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
  let off = magic.length;
  const [cipher, o1] = sshString(raw, off);
  if (dec.decode(cipher) !== "none") {
    throw new AgeFormatError("Passphrase-protected SSH keys are not supported");
  }
  const [, o2] = sshString(raw, o1); // kdf name
  const [, o3] = sshString(raw, o2); // kdf options
  off = o3 + 4; // number of keys
  const [pubWire, o4] = sshString(raw, off);
  const [priv] = sshString(raw, o4);
  let p = 8; // two check ints
  const [ktype, p1] = sshString(priv, p);
  if (dec.decode(ktype) !== "ssh-ed25519") {
    throw new AgeFormatError("Only ssh-ed25519 private keys are supported");
  }
  const [pub, p2] = sshString(priv, p1);
  const [sk] = sshString(priv, p2);
  p = 0;
  const seed = sk.subarray(0, 32);
  const secret = sha512(seed).subarray(0, 32);
  const mont = ed25519.utils.toMontgomery(pub);
  const tag = b64(sha256(pubWire).subarray(0, 4));
  const tweak = hkdf(sha256, new Uint8Array(0), pubWire, enc.encode(SSH_LABEL), 32);
  let bin = "";
  for (const b of pubWire) bin += String.fromCharCode(b);
  const publicKey = `ssh-ed25519 ${btoa(bin)}`;
  return {
    recipient: publicKey,
    publicKey,
    unwrap(s) {
      if (s.type !== "ssh-ed25519" || s.args.length !== 2 || s.args[0] !== tag) return undefined;
      const share = unb64(s.args[1]!);
      let shared = x25519.getSharedSecret(secret, share);
      shared = x25519.getSharedSecret(tweak, shared);
      const key = hkdf(sha256, shared, concat(share, mont), enc.encode(SSH_LABEL), 32);
      return aeadOpen(key, s.body);
    },
  };
}

// ---------- file format ----------

function headerMac(fileKey: Uint8Array, header: Uint8Array): Uint8Array {
  const key = hkdf(sha256, fileKey, new Uint8Array(0), enc.encode("header"), 32);
  return hmac(sha256, key, header);
}

function streamNonce(counter: number, last: boolean): Uint8Array {
  const n = new Uint8Array(12);
  new DataView(n.buffer).setUint32(7, counter);
  n[11] = last ? 1 : 0;
  return n;
}

/** Encrypts bytes to recipients (binary age file). */
export function ageEncrypt(plain: Uint8Array, recipients: readonly AgeRecipient[]): Uint8Array {
  const fileKey = crypto.getRandomValues(new Uint8Array(16));
  let header = "age-encryption.org/v1\n";
  for (const r of recipients) {
    const s = r.wrap(fileKey);
    header += `-> ${[s.type, ...s.args].join(" ")}\n`;
    const body = b64(s.body);
    for (let i = 0; i <= body.length; i += 64) header += body.slice(i, i + 64) + "\n";
  }
  header += "---";
  const mac = headerMac(fileKey, enc.encode(header));
  const head = enc.encode(`${header} ${b64(mac)}\n`);
  const nonce = crypto.getRandomValues(new Uint8Array(16));
  const key = hkdf(sha256, fileKey, nonce, enc.encode("payload"), 32);
  const chunks: Uint8Array[] = [head, nonce];
  let counter = 0;
  for (let off = 0;; off += CHUNK) {
    const last = off + CHUNK >= plain.length;
    const part = plain.subarray(off, Math.min(off + CHUNK, plain.length));
    chunks.push(chacha20poly1305(key, streamNonce(counter++, last)).encrypt(part));
    if (last) break;
  }
  return concat(...chunks);
}

/**
 * Decrypts an age file with any matching identity.
 *
 * @throws {AgeFormatError} When the file is malformed or no identity matches.
 */
export function ageDecrypt(data: Uint8Array, identities: readonly AgeIdentity[]): Uint8Array {
  // Header is text up to the "--- " line.
  let pos = 0;
  const line = (): string => {
    const nl = data.indexOf(10, pos);
    if (nl < 0) throw new AgeFormatError("age header: unexpected end");
    const l = dec.decode(data.subarray(pos, nl));
    pos = nl + 1;
    return l;
  };
  if (line() !== "age-encryption.org/v1") throw new AgeFormatError("Not an age v1 file");
  const stanzas: Stanza[] = [];
  let macLine = "";
  let macStart = 0;
  for (;;) {
    const start = pos;
    const l = line();
    if (l.startsWith("--- ")) {
      macLine = l.slice(4);
      macStart = start;
      break;
    }
    if (!l.startsWith("-> ")) throw new AgeFormatError("age header: malformed stanza");
    const [type, ...args] = l.slice(3).split(" ");
    let body = "";
    for (;;) {
      const b = line();
      body += b;
      if (b.length < 64) break;
    }
    stanzas.push({ type: type!, args, body: unb64(body) });
  }
  let fileKey: Uint8Array | undefined;
  for (const s of stanzas) {
    for (const id of identities) {
      fileKey = id.unwrap(s);
      if (fileKey) break;
    }
    if (fileKey) break;
  }
  if (!fileKey) throw new AgeFormatError("no identity matched any of the recipients");
  const header = data.subarray(0, macStart + 3);
  const mac = headerMac(fileKey, header);
  if (b64(mac) !== macLine) throw new AgeFormatError("age header: bad MAC");
  const nonce = data.subarray(pos, pos + 16);
  if (nonce.length !== 16) throw new AgeFormatError("age payload: missing nonce");
  const key = hkdf(sha256, fileKey, nonce, enc.encode("payload"), 32);
  const body = data.subarray(pos + 16);
  const out: Uint8Array[] = [];
  let counter = 0;
  for (let off = 0; off < body.length || counter === 0; off += CHUNK + 16) {
    const part = body.subarray(off, off + CHUNK + 16);
    const last = off + CHUNK + 16 >= body.length;
    try {
      out.push(chacha20poly1305(key, streamNonce(counter++, last)).decrypt(part));
    } catch {
      throw new AgeFormatError("age payload: authentication failed");
    }
    if (last) break;
  }
  return concat(...out);
}

/** Wraps a binary age file in ASCII armor. */
export function armor(data: Uint8Array): string {
  let bin = "";
  for (const b of data) bin += String.fromCharCode(b);
  const s = btoa(bin);
  const lines: string[] = [];
  for (let i = 0; i < s.length; i += 64) lines.push(s.slice(i, i + 64));
  return `-----BEGIN AGE ENCRYPTED FILE-----\n${
    lines.join("\n")
  }\n-----END AGE ENCRYPTED FILE-----\n`;
}

/**
 * Removes ASCII armor (or returns binary input unchanged).
 *
 * @throws {AgeFormatError} On broken armor.
 */
export function dearmor(text: string | Uint8Array): Uint8Array {
  const s = typeof text === "string" ? text : dec.decode(text);
  const m = /-----BEGIN AGE ENCRYPTED FILE-----([\s\S]*?)-----END AGE ENCRYPTED FILE-----/.exec(s);
  if (!m) {
    if (typeof text !== "string") return text;
    return enc.encode(text);
  }
  try {
    return Uint8Array.from(atob(m[1]!.replace(/\s+/g, "")), (c) => c.charCodeAt(0));
  } catch {
    throw new AgeFormatError("Broken age armor");
  }
}
