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
import {
  Branch,
  fromPlain,
  getPath,
  parseTreePath,
  setPath,
  type TreeValue,
  unsetPath,
} from "./_tree.ts";
import type { MasterKeyRecord } from "./metadata.ts";
import { formatForPath, parseFormat, type SopsFormat, storeFor } from "./stores/mod.ts";
import {
  type CreationRule,
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
  /** The creation rule the keys came from (`undefined` when they were given as options). */
  readonly creationRule?: CreationRule | undefined;
  /** Whether a value selector (`encryptedRegex`, …) was given as an option. */
  readonly selectorGiven?: boolean;
}

/** The `.sops.yaml` spelling of each value selector. */
const SELECTORS = [
  ["encryptedRegex", "encrypted_regex"],
  ["unencryptedRegex", "unencrypted_regex"],
  ["encryptedSuffix", "encrypted_suffix"],
  ["unencryptedSuffix", "unencrypted_suffix"],
  ["encryptedCommentRegex", "encrypted_comment_regex"],
  ["unencryptedCommentRegex", "unencrypted_comment_regex"],
] as const;

/** What picks the values SOPS encrypts, in `.sops.yaml` terms. */
export type ValueSelector =
  | "encrypted_regex"
  | "unencrypted_regex"
  | "encrypted_suffix"
  | "unencrypted_suffix"
  | "encrypted_comment_regex"
  | "unencrypted_comment_regex";

/**
 * The `encrypted_regex` used for a Kubernetes Secret when neither the options
 * nor a matching `.sops.yaml` rule choose the values to encrypt: only `data`
 * and `stringData`, so `apiVersion`, `kind` and `metadata` stay readable (Flux's
 * kustomize-controller cannot decrypt a Secret whose metadata is encrypted).
 */
export const KUBERNETES_SECRET_REGEX = "^(data|stringData)$";

/** Which rule {@linkcode encryptSecret} used, for people and for scripts. */
export interface EncryptionRule {
  /** Where the keys came from: the options, or a `.sops.yaml` creation rule. */
  readonly keys: "options" | "creation-rule";
  /** The creation rule used (`index` counts from 0 in `creation_rules`), when one was. */
  readonly creationRule?: {
    readonly configPath: string;
    readonly index: number;
    readonly pathRegex: string;
  };
  /**
   * Where the choice of encrypted values came from: the options, the creation
   * rule, the Kubernetes Secret default ({@linkcode KUBERNETES_SECRET_REGEX}),
   * or SOPS's default (every value).
   */
  readonly valuesFrom: "options" | "creation-rule" | "kubernetes-secret" | "default";
  /** The value selector in effect; `undefined` when every value is encrypted. */
  readonly selector?: { readonly name: ValueSelector; readonly value: string };
  /** One line for people: `creation rule #2 (path_regex "k8s/.*") in /repo/.sops.yaml; encrypted_regex ^(data|stringData)$`. */
  readonly description: string;
}

/** What {@linkcode encryptSecret} did. */
export interface EncryptResult {
  /** The encrypted file content. */
  readonly content: string;
  /** The file written, when one was. */
  readonly written: string | undefined;
  /** The keys and the value selection it used. */
  readonly rule: EncryptionRule;
}

/** The value selector a set of rules holds (at most one is set). */
function selectorOf(rules: CryptRules): EncryptionRule["selector"] {
  for (const [field, name] of SELECTORS) {
    const value = rules[field];
    if (value) return { name, value };
  }
  return undefined;
}

/** Whether every document is a Kubernetes Secret (`apiVersion: v1`, `kind: Secret`). */
function isKubernetesSecret(branches: readonly TreeValue[]): boolean {
  return branches.length > 0 &&
    branches.every((b) =>
      b instanceof Branch && b.get("kind") === "Secret" && b.get("apiVersion") === "v1"
    );
}

/**
 * The rules for a new file: the resolved ones, or — for a Kubernetes Secret
 * whose rules select no values — only `data`/`stringData`; and how to say so.
 */
function chooseRules(
  keys: ResolvedKeys,
  branches: readonly TreeValue[],
): { rules: CryptRules; rule: EncryptionRule } {
  const rule = keys.creationRule;
  const source = rule && keys.config
    ? { configPath: keys.config.path, index: rule.index, pathRegex: rule.pathRegex }
    : undefined;
  let rules = keys.rules;
  let valuesFrom: EncryptionRule["valuesFrom"];
  if (keys.selectorGiven) valuesFrom = "options";
  else if (rule) valuesFrom = "creation-rule";
  else if (isKubernetesSecret(branches)) {
    valuesFrom = "kubernetes-secret";
    rules = { ...rules, encryptedRegex: KUBERNETES_SECRET_REGEX };
  } else valuesFrom = "default";
  const selector = selectorOf(rules);
  const where = source
    ? `creation rule #${source.index + 1}${
      source.pathRegex ? ` (path_regex ${JSON.stringify(source.pathRegex)})` : ""
    } in ${source.configPath}`
    : "keys from the options";
  const what = selector
    ? `${selector.name} ${selector.value}${
      valuesFrom === "kubernetes-secret" ? " (Kubernetes Secret default)" : ""
    }`
    : "every value encrypted";
  return {
    rules,
    rule: {
      keys: source ? "creation-rule" : "options",
      ...(source ? { creationRule: source } : {}),
      valuesFrom,
      ...(selector ? { selector } : {}),
      description: `${where}; ${what}`,
    },
  };
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
      selectorGiven: ruleCount > 0,
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
    creationRule: rule,
    selectorGiven: ruleCount > 0,
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
 * matching `.sops.yaml` creation rule names. The values encrypted are chosen
 * by the options (`encryptedRegex`, …), else by the matching creation rule;
 * when neither chooses and the file is a Kubernetes Secret, only `data` and
 * `stringData` are encrypted ({@linkcode KUBERNETES_SECRET_REGEX}) so Flux can
 * read its metadata; otherwise every value is, as with `sops`.
 *
 * @param path The plain file.
 * @param options Keys, rules, formats and where to write.
 * @returns The encrypted content, the file written, and which rule was used.
 * @throws {SopsNoMatchingRuleError} When no keys were given and no rule matches.
 * @throws {SopsStateError} When the file is already encrypted.
 * @throws {SopsFormatError} When the file cannot be parsed.
 *
 * @example Encrypt a Kubernetes Secret for an age recipient
 * ```ts
 * import assert from "node:assert/strict";
 * import { encryptSecret, generateAgeKey } from "@bosun/sdk";
 * const key = await generateAgeKey();
 * const secret = "apiVersion: v1\nkind: Secret\nmetadata: { name: db }\nstringData: { password: hunter2 }\n";
 * const result = await encryptSecret("db.yaml", { data: secret, age: [key.recipient] });
 * assert.equal(result.written, undefined);
 * assert.equal(result.rule.valuesFrom, "kubernetes-secret");
 * assert.match(result.content, /name: db/);
 * assert.doesNotMatch(result.content, /hunter2/);
 * ```
 */
export async function encryptSecret(
  path: string,
  options: EncryptOptions = {},
): Promise<EncryptResult> {
  const inFormat = fmt(path, options.format);
  const outFormat = fmt(path, options.outputFormat ?? inFormat);
  const keys = await resolveKeys(path, options);
  const plain = await readInput(path, options.data);
  const branches = storeFor(inFormat, storeOptions(inFormat, keys.config)).loadPlain(plain, path);
  const { rules, rule } = chooseRules(keys, branches);
  const out = await encryptDocument(
    storeFor(outFormat, storeOptions(outFormat, keys.config)),
    branches,
    {
      keyGroups: keys.keyGroups,
      shamirThreshold: keys.shamirThreshold,
      rules,
      services: keyServices(options),
      path,
    },
  );
  const target = options.output ??
    ((options.inPlace ?? options.data === undefined) ? path : undefined);
  if (target) await writeFileAtomic(target, out);
  return { content: dec.decode(out), written: target, rule };
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
