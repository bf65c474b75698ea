/**
 * The `sops` metadata block: key groups, the MAC, `lastmodified`, the
 * encryption rules — read from and written to a tree the way sops lays it out.
 *
 * @module
 */

import { Branch, Comment, Int, type TreeItem, type TreeValue } from "./_tree.ts";
import type { CryptRules } from "./_crypt.ts";
import { SopsFormatError } from "./errors.ts";

/** An age recipient stanza. */
export interface AgeKeyRecord {
  /** Key type. */
  readonly type: "age";
  /** `age1…` or `ssh-ed25519 …` recipient. */
  readonly recipient: string;
  /** Armored age file holding the data key. */
  enc: string;
}

/** A PGP stanza. */
export interface PgpKeyRecord {
  /** Key type. */
  readonly type: "pgp";
  /** Key fingerprint. */
  readonly fp: string;
  /** RFC 3339 creation time. */
  createdAt: string;
  /** Armored PGP message holding the data key. */
  enc: string;
}

/** An AWS KMS stanza. */
export interface KmsKeyRecord {
  /** Key type. */
  readonly type: "kms";
  /** Key ARN. */
  readonly arn: string;
  /** Role ARN to assume, if any. */
  readonly role?: string | undefined;
  /** Encryption context. */
  readonly context?: Readonly<Record<string, string>> | undefined;
  /** AWS profile name. */
  readonly awsProfile?: string | undefined;
  /** RFC 3339 creation time. */
  createdAt: string;
  /** Base64 ciphertext blob. */
  enc: string;
}

/** A GCP KMS stanza. */
export interface GcpKmsKeyRecord {
  /** Key type. */
  readonly type: "gcp_kms";
  /** `projects/…/locations/…/keyRings/…/cryptoKeys/…`. */
  readonly resourceId: string;
  /** RFC 3339 creation time. */
  createdAt: string;
  /** Base64 ciphertext. */
  enc: string;
}

/** An Azure Key Vault stanza. */
export interface AzureKvKeyRecord {
  /** Key type. */
  readonly type: "azure_kv";
  /** `https://<vault>.vault.azure.net`. */
  readonly vaultUrl: string;
  /** Key name. */
  readonly name: string;
  /** Key version. */
  readonly version: string;
  /** RFC 3339 creation time. */
  createdAt: string;
  /** Base64url (unpadded) wrapped key. */
  enc: string;
}

/** A HashiCorp Vault transit stanza. */
export interface VaultKeyRecord {
  /** Key type. */
  readonly type: "hc_vault";
  /** `https://vault:8200`. */
  readonly vaultAddress: string;
  /** Transit engine mount path. */
  readonly enginePath: string;
  /** Transit key name. */
  readonly keyName: string;
  /** RFC 3339 creation time. */
  createdAt: string;
  /** `vault:v1:…` ciphertext. */
  enc: string;
}

/** A Huawei Cloud KMS stanza (kept as is; no provider in Bosun). */
export interface HcKmsKeyRecord {
  /** Key type. */
  readonly type: "hckms";
  /** Key id. */
  readonly keyId: string;
  /** RFC 3339 creation time. */
  createdAt: string;
  /** Ciphertext. */
  enc: string;
}

/** One master key entry in the metadata. */
export type MasterKeyRecord =
  | AgeKeyRecord
  | PgpKeyRecord
  | KmsKeyRecord
  | GcpKmsKeyRecord
  | AzureKvKeyRecord
  | VaultKeyRecord
  | HcKmsKeyRecord;

/** The `sops` metadata of a file. */
export interface SopsMetadata extends CryptRules {
  /** Key groups; a single group unless Shamir splitting is used. */
  keyGroups: MasterKeyRecord[][];
  /** Groups needed to recover the data key (0 or absent: all). */
  shamirThreshold?: number | undefined;
  /** `lastmodified`, exactly as stored. */
  lastModified: string;
  /** The encrypted MAC (absent in files written without one). */
  mac?: string | undefined;
  /** sops format version that wrote the file. */
  version: string;
}

/** The version Bosun writes in `sops.version`. */
export const SOPS_FORMAT_VERSION = "3.13.3";

/** A short display name of a master key: `age:age1…`, `pgp:FP`, `kms:arn`. */
export function describeKey(k: MasterKeyRecord): string {
  switch (k.type) {
    case "age":
      return `age:${k.recipient}`;
    case "pgp":
      return `pgp:${k.fp}`;
    case "kms":
      return `kms:${k.arn}${k.role ? `+${k.role}` : ""}`;
    case "gcp_kms":
      return `gcp_kms:${k.resourceId}`;
    case "azure_kv":
      return `azure_kv:${k.vaultUrl}/keys/${k.name}/${k.version}`;
    case "hc_vault":
      return `hc_vault:${k.vaultAddress}/v1/${k.enginePath}/keys/${k.keyName}`;
    case "hckms":
      return `hckms:${k.keyId}`;
  }
}

/** The current time as sops writes it (RFC 3339, seconds, UTC). */
export function nowRfc3339(): string {
  return new Date().toISOString().replace(/\.\d+Z$/, "Z");
}

/** `lastmodified` normalised as Go's `Format(time.RFC3339)` (the MAC's additional data). */
export function macAad(lastModified: string): string {
  return lastModified.replace(/\.\d+(?=Z|[+-]\d\d:\d\d$)/, "").replace(/[+-]00:00$/, "Z");
}

// ---------- reading ----------

type Plain = string | number | boolean | null | Plain[] | { [k: string]: Plain };

function plainOf(v: TreeValue): Plain {
  if (v instanceof Branch) {
    const o: { [k: string]: Plain } = {};
    for (const i of v.items) if (typeof i.key === "string") o[i.key] = plainOf(i.value);
    return o;
  }
  if (Array.isArray(v)) return v.filter((x) => !(x instanceof Comment)).map(plainOf);
  if (v instanceof Int) return Number(v.text);
  if (v === null || typeof v === "string" || typeof v === "boolean") return v;
  if (v instanceof Comment) return null;
  if (v instanceof Uint8Array) return new TextDecoder().decode(v);
  return "text" in v ? v.text : v.value;
}

function str(v: Plain | undefined): string {
  if (v === null || v === undefined) return "";
  if (typeof v === "object") return "";
  return String(v);
}

function list(v: Plain | undefined): { [k: string]: Plain }[] {
  if (!Array.isArray(v)) return [];
  return v.filter((x): x is { [k: string]: Plain } =>
    typeof x === "object" && x !== null && !Array.isArray(x)
  );
}

function group(o: { [k: string]: Plain }): MasterKeyRecord[] {
  const g: MasterKeyRecord[] = [];
  for (const k of list(o.kms)) {
    const ctx = k.context;
    const context: Record<string, string> = {};
    if (ctx && typeof ctx === "object" && !Array.isArray(ctx)) {
      for (const [a, b] of Object.entries(ctx)) context[a] = str(b);
    }
    g.push({
      type: "kms",
      arn: str(k.arn),
      role: str(k.role) || undefined,
      context: Object.keys(context).length ? context : undefined,
      awsProfile: str(k.aws_profile) || undefined,
      createdAt: str(k.created_at),
      enc: str(k.enc),
    });
  }
  for (const k of list(o.gcp_kms)) {
    g.push({
      type: "gcp_kms",
      resourceId: str(k.resource_id),
      createdAt: str(k.created_at),
      enc: str(k.enc),
    });
  }
  for (const k of list(o.hckms)) {
    g.push({ type: "hckms", keyId: str(k.key_id), createdAt: str(k.created_at), enc: str(k.enc) });
  }
  for (const k of list(o.azure_kv)) {
    g.push({
      type: "azure_kv",
      vaultUrl: str(k.vault_url),
      name: str(k.name),
      version: str(k.version),
      createdAt: str(k.created_at),
      enc: str(k.enc),
    });
  }
  for (const k of list(o.hc_vault)) {
    g.push({
      type: "hc_vault",
      vaultAddress: str(k.vault_address),
      enginePath: str(k.engine_path),
      keyName: str(k.key_name),
      createdAt: str(k.created_at),
      enc: str(k.enc),
    });
  }
  for (const k of list(o.age)) {
    g.push({ type: "age", recipient: str(k.recipient), enc: str(k.enc) });
  }
  for (const k of list(o.pgp)) {
    g.push({ type: "pgp", fp: str(k.fp), createdAt: str(k.created_at), enc: str(k.enc) });
  }
  return g;
}

/**
 * Reads metadata from the `sops` mapping.
 *
 * @throws {SopsFormatError} When fields are missing or contradict each other.
 */
export function metadataFromTree(tree: Branch, path?: string): SopsMetadata {
  const o = plainOf(tree) as { [k: string]: Plain };
  const lastModified = str(o.lastmodified);
  if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/i.test(lastModified)) {
    throw new SopsFormatError(
      `The sops metadata has an invalid lastmodified ${JSON.stringify(lastModified)}`,
      { path },
    );
  }
  const keyGroups = Array.isArray(o.key_groups) && o.key_groups.length > 0
    ? list(o.key_groups).map(group)
    : [group(o)];
  const rules: Record<string, string> = {};
  for (
    const k of [
      "unencrypted_suffix",
      "encrypted_suffix",
      "unencrypted_regex",
      "encrypted_regex",
      "unencrypted_comment_regex",
      "encrypted_comment_regex",
    ]
  ) {
    const v = str(o[k]);
    if (v) rules[k] = v;
  }
  if (Object.keys(rules).length > 1) {
    throw new SopsFormatError(
      "Cannot use more than one of encrypted_suffix, unencrypted_suffix, encrypted_regex, unencrypted_regex, encrypted_comment_regex, or unencrypted_comment_regex in the same file",
      { path },
    );
  }
  const macOnly = o.mac_only_encrypted === true || o.mac_only_encrypted === "true" ||
    o.mac_only_encrypted === 1;
  const threshold = Number(o.shamir_threshold ?? 0) || undefined;
  return {
    keyGroups,
    shamirThreshold: threshold,
    lastModified,
    mac: str(o.mac) || undefined,
    version: str(o.version),
    unencryptedSuffix: Object.keys(rules).length === 0 ? "_unencrypted" : rules.unencrypted_suffix,
    encryptedSuffix: rules.encrypted_suffix,
    unencryptedRegex: rules.unencrypted_regex,
    encryptedRegex: rules.encrypted_regex,
    unencryptedCommentRegex: rules.unencrypted_comment_regex,
    encryptedCommentRegex: rules.encrypted_comment_regex,
    macOnlyEncrypted: macOnly || undefined,
  };
}

// ---------- writing ----------

function rec(entries: [string, TreeValue | undefined][]): Branch {
  const items: TreeItem[] = [];
  for (const [key, value] of entries.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) {
    if (value !== undefined) items.push({ key, value });
  }
  return new Branch(items);
}

function keyTree(k: MasterKeyRecord): Branch {
  switch (k.type) {
    case "age":
      return rec([["recipient", k.recipient], ["enc", k.enc]]);
    case "pgp":
      return rec([["created_at", k.createdAt], ["enc", k.enc], ["fp", k.fp]]);
    case "kms":
      return rec([
        ["arn", k.arn],
        ["role", k.role || undefined],
        [
          "context",
          k.context && Object.keys(k.context).length
            ? rec(Object.entries(k.context).map(([a, b]) => [a, b]))
            : undefined,
        ],
        ["created_at", k.createdAt],
        ["enc", k.enc],
        ["aws_profile", k.awsProfile ?? ""],
      ]);
    case "gcp_kms":
      return rec([["resource_id", k.resourceId], ["created_at", k.createdAt], ["enc", k.enc]]);
    case "azure_kv":
      return rec([
        ["vault_url", k.vaultUrl],
        ["name", k.name],
        ["version", k.version],
        ["created_at", k.createdAt],
        ["enc", k.enc],
      ]);
    case "hc_vault":
      return rec([
        ["vault_address", k.vaultAddress],
        ["engine_path", k.enginePath],
        ["key_name", k.keyName],
        ["created_at", k.createdAt],
        ["enc", k.enc],
      ]);
    case "hckms":
      return rec([["key_id", k.keyId], ["created_at", k.createdAt], ["enc", k.enc]]);
  }
}

const TYPE_FIELDS: Record<MasterKeyRecord["type"], string> = {
  age: "age",
  pgp: "pgp",
  kms: "kms",
  gcp_kms: "gcp_kms",
  azure_kv: "azure_kv",
  hc_vault: "hc_vault",
  hckms: "hckms",
};

function groupEntries(g: readonly MasterKeyRecord[]): [string, TreeValue | undefined][] {
  const out: [string, TreeValue | undefined][] = [];
  for (const [type, field] of Object.entries(TYPE_FIELDS)) {
    const keys = g.filter((k) => k.type === type).map(keyTree);
    if (keys.length) out.push([field, keys]);
  }
  return out;
}

/** Builds the `sops` mapping for a file (keys sorted, as sops writes them). */
export function metadataToTree(m: SopsMetadata): Branch {
  const entries: [string, TreeValue | undefined][] = [];
  if (m.keyGroups.length === 1) entries.push(...groupEntries(m.keyGroups[0]!));
  else entries.push(["key_groups", m.keyGroups.map((g) => rec(groupEntries(g)))]);
  entries.push(
    ["lastmodified", m.lastModified],
    ["mac", m.mac ?? ""],
    ["version", m.version],
    ["shamir_threshold", m.shamirThreshold ? new Int(m.shamirThreshold) : undefined],
    ["mac_only_encrypted", m.macOnlyEncrypted ? true : undefined],
    ["unencrypted_suffix", m.unencryptedSuffix || undefined],
    ["encrypted_suffix", m.encryptedSuffix || undefined],
    ["unencrypted_regex", m.unencryptedRegex || undefined],
    ["encrypted_regex", m.encryptedRegex || undefined],
    ["unencrypted_comment_regex", m.unencryptedCommentRegex || undefined],
    ["encrypted_comment_regex", m.encryptedCommentRegex || undefined],
  );
  return rec(entries);
}

// ---------- flattening (dotenv, INI) ----------

/** Flattens nested metadata to `a__list_0__map_b` keys. */
export function flattenBranch(b: Branch, prefix: string): TreeItem[] {
  const out: TreeItem[] = [];
  const walk = (v: TreeValue, key: string) => {
    if (v instanceof Branch) {
      for (const i of v.items) {
        if (typeof i.key === "string") walk(i.value, `${key}__map_${i.key}`);
      }
    } else if (Array.isArray(v)) {
      let n = 0;
      for (const x of v) if (!(x instanceof Comment)) walk(x, `${key}__list_${n++}`);
    } else out.push({ key, value: v });
  };
  for (const i of b.items) if (typeof i.key === "string") walk(i.value, prefix + i.key);
  return out;
}

interface UNode {
  value?: TreeValue;
  has?: boolean;
  keys?: Map<string, UNode>;
  idx?: Map<number, UNode>;
}

/**
 * Rebuilds nested metadata from flattened keys.
 *
 * @throws {SopsFormatError} On duplicate or incomplete entries.
 */
export function unflattenItems(items: readonly TreeItem[]): Branch {
  const root: UNode = {};
  for (const item of items) {
    if (typeof item.key !== "string") continue;
    const tokens = item.key.split(/(?=__map_|__list_)/);
    let node = root;
    for (const t of tokens) {
      if (t.startsWith("__list_")) {
        const n = Number(t.slice(7));
        node.idx ??= new Map();
        if (!node.idx.has(n)) node.idx.set(n, {});
        node = node.idx.get(n)!;
      } else {
        const k = t.startsWith("__map_") ? t.slice(6) : t;
        node.keys ??= new Map();
        if (!node.keys.has(k)) node.keys.set(k, {});
        node = node.keys.get(k)!;
      }
    }
    if (node.has) throw new SopsFormatError(`Duplicate metadata entry ${item.key}`);
    node.has = true;
    node.value = item.value;
  }
  const convert = (n: UNode): TreeValue => {
    if (n.has) return n.value ?? null;
    if (n.keys) return new Branch([...n.keys].map(([key, v]) => ({ key, value: convert(v) })));
    if (n.idx) {
      const size = n.idx.size;
      const out: TreeValue[] = [];
      for (let i = 0; i < size; i++) {
        const c = n.idx.get(i);
        if (!c) throw new SopsFormatError("Incomplete list in flattened metadata");
        out.push(convert(c));
      }
      return out;
    }
    return null;
  };
  const r = convert(root);
  return r instanceof Branch ? r : new Branch();
}
