/**
 * `.sops.yaml` creation rules: found by walking up from the file, matched by
 * `path_regex` against the path relative to the config file, and explained
 * when nothing matches.
 *
 * @module
 */

import { parse } from "yaml";
import type { CryptRules } from "./_crypt.ts";
import { goRegExp } from "./_crypt.ts";
import type { MasterKeyRecord } from "./metadata.ts";
import { type RuleMiss, SopsFormatError } from "./errors.ts";
import { parseAzureKeyUrl, parseVaultUri } from "./keys/cloud.ts";

/** Keys named directly (CLI flags or SDK options), in one group. */
export interface KeySpec {
  /** age recipients (`age1…`, post-quantum `age1pq1…` or `ssh-ed25519 …`). */
  readonly age?: readonly string[];
  /** PGP fingerprints. */
  readonly pgp?: readonly string[];
  /** AWS KMS key ARNs (`arn` or `arn+roleArn`). */
  readonly kms?: readonly string[];
  /** Encryption context for the AWS KMS keys. */
  readonly kmsContext?: Readonly<Record<string, string>>;
  /** AWS profile for the AWS KMS keys. */
  readonly awsProfile?: string;
  /** GCP KMS resource ids. */
  readonly gcpKms?: readonly string[];
  /** Azure Key Vault key URLs. */
  readonly azureKv?: readonly string[];
  /** Vault transit URIs. */
  readonly hcVault?: readonly string[];
}

/** A creation rule, normalised. */
export interface CreationRule extends CryptRules {
  /** Index in `creation_rules`. */
  readonly index: number;
  /** `path_regex` (empty: matches every file). */
  readonly pathRegex: string;
  /** Key groups. */
  readonly keyGroups: MasterKeyRecord[][];
  /** Shamir threshold. */
  readonly shamirThreshold?: number | undefined;
}

/** A loaded `.sops.yaml`. */
export interface SopsConfig {
  /** Its path. */
  readonly path: string;
  /** Creation rules, in order. */
  readonly creationRules: readonly CreationRule[];
  /** Indentation settings from `stores:`. */
  readonly indent: { readonly yaml?: number; readonly json?: number };
}

/** Finds the `.sops.yaml` governing `file` by walking up from its directory. */
export async function findSopsConfig(file: string): Promise<string | undefined> {
  let dir = dirname(absolute(file));
  for (let i = 0; i < 100; i++) {
    const candidate = `${dir === "/" ? "" : dir}/.sops.yaml`;
    try {
      await Deno.stat(candidate);
      return candidate;
    } catch { /* keep walking */ }
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return undefined;
}

/** An absolute, normalised path. */
export function absolute(p: string): string {
  const full = p.startsWith("/") ? p : `${Deno.cwd()}/${p}`;
  const out: string[] = [];
  for (const seg of full.split("/")) {
    if (seg === "" || seg === ".") continue;
    if (seg === "..") out.pop();
    else out.push(seg);
  }
  return "/" + out.join("/");
}

function dirname(p: string): string {
  const i = p.lastIndexOf("/");
  return i <= 0 ? "/" : p.slice(0, i);
}

function strList(v: unknown, field: string, path: string): string[] {
  if (v === undefined || v === null) return [];
  if (typeof v === "string") return v.split(",").map((s) => s.trim()).filter(Boolean);
  if (Array.isArray(v)) {
    return v.flatMap((x) => {
      if (typeof x !== "string") {
        throw new SopsFormatError(`${path}: ${field} must be a string or a list of strings`, {
          path,
        });
      }
      return x.split(",").map((s) => s.trim()).filter(Boolean);
    });
  }
  throw new SopsFormatError(`${path}: ${field} must be a string or a list of strings`, { path });
}

/** Builds master key records (without `enc`) from key specs. */
export function keysFromSpec(spec: KeySpec): MasterKeyRecord[] {
  const g: MasterKeyRecord[] = [];
  const seen = new Set<string>();
  const add = (k: MasterKeyRecord, id: string) => {
    if (seen.has(id)) return;
    seen.add(id);
    g.push(k);
  };
  for (const r of spec.age ?? []) {
    add({ type: "age", recipient: r.trim(), enc: "" }, `age:${r.trim()}`);
  }
  for (const fp of spec.pgp ?? []) {
    const f = fp.replace(/\s+/g, "").toUpperCase();
    add({ type: "pgp", fp: f, createdAt: "", enc: "" }, `pgp:${f}`);
  }
  for (const a of spec.kms ?? []) {
    const [arn, role] = a.split("+");
    add({
      type: "kms",
      arn: arn!.trim(),
      role: role?.trim() || undefined,
      context: spec.kmsContext,
      awsProfile: spec.awsProfile,
      createdAt: "",
      enc: "",
    }, `kms:${a}`);
  }
  for (const id of spec.gcpKms ?? []) {
    add({ type: "gcp_kms", resourceId: id, createdAt: "", enc: "" }, `gcp:${id}`);
  }
  for (const url of spec.azureKv ?? []) {
    add({ type: "azure_kv", ...parseAzureKeyUrl(url), createdAt: "", enc: "" }, `az:${url}`);
  }
  for (const uri of spec.hcVault ?? []) {
    add({ type: "hc_vault", ...parseVaultUri(uri), createdAt: "", enc: "" }, `vault:${uri}`);
  }
  return g;
}

type Raw = Record<string, unknown>;

function groupFromRaw(g: Raw, path: string): MasterKeyRecord[] {
  const out: MasterKeyRecord[] = [];
  for (const m of (Array.isArray(g.merge) ? g.merge : []) as Raw[]) {
    out.push(...groupFromRaw(m, path));
  }
  const kms = (Array.isArray(g.kms) ? g.kms : []) as Raw[];
  out.push(...keysFromSpec({
    age: strList(g.age, "age", path),
    pgp: strList(g.pgp, "pgp", path),
    gcpKms: ((Array.isArray(g.gcp_kms) ? g.gcp_kms : []) as Raw[]).map((k) =>
      String(k.resource_id)
    ),
    azureKv: ((Array.isArray(g.azure_keyvault) ? g.azure_keyvault : []) as Raw[]).map((k) =>
      `${String(k.vaultUrl).replace(/\/$/, "")}/keys/${String(k.key)}/${String(k.version ?? "")}`
    ),
    hcVault: strList(g.hc_vault, "hc_vault", path),
  }));
  for (const k of kms) {
    out.push({
      type: "kms",
      arn: String(k.arn),
      role: k.role ? String(k.role) : undefined,
      context: k.context as Record<string, string> | undefined,
      awsProfile: k.aws_profile ? String(k.aws_profile) : undefined,
      createdAt: "",
      enc: "",
    });
  }
  return out;
}

/**
 * Loads and normalises a `.sops.yaml`.
 *
 * @throws {SopsFormatError} When the file is not valid.
 */
export async function loadSopsConfig(path: string): Promise<SopsConfig> {
  let raw: Raw;
  try {
    raw = (parse(await Deno.readTextFile(path)) ?? {}) as Raw;
  } catch (cause) {
    throw new SopsFormatError(`Cannot read ${path}: ${(cause as Error).message}`, { path, cause });
  }
  const rules = (Array.isArray(raw.creation_rules) ? raw.creation_rules : []) as Raw[];
  const creationRules = rules.map((r, index): CreationRule => {
    const groups = Array.isArray(r.key_groups) && r.key_groups.length
      ? (r.key_groups as Raw[]).map((g) => groupFromRaw(g, path))
      : [
        keysFromSpec({
          age: strList(r.age, "age", path),
          pgp: strList(r.pgp, "pgp", path),
          kms: strList(r.kms, "kms", path),
          ...(r.aws_profile ? { awsProfile: String(r.aws_profile) } : {}),
          gcpKms: strList(r.gcp_kms, "gcp_kms", path),
          azureKv: strList(r.azure_keyvault, "azure_keyvault", path),
          hcVault: strList(r.hc_vault_transit_uri, "hc_vault_transit_uri", path),
        }),
      ];
    const s = (k: string) => (typeof r[k] === "string" && r[k] ? String(r[k]) : undefined);
    return {
      index,
      pathRegex: typeof r.path_regex === "string" ? r.path_regex : "",
      keyGroups: groups,
      shamirThreshold: typeof r.shamir_threshold === "number" ? r.shamir_threshold : undefined,
      unencryptedSuffix: s("unencrypted_suffix"),
      encryptedSuffix: s("encrypted_suffix"),
      unencryptedRegex: s("unencrypted_regex"),
      encryptedRegex: s("encrypted_regex"),
      unencryptedCommentRegex: s("unencrypted_comment_regex"),
      encryptedCommentRegex: s("encrypted_comment_regex"),
      macOnlyEncrypted: r.mac_only_encrypted === true ? true : undefined,
    };
  });
  const stores = (raw.stores ?? {}) as Record<string, Raw>;
  const indent: { yaml?: number; json?: number } = {};
  if (typeof stores.yaml?.indent === "number") indent.yaml = stores.yaml.indent;
  if (typeof stores.json?.indent === "number") indent.json = stores.json.indent;
  return { path, creationRules, indent };
}

/** The outcome of matching a file against creation rules. */
export interface RuleMatch {
  /** The path compared with `path_regex` (relative to the config's directory). */
  readonly relativePath: string;
  /** The first rule that matched, if any. */
  readonly rule: CreationRule | undefined;
  /** Rules before it (or all rules) and why they did not match. */
  readonly misses: RuleMiss[];
}

/** Matches a file against the rules of a config, recording why each rule was skipped. */
export function matchCreationRule(config: SopsConfig, file: string): RuleMatch {
  const dir = dirname(config.path);
  const abs = absolute(file);
  const relativePath = abs.startsWith(dir + "/") ? abs.slice(dir.length + 1) : abs;
  const misses: RuleMiss[] = [];
  for (const rule of config.creationRules) {
    if (rule.pathRegex === "") return { relativePath, rule, misses };
    let re: RegExp;
    try {
      re = goRegExp(rule.pathRegex);
    } catch {
      misses.push({
        index: rule.index,
        pathRegex: rule.pathRegex,
        reason: "the regex does not compile",
      });
      continue;
    }
    if (re.test(relativePath)) return { relativePath, rule, misses };
    misses.push({
      index: rule.index,
      pathRegex: rule.pathRegex,
      reason: whyNoMatch(rule.pathRegex, relativePath, abs),
    });
  }
  return { relativePath, rule: undefined, misses };
}

function whyNoMatch(regex: string, rel: string, abs: string): string {
  const notes = [`does not match "${rel}"`];
  try {
    if (abs !== rel && goRegExp(regex).test(abs)) {
      notes.push(
        "(it would match the absolute path; paths are compared relative to the .sops.yaml directory)",
      );
    } else if (regex.startsWith("^/") || regex.startsWith("/")) {
      notes.push('(the regex starts with "/" but paths are relative to the .sops.yaml directory)');
    } else if (/\\\.ya?ml\$?$/.test(regex) && /\.ya?ml$/.test(rel)) {
      notes.push("(check the .yaml/.yml extension spelling)");
    } else if (/\.enc\./.test(rel) === false && regex.includes("enc")) {
      notes.push(`(the file name has no ".enc." part)`);
    }
  } catch { /* ignore */ }
  return notes.join(" ");
}
