/**
 * {@linkcode scaffoldProject}: lays out a new Bosun repository, never
 * clobbering files that exist.
 *
 * @module
 */

import { parse } from "yaml";
import {
  type BosunConfig,
  type Cni,
  CONFIG_FILE,
  type Distribution,
  type GitOpsEngine,
  resolveConfig,
  saveConfig,
} from "../config/mod.ts";
import { writeFileAtomic } from "../fs/mod.ts";
import { type Reporter, silentReporter } from "../ui/mod.ts";
import { DEFAULT_APP, sopsConfigTemplate, type TemplateFile } from "../../templates/mod.ts";
import { SCAFFOLDS } from "../../scaffolds/mod.ts";
import { defaultAgeKeysFile } from "../sops/keys/age.ts";
import { generateAgeKey, importAgeKey } from "../sops/agekeys.ts";
import { renderNativeConfig } from "./_native.ts";
import { ScaffoldError } from "./errors.ts";

/** Options for {@linkcode scaffoldProject}. */
export interface ScaffoldOptions {
  /** Cluster name. @default the directory's name, or "bosun" */
  readonly name?: string;
  /** Distribution. @default "Kind" */
  readonly distribution?: Distribution;
  /** GitOps engine; selects the `flux`, `argocd` or `plain` scaffold. @default "None" */
  readonly gitops?: GitOpsEngine;
  /** CNI. @default "Default" */
  readonly cni?: Cni;
  /** More of bosun.yaml, merged under the options above. */
  readonly config?: BosunConfig;
  /**
   * Where the new repository's deno.json imports the SDK from: a local checkout
   * path or an http(s) URL. @default JSR
   */
  readonly sdk?: string;
  /** Replace files that exist (the age key in an existing .sops.yaml is kept). @default false */
  readonly force?: boolean;
  /** Where the private age key is appended. @default SOPS_AGE_KEY_FILE or the SOPS default */
  readonly ageKeyFile?: string;
  /** Environment lookup (for SOPS_AGE_KEY_FILE, HOME). @default Deno.env.get */
  readonly env?: (name: string) => string | undefined;
  /** Progress. */
  readonly reporter?: Reporter;
}

/** What happened to one file. */
export type FileAction = "created" | "skipped" | "overwritten" | "unchanged";

/** One file of the result. */
export interface ScaffoldedFile {
  /** Path relative to the repository. */
  readonly path: string;
  /** What was done. */
  readonly action: FileAction;
}

/** What {@linkcode scaffoldProject} did. */
export interface ScaffoldResult {
  /** The repository directory. */
  readonly dir: string;
  /** Every file, in order. */
  readonly files: readonly ScaffoldedFile[];
  /** The age recipient in .sops.yaml. */
  readonly ageRecipient: string | undefined;
  /** The key file a new private key was appended to, when one was generated. */
  readonly keyFileWritten: string | undefined;
}

/**
 * Lays out a Bosun repository in `dir`: bosun.yaml, the native distribution
 * config, a kustomize tree under `k8s/`, a Helm chart, GitOps objects for the
 * engine, `.sops.yaml` with a fresh age key (private key appended to the SOPS
 * key file outside the repository), `.gitignore`, `deno.json`, CI and README.
 * Existing files are skipped unless `force` is set; a second run changes nothing.
 *
 * @param dir The repository directory (created when missing).
 * @param options Distribution, GitOps engine, CNI, SDK location, force.
 * @returns Every file with what was done to it.
 * @throws {ScaffoldError} When the key file would be inside the repository.
 * @throws {ConfigError} When the resulting bosun.yaml would be invalid.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { scaffoldProject } from "@bosun/sdk";
 * const dir = await Deno.makeTempDir();
 * const keys = await Deno.makeTempDir();
 * const result = await scaffoldProject(`${dir}/platform`, {
 *   distribution: "K3d",
 *   gitops: "Flux",
 *   ageKeyFile: `${keys}/keys.txt`,
 * });
 * assert.ok(result.files.every((f) => f.action === "created"));
 * ```
 */
export async function scaffoldProject(
  dir: string,
  options: ScaffoldOptions = {},
): Promise<ScaffoldResult> {
  const reporter = options.reporter ?? silentReporter;
  const env = options.env ?? ((n: string) => Deno.env.get(n));
  const root = absolute(dir.replace(/\/+$/, "") || "/");
  await Deno.mkdir(root, { recursive: true });
  const base = root.split("/").pop() ?? "";
  const name = options.name ?? options.config?.metadata?.name ??
    (/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(base) ? base : "bosun");
  const engine = options.gitops ?? options.config?.spec?.gitops?.engine ?? "None";
  const scaffold = SCAFFOLDS[engine];

  // The age key: reuse the recipients of an existing .sops.yaml, else make one.
  const existingRecipients = await readSopsRecipients(`${root}/.sops.yaml`);
  let recipient = existingRecipients[0];
  let keyFileWritten: string | undefined;
  let pendingKey: { file: string; text: string; recipient: string } | undefined;
  if (recipient === undefined) {
    const key = await generateAgeKey();
    recipient = key.recipient;
    const file = absolute(
      options.ageKeyFile ?? env("SOPS_AGE_KEY_FILE") ?? defaultAgeKeysFile(envRecord(env)),
    );
    const real = await realDir(file);
    const realRoot = await Deno.realPath(root);
    const inside = (p: string, r: string) => p === r || p.startsWith(`${r}/`);
    if (inside(real, realRoot) || inside(file, root)) {
      throw new ScaffoldError(
        root,
        `the SOPS age key file ${file} is inside the repository; set SOPS_AGE_KEY_FILE to a path outside it`,
      );
    }
    pendingKey = { file, text: key.fileText, recipient: key.recipient };
  }

  const partial: BosunConfig = {
    ...options.config,
    metadata: { ...options.config?.metadata, name },
    spec: {
      ...options.config?.spec,
      distribution: options.distribution ?? options.config?.spec?.distribution ?? "Kind",
      cni: options.cni ?? options.config?.spec?.cni ?? "Default",
      gitops: { ...options.config?.spec?.gitops, engine },
      sops: { ...options.config?.spec?.sops, age: [recipient] },
    },
  };
  const native = renderNativeConfig(resolveConfig(partial));
  const config: BosunConfig = native
    ? { ...partial, spec: { ...partial.spec, distributionConfig: native.path } }
    : partial;
  const resolved = resolveConfig(config);

  const files: TemplateFile[] = [
    { path: CONFIG_FILE, content: await renderConfigFile(config) },
    ...(native ? [native] : []),
    sopsConfigTemplate({ age: [recipient] }),
    ...scaffold.files({
      cluster: name,
      distribution: resolved.spec.distribution,
      sourceDirectory: resolved.spec.gitops.sourceDirectory,
      ref: resolved.spec.gitops.ref,
      app: DEFAULT_APP,
      ...(native ? { nativeConfig: native.path } : {}),
      denoJson: await denoJsonOptions(options.sdk),
    }),
  ];

  const step = reporter.step(`Scaffolding ${scaffold.name} repository in ${root}`);
  const results: ScaffoldedFile[] = [];
  try {
    for (const file of files) {
      const action = await writeScaffoldFile(root, file, options.force === true);
      results.push({ path: file.path, action });
      step.log("debug", `${action.padEnd(11)} ${file.path}`);
    }
    if (pendingKey && results.some((r) => r.path === ".sops.yaml" && r.action !== "skipped")) {
      await Deno.mkdir(pendingKey.file.slice(0, pendingKey.file.lastIndexOf("/")) || "/", {
        recursive: true,
        mode: 0o700,
      });
      await importAgeKey(pendingKey.text, { keysFile: pendingKey.file });
      keyFileWritten = pendingKey.file;
      step.log("debug", `age key    ${pendingKey.recipient} → ${pendingKey.file}`);
    }
    const created = results.filter((r) => r.action === "created").length;
    step.succeed(`${created} created, ${results.length - created} kept or replaced`);
  } catch (error) {
    step.fail(error);
    throw error;
  }
  return { dir: root, files: results, ageRecipient: recipient, keyFileWritten };
}

async function renderConfigFile(config: BosunConfig): Promise<string> {
  const tmp = await Deno.makeTempDir({ prefix: "bosun-init-" });
  try {
    await saveConfig(config, `${tmp}/${CONFIG_FILE}`, { replace: true });
    return await Deno.readTextFile(`${tmp}/${CONFIG_FILE}`);
  } finally {
    await Deno.remove(tmp, { recursive: true }).catch(() => {});
  }
}

async function writeScaffoldFile(root: string, file: TemplateFile, force: boolean) {
  const path = `${root}/${file.path}`;
  let existing: string | undefined;
  try {
    existing = await Deno.readTextFile(path);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  if (existing !== undefined && !force) return "skipped" as const;
  if (existing === file.content) return "unchanged" as const;
  await Deno.mkdir(path.slice(0, path.lastIndexOf("/")), { recursive: true });
  await writeFileAtomic(path, file.content, file.mode === undefined ? {} : { mode: file.mode });
  return existing === undefined ? "created" as const : "overwritten" as const;
}

async function readSopsRecipients(path: string): Promise<string[]> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch {
    return [];
  }
  const doc = parse(text) as { creation_rules?: { age?: unknown }[] } | null;
  const out: string[] = [];
  for (const rule of doc?.creation_rules ?? []) {
    const age = rule.age;
    const list = typeof age === "string" ? age.split(",") : Array.isArray(age) ? age : [];
    for (const r of list) if (typeof r === "string" && r.trim()) out.push(r.trim());
  }
  return out;
}

function envRecord(env: (name: string) => string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of ["HOME", "USERPROFILE", "XDG_CONFIG_HOME", "APPDATA"]) {
    const v = env(k);
    if (v !== undefined) out[k] = v;
  }
  return out;
}

async function denoJsonOptions(sdk: string | undefined) {
  if (sdk === undefined) return {};
  if (/^https?:\/\//.test(sdk)) {
    const own = await import("../../deno.json", { with: { type: "json" } });
    return { sdk, sdkImports: own.default.imports as Record<string, string> };
  }
  return { sdk: absolute(sdk) };
}

function absolute(path: string): string {
  if (path.startsWith("/")) return normalize(path);
  return normalize(`${Deno.cwd()}/${path}`);
}

function normalize(path: string): string {
  const out: string[] = [];
  for (const part of path.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") out.pop();
    else out.push(part);
  }
  return `/${out.join("/")}`;
}

/** The real path of the deepest existing ancestor of `path`, with the rest appended. */
async function realDir(path: string): Promise<string> {
  let head = path;
  let tail = "";
  while (head !== "/" && head !== "") {
    try {
      return normalize(`${await Deno.realPath(head)}${tail}`);
    } catch {
      const i = head.lastIndexOf("/");
      tail = `${head.slice(i)}${tail}`;
      head = head.slice(0, i) || "/";
    }
  }
  return normalize(path);
}
