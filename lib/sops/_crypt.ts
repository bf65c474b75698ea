/**
 * Walks a tree to encrypt or decrypt every value and computes the MAC, with
 * the same traversal, additional data and selection rules as sops.
 *
 * @module
 */

import { createHash } from "node:crypto";
import { Branch, Comment, type Leaf, type TreeValue } from "./_tree.ts";
import {
  decryptValue,
  type Encryptable,
  encryptValue,
  GcmAuthError,
  isEncryptedValue,
  valueBytes,
} from "./_cipher.ts";
import { SopsFormatError, SopsValueDecryptError } from "./errors.ts";

/** The selection rules stored in the metadata (at most one is set). */
export interface CryptRules {
  /** Keys with this suffix stay in clear. */
  readonly unencryptedSuffix?: string | undefined;
  /** Only keys with this suffix are encrypted. */
  readonly encryptedSuffix?: string | undefined;
  /** Keys matching this regex stay in clear. */
  readonly unencryptedRegex?: string | undefined;
  /** Only keys matching this regex are encrypted. */
  readonly encryptedRegex?: string | undefined;
  /** Values after a comment matching this regex stay in clear. */
  readonly unencryptedCommentRegex?: string | undefined;
  /** Only values after a comment matching this regex are encrypted. */
  readonly encryptedCommentRegex?: string | undefined;
  /** The MAC covers only the encrypted values. */
  readonly macOnlyEncrypted?: boolean | undefined;
}

/** The 32 bytes sops feeds the hash first when `mac_only_encrypted` is set. */
const MAC_ONLY_ENCRYPTED_INIT = new Uint8Array([
  0x8a,
  0x3f,
  0xd2,
  0xad,
  0x54,
  0xce,
  0x66,
  0x52,
  0x7b,
  0x10,
  0x34,
  0xf3,
  0xd1,
  0x47,
  0xbe,
  0x0b,
  0x0b,
  0x97,
  0x5b,
  0x3b,
  0xf4,
  0x4f,
  0x72,
  0xc6,
  0xfd,
  0xad,
  0xec,
  0x81,
  0x76,
  0xf2,
  0x7d,
  0x69,
]);

/**
 * Compiles a Go (RE2) regular expression as a JavaScript one, translating a
 * leading inline flag group such as `(?i)`.
 *
 * @throws {SopsFormatError} When the expression is invalid.
 */
export function goRegExp(source: string): RegExp {
  let flags = "";
  let body = source;
  const m = /^\(\?([imsU]+)\)/.exec(body);
  if (m) {
    body = body.slice(m[0].length);
    for (const f of m[1]!) if (f !== "U" && !flags.includes(f)) flags += f;
  }
  body = body.replace(/\\z/g, "$").replace(/\\A/g, "^").replace(/\(\?P</g, "(?<");
  try {
    return new RegExp(body, flags);
  } catch (cause) {
    throw new SopsFormatError(`Invalid regular expression ${JSON.stringify(source)}`, { cause });
  }
}

type OnLeaf = (v: Encryptable, path: readonly string[], comments: string[][]) => Encryptable;

function walkValue(
  v: TreeValue,
  path: readonly string[],
  stack: string[][],
  onLeaf: OnLeaf,
): TreeValue {
  if (v instanceof Branch) return walkBranch(v, path, stack, onLeaf);
  if (Array.isArray(v)) return walkSlice(v, path, stack, onLeaf);
  if (v === null) return null;
  return onLeaf(v, path, stack);
}

function walkSlice(
  list: TreeValue[],
  path: readonly string[],
  stack: string[][],
  onLeaf: OnLeaf,
): TreeValue[] {
  stack = [...stack, []];
  for (let i = 0; i < list.length; i++) {
    const v = list[i]!;
    const isComment = v instanceof Comment;
    if (isComment) stack[stack.length - 1]!.push(v.value);
    list[i] = walkValue(v, path, stack, onLeaf);
    if (!isComment) stack[stack.length - 1] = [];
  }
  return list;
}

function walkBranch(
  branch: Branch,
  path: readonly string[],
  stack: string[][],
  onLeaf: OnLeaf,
): Branch {
  stack = [...stack, []];
  for (const item of branch.items) {
    if (item.key instanceof Comment) {
      const c = item.key;
      stack[stack.length - 1]!.push(c.value);
      const out = onLeaf(c, path, stack);
      item.key = out instanceof Comment
        ? new Comment(out.value, c.inline)
        : new Comment(String(out), c.inline);
      continue;
    }
    const valueIsComment = item.value instanceof Comment;
    if (valueIsComment) stack[stack.length - 1]!.push((item.value as Comment).value);
    item.value = walkValue(item.value, [...path, item.key], stack, onLeaf);
    if (!valueIsComment) stack[stack.length - 1] = [];
  }
  return branch;
}

/** Decides, like sops's `shouldBeEncrypted`, whether a value is encrypted. */
export class Selector {
  readonly #rules: CryptRules;
  readonly #re: Record<string, RegExp | undefined>;
  /** Compiles the rules. */
  constructor(rules: CryptRules) {
    this.#rules = rules;
    this.#re = {
      ur: rules.unencryptedRegex ? goRegExp(rules.unencryptedRegex) : undefined,
      er: rules.encryptedRegex ? goRegExp(rules.encryptedRegex) : undefined,
      ucr: rules.unencryptedCommentRegex ? goRegExp(rules.unencryptedCommentRegex) : undefined,
      ecr: rules.encryptedCommentRegex ? goRegExp(rules.encryptedCommentRegex) : undefined,
    };
  }

  /** Whether the value at `path` (with the comments seen so far) is encrypted. */
  encrypted(path: readonly string[], stack: string[][], isComment: boolean): boolean {
    const r = this.#rules;
    let encrypted = true;
    if (r.unencryptedSuffix) {
      if (path.some((p) => p.endsWith(r.unencryptedSuffix!))) encrypted = false;
    }
    if (r.encryptedSuffix) {
      encrypted = path.some((p) => p.endsWith(r.encryptedSuffix!));
    }
    const { ur, er, ucr, ecr } = this.#re;
    if (ur && path.some((p) => ur.test(p))) encrypted = false;
    if (er) encrypted = path.some((p) => er.test(p));
    if (ucr && stack.some((cs) => cs.some((c) => ucr.test(c)))) encrypted = false;
    if (ecr) {
      encrypted = false;
      const last = stack.length - 1;
      const lastLen = stack[last]?.length ?? 0;
      outer: for (let i = 0; i < stack.length; i++) {
        const cs = stack[i]!;
        for (let j = 0; j < cs.length; j++) {
          if (isComment && i === last && j === lastLen - 1) continue;
          if (ecr.test(cs[j]!)) {
            encrypted = true;
            break outer;
          }
        }
      }
    }
    return encrypted;
  }

  /** The compiled `unencrypted_comment_regex`, if any. */
  get unencryptedCommentRegex(): RegExp | undefined {
    return this.#re.ucr;
  }
}

/** Remembers the nonce of each decrypted value so unchanged values re-encrypt identically. */
export class IvStash {
  readonly #map = new Map<string, Uint8Array>();
  static #key(v: Encryptable, aad: string): string {
    const { bytes, type } = valueBytes(v);
    return `${aad}\u0000${type}\u0000${new TextDecoder().decode(bytes)}`;
  }
  /** Records the nonce used for `v` at `aad`. */
  put(v: Encryptable, aad: string, iv: Uint8Array): void {
    this.#map.set(IvStash.#key(v, aad), iv);
  }
  /** The nonce recorded for `v` at `aad`, if any. */
  get(v: Encryptable, aad: string): Uint8Array | undefined {
    return this.#map.get(IvStash.#key(v, aad));
  }
}

function ivOf(s: string): Uint8Array | undefined {
  const m = /,iv:([^,]+),/.exec(s);
  return m ? Uint8Array.from(atob(m[1]!), (c) => c.charCodeAt(0)) : undefined;
}

/**
 * Encrypts every selected value of `branches` in place and returns the MAC
 * (upper-case hex SHA-512 of the plaintext values).
 */
export function encryptTree(
  branches: Branch[],
  key: Uint8Array,
  rules: CryptRules,
  stash?: IvStash,
): string {
  const sel = new Selector(rules);
  const hash = createHash("sha512");
  if (rules.macOnlyEncrypted) hash.update(MAC_ONLY_ENCRYPTED_INIT);
  const onLeaf: OnLeaf = (v, path, stack) => {
    const isComment = v instanceof Comment;
    const encrypted = sel.encrypted(path, stack, isComment);
    if ((!rules.macOnlyEncrypted || encrypted) && !isComment) hash.update(valueBytes(v).bytes);
    if (!encrypted) return v;
    const aad = path.join(":") + ":";
    const out = encryptValue(v, key, aad, stash?.get(v, aad));
    if (isComment && sel.unencryptedCommentRegex?.test(out)) {
      throw new SopsFormatError(
        "An encrypted comment matches unencrypted_comment_regex; make the regex unable to match ENC[…]",
      );
    }
    return isComment ? new Comment(out, v.inline) : out;
  };
  for (const b of branches) walkBranch(b, [], [], onLeaf);
  return hash.digest("hex").toUpperCase();
}

/** Options of {@linkcode decryptTree}. */
export interface DecryptTreeOptions {
  /** Collects nonces for re-encryption with unchanged ciphertext. */
  readonly stash?: IvStash;
  /** File path used in error messages. */
  readonly path?: string | undefined;
}

/**
 * Decrypts every selected value of `branches` in place and returns the MAC
 * computed over the plaintext.
 *
 * @throws {SopsValueDecryptError} When a value fails authentication.
 */
export function decryptTree(
  branches: Branch[],
  key: Uint8Array,
  rules: CryptRules,
  options: DecryptTreeOptions = {},
): string {
  const sel = new Selector(rules);
  const hash = createHash("sha512");
  if (rules.macOnlyEncrypted) hash.update(MAC_ONLY_ENCRYPTED_INIT);
  const onLeaf: OnLeaf = (v, path, stack) => {
    const isComment = v instanceof Comment;
    const encrypted = sel.encrypted(path, stack, isComment);
    let out: Encryptable = v;
    if (encrypted) {
      const aad = path.join(":") + ":";
      if (isComment) {
        // sops keeps comments it cannot decrypt (older files had clear comments).
        if (isEncryptedValue(v.value)) {
          // sops's YAML parser sometimes files a trailing comment under an
          // enclosing mapping: try the enclosing paths too.
          for (let n = path.length; n >= 0; n--) {
            const candidate = n === path.length ? aad : path.slice(0, n).join(":") + ":";
            try {
              const d = decryptValue(v.value, key, candidate);
              out = new Comment(d instanceof Comment ? d.value : String(d), v.inline);
              break;
            } catch {
              out = v;
            }
          }
        }
      } else if (typeof v === "string") {
        try {
          out = decryptValue(v, key, aad) as Leaf;
        } catch (cause) {
          if (cause instanceof GcmAuthError) {
            throw new SopsValueDecryptError(aad, { cause, path: options.path });
          }
          throw cause;
        }
        const iv = ivOf(v);
        if (iv) options.stash?.put(out, aad, iv);
      } else {
        throw new SopsFormatError(
          `Expected an encrypted string at "${aad}", found a ${typeof v} value`,
          { path: options.path },
        );
      }
    }
    if ((!rules.macOnlyEncrypted || encrypted) && !(out instanceof Comment)) {
      hash.update(valueBytes(out).bytes);
    }
    return out;
  };
  for (const b of branches) walkBranch(b, [], [], onLeaf);
  return hash.digest("hex").toUpperCase();
}
