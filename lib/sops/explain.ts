/**
 * `explainCreationRules`: which `.sops.yaml` governs a file, which rule
 * matches (or why none does), and which keys would be used.
 *
 * @module
 */

import { absolute, findSopsConfig, loadSopsConfig, matchCreationRule } from "./config.ts";
import { describeKey } from "./metadata.ts";
import type { RuleMiss } from "./errors.ts";

/** The explanation of the creation rules for one file. */
export interface RuleExplanation {
  /** The file, absolute. */
  readonly path: string;
  /** The `.sops.yaml` found, if any. */
  readonly configPath: string | undefined;
  /** The path compared with `path_regex`. */
  readonly relativePath: string | undefined;
  /** The matching rule's index (0-based), if any. */
  readonly matchedRule: number | undefined;
  /** Its `path_regex`. */
  readonly matchedPathRegex: string | undefined;
  /** Rules tried before the match (or all) and why they did not match. */
  readonly misses: readonly RuleMiss[];
  /** The key groups that would be used (`age:age1…`, `pgp:FP`…). */
  readonly keyGroups: readonly (readonly string[])[];
  /** Shamir threshold of the matching rule. */
  readonly shamirThreshold: number | undefined;
  /** Encryption rule of the matching rule (`encrypted_regex: ^data$`…). */
  readonly encryptionRule: string | undefined;
}

/** Options of {@linkcode explainCreationRules}. */
export interface ExplainOptions {
  /** The `.sops.yaml` to use. @default found by walking up from the file */
  readonly configPath?: string;
}

/**
 * Explains which creation rule applies to a file and why the others do not.
 *
 * @param path The file (it does not need to exist).
 * @param options The config path.
 * @returns The explanation.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { explainCreationRules } from "@bosun/sdk";
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/.sops.yaml`, "creation_rules:\n  - path_regex: ^k8s/.*\\.yaml$\n    age: age1yt3tfqlfrwdwx0z0ynwplcr6qxcxfaqycuprpmy89nr83ltx74tqdpszlw\n");
 * const e = await explainCreationRules(`${dir}/other/x.yaml`);
 * assert.equal(e.matchedRule, undefined);
 * assert.equal(e.misses.length, 1);
 * ```
 */
export async function explainCreationRules(
  path: string,
  options: ExplainOptions = {},
): Promise<RuleExplanation> {
  const abs = absolute(path);
  const configPath = options.configPath ?? await findSopsConfig(abs);
  if (!configPath) {
    return {
      path: abs,
      configPath: undefined,
      relativePath: undefined,
      matchedRule: undefined,
      matchedPathRegex: undefined,
      misses: [],
      keyGroups: [],
      shamirThreshold: undefined,
      encryptionRule: undefined,
    };
  }
  const config = await loadSopsConfig(configPath);
  const m = matchCreationRule(config, abs);
  const r = m.rule;
  const encRule = r
    ? ([
      ["encrypted_regex", r.encryptedRegex],
      ["unencrypted_regex", r.unencryptedRegex],
      ["encrypted_suffix", r.encryptedSuffix],
      ["unencrypted_suffix", r.unencryptedSuffix],
      ["encrypted_comment_regex", r.encryptedCommentRegex],
      ["unencrypted_comment_regex", r.unencryptedCommentRegex],
    ] as const).filter(([, v]) => v).map(([k, v]) => `${k}: ${v}`)[0]
    : undefined;
  return {
    path: abs,
    configPath,
    relativePath: m.relativePath,
    matchedRule: r?.index,
    matchedPathRegex: r?.pathRegex,
    misses: m.misses,
    keyGroups: r ? r.keyGroups.map((g) => g.map(describeKey)) : [],
    shamirThreshold: r?.shamirThreshold,
    encryptionRule: encRule,
  };
}

/** Renders an explanation as the lines `bosun secrets explain` prints. */
export function formatExplanation(e: RuleExplanation): string {
  const lines = [`file: ${e.path}`];
  if (!e.configPath) {
    lines.push("config: no .sops.yaml in this directory or any parent");
    lines.push("result: no creation rule applies; give keys explicitly (--age, --pgp, …)");
    return lines.join("\n");
  }
  lines.push(`config: ${e.configPath}`, `compared path: ${e.relativePath}`);
  for (const m of e.misses) {
    lines.push(`  rule #${m.index + 1} path_regex ${JSON.stringify(m.pathRegex)}: no, ${m.reason}`);
  }
  if (e.matchedRule === undefined) {
    lines.push("result: no creation rule matches this file");
    return lines.join("\n");
  }
  lines.push(
    `  rule #${e.matchedRule + 1} path_regex ${JSON.stringify(e.matchedPathRegex ?? "")}: matches`,
  );
  e.keyGroups.forEach((g, i) => {
    lines.push(`keys${e.keyGroups.length > 1 ? ` (group ${i + 1})` : ""}:`);
    for (const k of g) lines.push(`  ${k}`);
  });
  if (e.shamirThreshold) lines.push(`shamir threshold: ${e.shamirThreshold}`);
  if (e.encryptionRule) lines.push(`encryption rule: ${e.encryptionRule}`);
  return lines.join("\n");
}
