/**
 * AES-256-GCM value encryption in sops's `ENC[AES256_GCM,…]` form: a 32-byte
 * nonce, the key path as additional data and a type tag.
 *
 * @module
 */

import { createCipheriv, createDecipheriv } from "node:crypto";
import { Buffer } from "node:buffer";
import { Comment, Float, Int, type Leaf, Time } from "./_tree.ts";
import { formatFloatF } from "./_gofmt.ts";
import { SopsFormatError } from "./errors.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();
const ENC_RE = /^ENC\[AES256_GCM,data:(.+),iv:(.+),tag:(.+),type:(.+)\]/;

/** A value that can be encrypted: a leaf or a comment. */
export type Encryptable = Leaf | Comment;

/** Whether a string looks like a sops-encrypted value. */
export function isEncryptedValue(s: string): boolean {
  return ENC_RE.test(s);
}

/** The bytes sops hashes and encrypts for a value (`ToBytes`), and its type tag. */
export function valueBytes(v: Encryptable): { bytes: Uint8Array; type: string } {
  if (typeof v === "string") return { bytes: enc.encode(v), type: "str" };
  if (typeof v === "boolean") return { bytes: enc.encode(v ? "True" : "False"), type: "bool" };
  if (v instanceof Int) return { bytes: enc.encode(v.text), type: "int" };
  if (v instanceof Float) return { bytes: enc.encode(formatFloatF(v.value)), type: "float" };
  if (v instanceof Time) return { bytes: enc.encode(v.text), type: "time" };
  if (v instanceof Comment) return { bytes: enc.encode(v.value), type: "comment" };
  if (v instanceof Uint8Array) return { bytes: v, type: "bytes" };
  return { bytes: new Uint8Array(0), type: "str" };
}

function isEmpty(v: Encryptable): boolean {
  return v === "" || (v instanceof Uint8Array && v.length === 0) ||
    (v instanceof Comment && v.value === "");
}

/** Encrypts one value. Empty strings stay empty, as in sops. */
export function encryptValue(
  v: Encryptable,
  key: Uint8Array,
  aad: string,
  iv?: Uint8Array,
): string {
  if (isEmpty(v)) return "";
  const { bytes, type } = valueBytes(v);
  const nonce = iv ?? crypto.getRandomValues(new Uint8Array(32));
  const c = createCipheriv("aes-256-gcm", key, nonce);
  c.setAAD(enc.encode(aad));
  const data = Buffer.concat([c.update(bytes), c.final()]);
  const tag = c.getAuthTag();
  return `ENC[AES256_GCM,data:${data.toString("base64")},iv:${
    Buffer.from(nonce).toString("base64")
  },tag:${tag.toString("base64")},type:${type}]`;
}

/** The parts of an `ENC[…]` string. */
export interface ParsedValue {
  /** Ciphertext without the tag. */
  readonly data: Uint8Array;
  /** The nonce. */
  readonly iv: Uint8Array;
  /** The GCM tag. */
  readonly tag: Uint8Array;
  /** The type tag. */
  readonly type: string;
}

/**
 * Parses an `ENC[…]` string.
 *
 * @throws {SopsFormatError} When the text is not in sops's format.
 */
export function parseEncrypted(s: string): ParsedValue {
  const m = ENC_RE.exec(s);
  if (!m) throw new SopsFormatError("Input string does not match sops' data format");
  return {
    data: Buffer.from(m[1]!, "base64"),
    iv: Buffer.from(m[2]!, "base64"),
    tag: Buffer.from(m[3]!, "base64"),
    type: m[4]!,
  };
}

/** Thrown inside when GCM authentication fails; callers wrap it with context. */
export class GcmAuthError extends Error {
  /** Builds the error. */
  constructor() {
    super("AES-GCM authentication failed");
    this.name = "GcmAuthError";
  }
}

/**
 * Decrypts an `ENC[…]` value to its typed plaintext.
 *
 * @throws {SopsFormatError} On a malformed value or an unknown type tag.
 * @throws {GcmAuthError} When authentication fails.
 */
export function decryptValue(s: string, key: Uint8Array, aad: string): Encryptable {
  if (s === "") return "";
  const p = parseEncrypted(s);
  let plain: Uint8Array;
  try {
    const d = createDecipheriv("aes-256-gcm", key, p.iv);
    d.setAAD(enc.encode(aad));
    d.setAuthTag(p.tag);
    plain = Buffer.concat([d.update(p.data), d.final()]);
  } catch {
    throw new GcmAuthError();
  }
  const text = dec.decode(plain);
  switch (p.type) {
    case "str":
      return text;
    case "int":
      if (!/^[-+]?\d+$/.test(text)) {
        throw new SopsFormatError(`Invalid int value in ENC[]: ${text}`);
      }
      return new Int(text.replace(/^\+/, ""));
    case "float": {
      const f = Number(text);
      if (Number.isNaN(f) && text !== "NaN") {
        throw new SopsFormatError("Invalid float value in ENC[]");
      }
      return new Float(f);
    }
    case "bytes":
      return new Uint8Array(plain);
    case "bool":
      return parseGoBool(text);
    case "time":
      return new Time(text);
    case "comment":
      return new Comment(text);
    default:
      throw new SopsFormatError(`Unknown datatype in ENC[]: ${p.type}`);
  }
}

function parseGoBool(s: string): boolean {
  if (["1", "t", "T", "TRUE", "true", "True"].includes(s)) return true;
  if (["0", "f", "F", "FALSE", "false", "False"].includes(s)) return false;
  throw new SopsFormatError("Invalid bool value in ENC[]");
}
