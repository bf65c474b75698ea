/**
 * age key management: generate identities and import them into the keys
 * file sops reads, without duplicates and with mode 0600.
 *
 * @module
 */

import { writeFileAtomic } from "../fs/mod.ts";
import { generateIdentity, recipientOfIdentity } from "./keys/_age.ts";
import { defaultAgeKeysFile } from "./keys/age.ts";
import { SopsError } from "./errors.ts";

/** A generated age key. */
export interface AgeKeyPair {
  /** `AGE-SECRET-KEY-1…` (secret). */
  readonly identity: string;
  /** `age1…`. */
  readonly recipient: string;
  /** RFC 3339 creation time. */
  readonly createdAt: string;
  /** The keys-file text (`# created`, `# public key`, identity). */
  readonly fileText: string;
}

/** Options of {@linkcode generateAgeKey}. */
export interface GenerateAgeKeyOptions {
  /** Also import the key into this keys file (`true`: the default sops keys file). */
  readonly keysFile?: string | boolean;
  /** A post-quantum hybrid key (`AGE-SECRET-KEY-PQ-1…` / `age1pq1…`, ML-KEM-768 + X25519). */
  readonly pq?: boolean;
}

/**
 * Generates a new age identity: X25519, or post-quantum hybrid with `pq`
 * (the same formats as `age-keygen` and `age-keygen -pq`).
 *
 * @param options Whether to import it into a keys file.
 * @returns The identity, its recipient and the keys-file text.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { generateAgeKey } from "@bosun/sdk";
 * const key = await generateAgeKey();
 * assert.ok(key.recipient.startsWith("age1"));
 * assert.ok(key.identity.startsWith("AGE-SECRET-KEY-1"));
 * ```
 */
export async function generateAgeKey(options: GenerateAgeKeyOptions = {}): Promise<AgeKeyPair> {
  const { identity, recipient } = await generateIdentity(options.pq ?? false);
  const createdAt = new Date().toISOString().replace(/\.\d+Z$/, "Z");
  const fileText = `# created: ${createdAt}\n# public key: ${recipient}\n${identity}\n`;
  if (options.keysFile) {
    await importAgeKey(
      fileText,
      typeof options.keysFile === "string" ? { keysFile: options.keysFile } : {},
    );
  }
  return { identity, recipient, createdAt, fileText };
}

/** Options of {@linkcode importAgeKey}. */
export interface ImportAgeKeyOptions {
  /** The keys file. @default $SOPS_AGE_KEY_FILE, else the per-OS default sops keys file */
  readonly keysFile?: string;
}

/** What {@linkcode importAgeKey} did. */
export interface ImportAgeKeyResult {
  /** The keys file written. */
  readonly keysFile: string;
  /** Recipients added. */
  readonly added: readonly string[];
  /** Recipients already present (not added again). */
  readonly alreadyPresent: readonly string[];
}

/**
 * Imports age identities (one or more `AGE-SECRET-KEY-1…` lines, comments
 * allowed) into a keys file, skipping any already present. The file is
 * written atomically with mode 0600 and its directory is created 0700.
 *
 * @param text Identity text (for example an `age-keygen` output).
 * @param options The keys file.
 * @returns What was added.
 * @throws {SopsError} When the text holds no identity.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { generateAgeKey, importAgeKey } from "@bosun/sdk";
 * const dir = await Deno.makeTempDir();
 * const key = await generateAgeKey();
 * await importAgeKey(key.fileText, { keysFile: `${dir}/keys.txt` });
 * const again = await importAgeKey(key.identity, { keysFile: `${dir}/keys.txt` });
 * assert.equal(again.added.length, 0);
 * assert.equal(again.alreadyPresent.length, 1);
 * ```
 */
export async function importAgeKey(
  text: string,
  options: ImportAgeKeyOptions = {},
): Promise<ImportAgeKeyResult> {
  const keysFile = options.keysFile ?? Deno.env.get("SOPS_AGE_KEY_FILE") ?? defaultAgeKeysFile();
  const isId = (l: string) =>
    l.startsWith("AGE-SECRET-KEY-1") || l.startsWith("AGE-SECRET-KEY-PQ-1");
  const ids = text.split(/\r?\n/).map((l) => l.trim()).filter(isId);
  if (!ids.length) {
    throw new SopsError("Cannot import: the input holds no AGE-SECRET-KEY-1 identity");
  }
  let existing = "";
  try {
    existing = await Deno.readTextFile(keysFile);
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  const present = new Set(
    existing.split(/\r?\n/).map((l) => l.trim()).filter(isId)
      .map((l) => l.toUpperCase()),
  );
  const added: string[] = [];
  const alreadyPresent: string[] = [];
  let append = "";
  for (const id of ids) {
    const recipient = await recipientOfIdentity(id);
    if (present.has(id.toUpperCase())) {
      alreadyPresent.push(recipient);
      continue;
    }
    present.add(id.toUpperCase());
    added.push(recipient);
    append += `# imported: ${
      new Date().toISOString().replace(/\.\d+Z$/, "Z")
    }\n# public key: ${recipient}\n${id}\n`;
  }
  if (added.length) {
    const dir = keysFile.slice(0, Math.max(keysFile.lastIndexOf("/"), 0));
    if (dir) await Deno.mkdir(dir, { recursive: true, mode: 0o700 });
    const sep = existing && !existing.endsWith("\n") ? "\n" : "";
    await writeFileAtomic(keysFile, existing + sep + append, { mode: 0o600 });
  }
  return { keysFile, added, alreadyPresent };
}
