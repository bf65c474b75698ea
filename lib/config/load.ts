/**
 * Loading, validating, defaulting and saving `bosun.yaml`.
 *
 * @module
 */

import { Document, isMap, isNode, isScalar, isSeq, LineCounter, parseDocument } from "yaml";
import type { ConfigProblem } from "./_schema.ts";
import { deepEqual, fillDefaults, stripDefaults, validateNode } from "./_schema.ts";
import { CONFIG_SCHEMA } from "./schema.ts";
import type { BosunConfig, ResolvedConfig } from "./types.ts";
import { writeFileAtomic } from "../fs/mod.ts";

export type { ConfigProblem } from "./_schema.ts";

/** The file name Bosun looks for. */
export const CONFIG_FILE = "bosun.yaml";

/** The `$schema` reference written at the top of files Bosun writes. */
export const SCHEMA_LINE =
  "# yaml-language-server: $schema=https://bosun.dev/schemas/v1alpha1/bosun.json";

/**
 * A config file (or object) is not valid. `problems` lists every problem found,
 * each with its field path and, for files, line and column.
 */
export class ConfigError extends Error {
  /** The file, when the config came from one. */
  readonly file: string | undefined;
  /** Every problem found. */
  readonly problems: readonly ConfigProblem[];

  /** Builds the error; the message lists every problem. */
  constructor(problems: readonly ConfigProblem[], file?: string) {
    const where = file ?? "config";
    const lines = problems.map((p) => {
      const at = p.line === undefined ? "" : `${file ?? ""}:${p.line}:${p.column ?? 1}: `;
      return `  ${at}${p.path || "(document)"}: ${p.message}`;
    });
    super(
      `Invalid ${where} (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n${
        lines.join("\n")
      }`,
    );
    this.name = "ConfigError";
    this.file = file;
    this.problems = problems;
  }
}

/** A loaded config and where it came from. */
export interface LoadedConfig {
  /** The config with every default applied. */
  readonly config: ResolvedConfig;
  /** The file it was read from, or `undefined` when defaults were used. */
  readonly path: string | undefined;
  /** The directory relative paths in the config resolve against. */
  readonly baseDir: string;
}

/**
 * Returns `config` unchanged, typed: gives editor completion in scripts.
 *
 * @param config A config as a user writes it.
 * @returns The same object.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { defineConfig } from "@bosun/sdk";
 * const config = defineConfig({ metadata: { name: "dev" }, spec: { distribution: "K3d" } });
 * assert.ok(config.spec?.distribution === "K3d");
 * ```
 */
export function defineConfig(config: BosunConfig): BosunConfig {
  return config;
}

/**
 * Fills every default (the one place defaults are applied).
 *
 * @param config A partial config.
 * @returns A resolved config. It is not validated: call {@linkcode validateConfig} first.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { applyDefaults } from "@bosun/sdk";
 * const config = applyDefaults({ spec: { cni: "Cilium" } });
 * assert.equal(config.metadata.name, "bosun");
 * assert.equal(config.spec.registry.local.hostPort, 5050);
 * ```
 */
export function applyDefaults(config: BosunConfig = {}): ResolvedConfig {
  return fillDefaults(CONFIG_SCHEMA, config) as ResolvedConfig;
}

/**
 * Checks a config and returns every problem (an empty list when it is valid).
 *
 * @param config The config, as parsed from YAML or written in code.
 * @returns The problems, each with its field path.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { validateConfig } from "@bosun/sdk";
 * const [problem] = validateConfig({ spec: { distribution: "Kinde" } });
 * assert.ok(problem?.path === "spec.distribution" && problem.suggestion === "Kind");
 * ```
 */
export function validateConfig(config: unknown): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  validateNode(CONFIG_SCHEMA, config, "", problems);
  return problems;
}

/**
 * Validates and defaults a config given in code.
 *
 * @param config The config.
 * @returns The resolved config.
 * @throws {ConfigError} When the config is not valid.
 */
export function resolveConfig(config: BosunConfig = {}): ResolvedConfig {
  const problems = validateConfig(config);
  if (problems.length > 0) throw new ConfigError(problems);
  return applyDefaults(config);
}

/**
 * Parses and validates `bosun.yaml` text.
 *
 * @param text The YAML text.
 * @param file The file name used in errors.
 * @returns The resolved config.
 * @throws {ConfigError} With line and column for syntax errors and field problems.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseConfig } from "@bosun/sdk";
 * const config = parseConfig("spec:\n  distribution: K3d\n");
 * assert.equal(config.spec.distribution, "K3d");
 * ```
 */
export function parseConfig(text: string, file?: string): ResolvedConfig {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  if (doc.errors.length > 0) {
    throw new ConfigError(
      doc.errors.map((e) => {
        const pos = lineCounter.linePos(e.pos[0]);
        return {
          path: "",
          message: `YAML syntax error: ${e.message.split("\n")[0]}`,
          ...(pos ? { line: pos.line, column: pos.col } : {}),
        };
      }),
      file,
    );
  }
  const value: unknown = doc.toJS() ?? {};
  const problems = validateConfig(value).map((p) => locate(p, doc, lineCounter));
  if (problems.length > 0) throw new ConfigError(problems, file);
  return applyDefaults(value as BosunConfig);
}

/** Finds `bosun.yaml` in `dir` or the nearest parent directory. */
export async function findConfigFile(dir: string = Deno.cwd()): Promise<string | undefined> {
  let current = dir.replace(/\/+$/, "") || "/";
  while (true) {
    const candidate = `${current === "/" ? "" : current}/${CONFIG_FILE}`;
    try {
      if ((await Deno.stat(candidate)).isFile) return candidate;
    } catch {
      // not here
    }
    if (current === "/") return undefined;
    current = current.slice(0, current.lastIndexOf("/")) || "/";
  }
}

/**
 * Loads a config: the given file, or `bosun.yaml` found by walking up from the
 * working directory, or the defaults when there is none.
 *
 * @param path An explicit config file; it must exist.
 * @returns The resolved config and its origin.
 * @throws {ConfigError} When the file is not valid or an explicit file is missing.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadConfig } from "@bosun/sdk";
 * const { config } = await loadConfig();
 * assert.equal(config.kind, "Cluster");
 * ```
 */
export async function loadConfig(path?: string): Promise<LoadedConfig> {
  const file = path ?? await findConfigFile();
  if (file === undefined) {
    return { config: applyDefaults({}), path: undefined, baseDir: Deno.cwd() };
  }
  let text: string;
  try {
    text = await Deno.readTextFile(file);
  } catch (cause) {
    const reason = cause instanceof Deno.errors.NotFound ? "does not exist" : String(cause);
    throw new ConfigError([{ path: "", message: `cannot read the file: it ${reason}` }], file);
  }
  const config = parseConfig(text, file);
  const slash = file.lastIndexOf("/");
  return { config, path: file, baseDir: slash < 0 ? Deno.cwd() : file.slice(0, slash) || "/" };
}

/** Options for {@linkcode saveConfig}. */
export interface SaveConfigOptions {
  /** Replace an existing file's content instead of updating it in place. @default false */
  readonly replace?: boolean;
}

/**
 * Writes a config: only the fields that differ from the defaults. When the file
 * exists, its comments and key order are kept and only changed fields are
 * touched. The write is atomic.
 *
 * @param config The config to save.
 * @param path The file to write.
 * @param options Whether to replace an existing file.
 * @throws {ConfigError} When the config is not valid (nothing is written).
 */
export async function saveConfig(
  config: BosunConfig,
  path: string,
  options: SaveConfigOptions = {},
): Promise<void> {
  const problems = validateConfig(config);
  if (problems.length > 0) throw new ConfigError(problems, path);
  const wanted = (stripDefaults(CONFIG_SCHEMA, applyDefaults(config)) ?? {}) as Record<
    string,
    unknown
  >;
  wanted.apiVersion = applyDefaults(config).apiVersion;
  wanted.kind = "Cluster";
  const ordered = {
    apiVersion: wanted.apiVersion,
    kind: wanted.kind,
    ...(wanted.metadata ? { metadata: wanted.metadata } : {}),
    ...(wanted.spec ? { spec: wanted.spec } : {}),
  };
  let existing: string | undefined;
  if (!options.replace) {
    try {
      existing = await Deno.readTextFile(path);
    } catch {
      existing = undefined;
    }
  }
  let text: string;
  if (existing !== undefined) {
    const doc = parseDocument(existing);
    if (doc.errors.length > 0) {
      throw new ConfigError([{ path: "", message: doc.errors[0]!.message }], path);
    }
    // A file that leaves apiVersion/kind to the defaults keeps doing so.
    const keep = Object.fromEntries(
      Object.entries(ordered).filter(([k]) => !["apiVersion", "kind"].includes(k) || doc.has(k)),
    );
    mergeInto(doc, [], keep);
    text = doc.toString();
  } else {
    text = `${SCHEMA_LINE}\n${new Document(ordered).toString()}`;
  }
  await writeFileAtomic(path, text);
}

/** Updates `doc` so that its value at `path` equals `wanted`, touching only what differs. */
function mergeInto(doc: Document, path: (string | number)[], wanted: unknown): void {
  const current: unknown = doc.getIn(path);
  if (
    typeof wanted === "object" && wanted !== null && !Array.isArray(wanted) && isMap(current)
  ) {
    const want = wanted as Record<string, unknown>;
    for (const item of [...current.items]) {
      const key = isScalar(item.key) ? String(item.key.value) : String(item.key);
      if (!(key in want)) doc.deleteIn([...path, key]);
    }
    for (const [key, value] of Object.entries(want)) mergeInto(doc, [...path, key], value);
    return;
  }
  const currentJs = isNode(current) ? current.toJSON() : current;
  if (!deepEqual(currentJs, wanted)) doc.setIn(path, wanted);
}

function parsePath(path: string): (string | number)[] {
  const out: (string | number)[] = [];
  for (const m of path.matchAll(/([A-Za-z_]\w*)|\[("(?:[^"\\]|\\.)*")\]|\[(\d+)\]/g)) {
    if (m[1] !== undefined) out.push(m[1]);
    else if (m[2] !== undefined) out.push(JSON.parse(m[2]) as string);
    else if (m[3] !== undefined) out.push(Number(m[3]));
  }
  return out;
}

function locate(problem: ConfigProblem, doc: Document, lines: LineCounter): ConfigProblem {
  const segments = parsePath(problem.path);
  const last = segments[segments.length - 1];
  const container: unknown = segments.length > 1
    ? doc.getIn(segments.slice(0, -1), true)
    : doc.contents;
  let node: unknown = container;
  if (isMap(container)) {
    const pair = container.items.find((p) => (isScalar(p.key) ? p.key.value : p.key) === last);
    if (pair) node = isNode(pair.value) ? pair.value : pair.key;
  } else if (isSeq(container) && typeof last === "number") {
    node = container.items[last] ?? container;
  }
  if (!isNode(node) || !node.range) return problem;
  const pos = lines.linePos(node.range[0]);
  return { ...problem, line: pos.line, column: pos.col };
}
