/**
 * File-level SOPS operations: encrypt, decrypt, rotate, set and unset.
 *
 * @module
 */

import { writeFileAtomic } from "../fs/mod.ts";
import type { CryptRules } from "./_crypt.ts";
import {
  encryptDocument,
  keyServices,
  openDocument,
  seal,
  type SopsKeySourceOptions,
} from "./_core.ts";
import { fromPlain, getPath, parseTreePath, setPath, type TreeValue, unsetPath } from "./_tree.ts";
import type { MasterKeyRecord } from "./metadata.ts";
import { formatForPath, parseFormat, type SopsFormat, storeFor } from "./stores/mod.ts";
import {
  findSopsConfig,
  keysFromSpec,
  type KeySpec,
  loadSopsConfig,
  matchCreationRule,
  type SopsConfig,
} from "./config.ts";
import { SopsError, SopsNoMatchingRuleError } from "./errors.ts";
import { wrapDataKey } from "./_datakey.ts";

/** Input and output selection shared by the operations. */
export interface SopsIoOptions {
  /** Input format. @default from the file extension (binary otherwise) */
  readonly format?: SopsFormat | string;
  /** Output format (decrypt/encrypt). @default the input format */
  readonly outputFormat?: SopsFormat | string;
  /** Content to use instead of reading the file (the path still picks rules and format). */
  readonly data?: string | Uint8Array;
  /** Path of the `.sops.yaml` to use. @default found by walking up from the file */
  readonly configPath?: string;
}

/** Options of {@linkcode encryptSecret}. */
export interface EncryptOptions extends SopsIoOptions, SopsKeySourceOptions, KeySpec, CryptRules {
  /** Several key groups (Shamir); replaces the single-group key fields. */
  readonly keyGroups?: readonly KeySpec[];
  /** Groups needed to decrypt. @default all groups */
  readonly shamirThreshold?: number;
  /** Write the result here instead of in place. */
  readonly output?: string;
  /** Write the encrypted file over the input. @default true unless `output` or `data` is given */
  readonly inPlace?: boolean;
}

const enc = new TextEncoder();
const dec = new TextDecoder();

async function readInput(path: string, data: string | Uint8Array | undefined): Promise<Uint8Array> {
  if (data !== undefined) return typeof data === "string" ? enc.encode(data) : data;
  try {
    return await Deno.readFile(path);
  } catch (cause) {
    if (cause instanceof Deno.errors.NotFound) {
      throw new SopsError(`Cannot read ${path}: the file does not exist`, { path, cause });
    }
    throw cause;
  }
}

function fmt(path: string, f: SopsFormat | string | undefined): SopsFormat {
  return f === undefined ? formatForPath(path) : parseFormat(f);
}

async function configFor(
  path: string,
  configPath: string | undefined,
): Promise<SopsConfig | undefined> {
  const found = configPath ?? await findSopsConfig(path);
  return found ? await loadSopsConfig(found) : undefined;
}

function hasExplicitKeys(o: KeySpec & { keyGroups?: readonly KeySpec[] }): boolean {
  return Boolean(
    o.keyGroups?.length || o.age?.length || o.pgp?.length || o.kms?.length || o.gcpKms?.length ||
      o.azureKv?.length || o.hcVault?.length,
  );
}

/** The keys and rules chosen for a new file. */
export interface ResolvedKeys {
  /** Key groups (records without `enc`). */
  readonly keyGroups: MasterKeyRecord[][];
  /** Shamir threshold. */
  readonly shamirThreshold: number | undefined;
  /** Encryption rules. */
  readonly rules: CryptRules;
  /** The `.sops.yaml` used, if any. */
  readonly config: SopsConfig | undefined;
}

/**
 * Chooses the keys for a file: explicit keys first, then the first matching
 * creation rule.
 *
 * @throws {SopsNoMatchingRuleError} Listing every rule tried and why it did not match.
 */
export async function resolveKeys(
  path: string,
  options: KeySpec & CryptRules & {
    readonly keyGroups?: readonly KeySpec[];
    readonly shamirThreshold?: number;
    readonly configPath?: string;
  },
): Promise<ResolvedKeys> {
  const config = await configFor(path, options.configPath);
  const explicitRules: CryptRules = {
    unencryptedSuffix: options.unencryptedSuffix,
    encryptedSuffix: options.encryptedSuffix,
    unencryptedRegex: options.unencryptedRegex,
    encryptedRegex: options.encryptedRegex,
    unencryptedCommentRegex: options.unencryptedCommentRegex,
    encryptedCommentRegex: options.encryptedCommentRegex,
    macOnlyEncrypted: options.macOnlyEncrypted,
  };
  const ruleCount = Object.entries(explicitRules).filter(([k, v]) => k !== "macOnlyEncrypted" && v)
    .length;
  if (ruleCount > 1) {
    throw new TypeError(
      "Cannot use more than one of encryptedSuffix, unencryptedSuffix, encryptedRegex, unencryptedRegex, encryptedCommentRegex, unencryptedCommentRegex",
    );
  }
  if (hasExplicitKeys(options)) {
    const groups = options.keyGroups?.length
      ? options.keyGroups.map(keysFromSpec)
      : [keysFromSpec(options)];
    return {
      keyGroups: groups,
      shamirThreshold: options.shamirThreshold,
      rules: explicitRules,
      config,
    };
  }
  if (!config) {
    throw new SopsNoMatchingRuleError({
      path,
      configPath: undefined,
      misses: [],
      detail: "no keys were given and no .sops.yaml was found in this directory or any parent",
    });
  }
  const m = matchCreationRule(config, path);
  if (!m.rule) {
    throw new SopsNoMatchingRuleError({
      path,
      configPath: config.path,
      misses: m.misses,
      detail: config.creationRules.length
        ? `no creation rule in ${config.path} matches "${m.relativePath}"`
        : `${config.path} has no creation_rules`,
    });
  }
  const rule = m.rule;
  if (rule.keyGroups.every((g) => g.length === 0)) {
    throw new SopsNoMatchingRuleError({
      path,
      configPath: config.path,
      misses: [],
      detail: `creation rule #${rule.index + 1} in ${config.path} matches but names no keys`,
    });
  }
  return {
    keyGroups: rule.keyGroups,
    shamirThreshold: options.shamirThreshold ?? rule.shamirThreshold,
    rules: ruleCount || explicitRules.macOnlyEncrypted ? explicitRules : rule,
    config,
  };
}

function storeOptions(format: SopsFormat, config: SopsConfig | undefined) {
  const indent = format === "yaml"
    ? config?.indent.yaml
    : format === "json"
    ? config?.indent.json
    : undefined;
  return indent === undefined ? {} : { indent };
}

/**
 * Encrypts a file with age, PGP or cloud KMS keys, or with the keys the
 * matching `.sops.yaml` creation rule names.
 *
 * @param path The plain file.
 * @param options Keys, rules, formats and where to write.
 * @returns The encrypted file content.
 * @throws {SopsNoMatchingRuleError} When no keys were given and no rule matches.
 * @throws {SopsStateError} When the file is already encrypted.
 * @throws {SopsFormatError} When the file cannot be parsed.
 *
 * @example Encrypt a Kubernetes secret for an age recipient
 * ```ts ignore
 * import { encryptSecret } from "@bosun/sdk";
 * await encryptSecret("k8s/secrets/db.yaml", { age: ["age1..."] });
 * ```
 */
export async function encryptSecret(path: string, options: EncryptOptions = {}): Promise<string> {
  const inFormat = fmt(path, options.format);
  const outFormat = fmt(path, options.outputFormat ?? inFormat);
  const keys = await resolveKeys(path, options);
  const plain = await readInput(path, options.data);
  const branches = storeFor(inFormat, storeOptions(inFormat, keys.config)).loadPlain(plain, path);
  const out = await encryptDocument(
    storeFor(outFormat, storeOptions(outFormat, keys.config)),
    branches,
    {
      keyGroups: keys.keyGroups,
      shamirThreshold: keys.shamirThreshold,
      rules: keys.rules,
      services: keyServices(options),
      path,
    },
  );
  const target = options.output ??
    ((options.inPlace ?? options.data === undefined) ? path : undefined);
  if (target) await writeFileAtomic(target, out);
  return dec.decode(out);
}

/** Options of {@linkcode decryptSecret}. */
export interface DecryptOptions extends SopsIoOptions, SopsKeySourceOptions {
  /** Only this value: `["a"]["b"][0]` or a list of keys and indices. */
  readonly extract?: string | readonly (string | number)[];
  /** Decrypt even when the MAC is missing or wrong. @default false */
  readonly ignoreMac?: boolean;
  /** Also write the plaintext to this file (mode 0600). Nothing is written otherwise. */
  readonly output?: string;
}

/**
 * Decrypts a file (or one value of it) and returns the plaintext. Nothing is
 * written unless `output` is given.
 *
 * @param path The encrypted file.
 * @param options Key sources, `extract`, `ignoreMac`.
 * @returns The plaintext, in the output format.
 * @throws {SopsDecryptKeyError} Naming the file's recipients and the identities tried.
 * @throws {SopsMacMismatchError} When the file was tampered with.
 *
 * @example Decrypt with an age identity
 * ```ts ignore
 * import { decryptSecret } from "@bosun/sdk";
 * const text = await decryptSecret("secrets.enc.yaml", { ageIdentities: [Deno.env.get("AGE_KEY")!] });
 * ```
 */
export async function decryptSecret(path: string, options: DecryptOptions = {}): Promise<string> {
  const bytes = await decryptSecretBytes(path, options);
  return dec.decode(bytes);
}

/** Like {@linkcode decryptSecret} but returns bytes (binary files). */
export async function decryptSecretBytes(
  path: string,
  options: DecryptOptions = {},
): Promise<Uint8Array> {
  const inFormat = fmt(path, options.format);
  const outFormat = fmt(path, options.outputFormat ?? inFormat);
  const data = await readInput(path, options.data);
  const doc = await openDocument(storeFor(inFormat), data, {
    services: keyServices(options),
    path,
    ignoreMac: options.ignoreMac,
  });
  const config = await configFor(path, options.configPath).catch(() => undefined);
  const store = storeFor(outFormat, storeOptions(outFormat, config));
  let out: Uint8Array;
  if (options.extract !== undefined) {
    const p = typeof options.extract === "string"
      ? parseTreePath(options.extract)
      : options.extract;
    const v = getPath(doc.branches[0]!, p);
    if (v === undefined) {
      throw new SopsError(`Cannot extract ${JSON.stringify(p)} from ${path}: no such key`, {
        path,
      });
    }
    out = store.emitValue(v);
  } else out = store.emitPlain(doc.branches);
  if (options.output) await writeFileAtomic(options.output, out, { mode: 0o600 });
  return out;
}

/** Options of the in-place operations. */
export interface UpdateOptions extends SopsIoOptions, SopsKeySourceOptions {
  /** Write here instead of over the input. */
  readonly output?: string;
}

/**
 * Sets one value (JSON-like input) and re-encrypts it; every other value keeps
 * its ciphertext.
 *
 * @param path The encrypted file.
 * @param treePath `["a"]["b"]` or a list of keys and indices.
 * @param value The new value (string, number, boolean, object, array).
 * @param options Key sources.
 * @throws {SopsDecryptKeyError} When the file cannot be decrypted.
 *
 * @example
 * ```ts ignore
 * import { setSecretValue } from "@bosun/sdk";
 * await setSecretValue("db.enc.yaml", '["db"]["password"]', "s3cret");
 * ```
 */
export async function setSecretValue(
  path: string,
  treePath: string | readonly (string | number)[],
  value: unknown,
  options: UpdateOptions = {},
): Promise<void> {
  const p = typeof treePath === "string" ? parseTreePath(treePath) : treePath;
  if (p.length === 0) throw new TypeError("Cannot set the whole document: give a key path");
  await modify(path, options, (branches) => {
    const root = setPath(branches[0]!, p, fromPlain(value) as TreeValue);
    return [root as typeof branches[0], ...branches.slice(1)];
  });
}

/**
 * Removes one value and re-encrypts; every other value keeps its ciphertext.
 *
 * @param path The encrypted file.
 * @param treePath `["a"]["b"]` or a list of keys and indices.
 * @param options Key sources.
 * @throws {SopsError} When the key does not exist.
 *
 * @example
 * ```ts ignore
 * import { unsetSecretValue } from "@bosun/sdk";
 * await unsetSecretValue("db.enc.yaml", '["db"]["password"]');
 * ```
 */
export async function unsetSecretValue(
  path: string,
  treePath: string | readonly (string | number)[],
  options: UpdateOptions = {},
): Promise<void> {
  const p = typeof treePath === "string" ? parseTreePath(treePath) : treePath;
  await modify(path, options, (branches) => {
    if (!unsetPath(branches[0]!, p)) {
      throw new SopsError(`Cannot unset ${JSON.stringify(p)} in ${path}: no such key`, { path });
    }
    return branches;
  });
}

async function modify(
  path: string,
  options: UpdateOptions,
  change: (b: import("./_tree.ts").Branch[]) => import("./_tree.ts").Branch[],
): Promise<void> {
  const format = fmt(path, options.format);
  const config = await configFor(path, options.configPath).catch(() => undefined);
  const store = storeFor(format, storeOptions(format, config));
  const doc = await openDocument(store, await readInput(path, options.data), {
    services: keyServices(options),
    path,
  });
  const branches = change(doc.branches);
  const out = seal(store, branches, doc.metadata, doc.dataKey, doc.stash);
  await writeFileAtomic(options.output ?? path, out);
}

/** Options of {@linkcode rotateSecret}. */
export interface RotateOptions extends UpdateOptions {
  /** Master keys to add. */
  readonly add?: KeySpec;
  /** Master keys to remove (matched by recipient, fingerprint, ARN…). */
  readonly remove?: KeySpec;
}

/**
 * Generates a new data key, re-encrypts every value and re-wraps the key for
 * every master key (optionally adding or removing some).
 *
 * @param path The encrypted file.
 * @param options Key changes and key sources.
 * @returns The new file content.
 * @throws {SopsDecryptKeyError} When the file cannot be decrypted.
 *
 * @example
 * ```ts ignore
 * import { rotateSecret } from "@bosun/sdk";
 * await rotateSecret("db.enc.yaml", { add: { age: ["age1..."] } });
 * ```
 */
export async function rotateSecret(path: string, options: RotateOptions = {}): Promise<string> {
  const format = fmt(path, options.format);
  const config = await configFor(path, options.configPath).catch(() => undefined);
  const store = storeFor(format, storeOptions(format, config));
  const services = keyServices(options);
  const doc = await openDocument(store, await readInput(path, options.data), { services, path });
  const md = doc.metadata;
  if (options.add) {
    md.keyGroups[0] ??= [];
    for (const k of keysFromSpec(options.add)) md.keyGroups[0].push(k);
  }
  if (options.remove) {
    const gone = new Set(keysFromSpec(options.remove).map(keyId));
    md.keyGroups = md.keyGroups.map((g) => g.filter((k) => !gone.has(keyId(k))));
  }
  const dataKey = crypto.getRandomValues(new Uint8Array(32));
  await wrapDataKey(md, dataKey, services);
  const out = seal(store, doc.branches, md, dataKey);
  await writeFileAtomic(options.output ?? path, out);
  return dec.decode(out);
}

/** A stable identity of a master key, independent of its `enc`. */
export function keyId(k: MasterKeyRecord): string {
  switch (k.type) {
    case "age":
      return `age:${k.recipient}`;
    case "pgp":
      return `pgp:${k.fp.toUpperCase()}`;
    case "kms":
      return `kms:${k.arn}|${k.role ?? ""}|${JSON.stringify(k.context ?? {})}`;
    case "gcp_kms":
      return `gcp_kms:${k.resourceId}`;
    case "azure_kv":
      return `azure_kv:${k.vaultUrl}|${k.name}|${k.version}`;
    case "hc_vault":
      return `hc_vault:${k.vaultAddress}|${k.enginePath}|${k.keyName}`;
    case "hckms":
      return `hckms:${k.keyId}`;
  }
}
