/**
 * `updateKeys`: make the master keys of one file or a whole tree match what
 * the creation rules say now, without touching the encrypted values.
 *
 * @module
 */

import { writeFileAtomic } from "../fs/mod.ts";
import { keyServices, type SopsKeySourceOptions } from "./_core.ts";
import { unwrapDataKey, wrapDataKey } from "./_datakey.ts";
import { describeKey } from "./metadata.ts";
import { formatForPath, storeFor } from "./stores/mod.ts";
import { keyId, resolveKeys } from "./ops.ts";
import { SopsError, SopsNoMatchingRuleError, SopsStateError } from "./errors.ts";
import { type Reporter, silentReporter } from "../ui/reporter.ts";

/** Options of {@linkcode updateKeys}. */
export interface UpdateKeysOptions extends SopsKeySourceOptions {
  /** The `.sops.yaml` to use. @default found by walking up from each file */
  readonly configPath?: string;
  /** Only report what would change. @default false */
  readonly dryRun?: boolean;
  /** Progress reporting. */
  readonly reporter?: Reporter;
}

/** What happened to one file. */
export interface UpdateKeysResult {
  /** The file. */
  readonly path: string;
  /** `updated`, `unchanged`, `skipped` (not a sops file or no rule) or `failed`. */
  readonly status: "updated" | "unchanged" | "skipped" | "failed";
  /** Keys added. */
  readonly added: readonly string[];
  /** Keys removed. */
  readonly removed: readonly string[];
  /** Why the file was skipped or failed. */
  readonly reason?: string;
}

async function* walk(dir: string): AsyncGenerator<string> {
  const entries: Deno.DirEntry[] = [];
  for await (const e of Deno.readDir(dir)) entries.push(e);
  entries.sort((a, b) => a.name.localeCompare(b.name));
  for (const e of entries) {
    if (e.name === ".git" || e.name === "node_modules") continue;
    const p = `${dir}/${e.name}`;
    if (e.isDirectory) yield* walk(p);
    else if (e.isFile && e.name !== ".sops.yaml") yield p;
  }
}

async function updateOne(path: string, options: UpdateKeysOptions): Promise<UpdateKeysResult> {
  const format = formatForPath(path);
  const store = storeFor(format);
  const data = await Deno.readFile(path);
  let loaded;
  try {
    loaded = store.loadEncrypted(data, path);
  } catch (e) {
    return {
      path,
      status: "skipped",
      added: [],
      removed: [],
      reason: e instanceof SopsStateError ? "not encrypted with sops" : (e as Error).message,
    };
  }
  let wanted;
  try {
    wanted = await resolveKeys(path, options.configPath ? { configPath: options.configPath } : {});
  } catch (e) {
    if (e instanceof SopsNoMatchingRuleError) {
      return { path, status: "skipped", added: [], removed: [], reason: e.message };
    }
    throw e;
  }
  const md = loaded.metadata;
  const before = new Set(md.keyGroups.flat().map(keyId));
  const after = new Set(wanted.keyGroups.flat().map(keyId));
  const added = wanted.keyGroups.flat().filter((k) => !before.has(keyId(k))).map(describeKey);
  const removed = md.keyGroups.flat().filter((k) => !after.has(keyId(k))).map(describeKey);
  const sameShape = md.keyGroups.length === wanted.keyGroups.length &&
    (md.shamirThreshold ?? 0) === (wanted.shamirThreshold ?? 0);
  if (!added.length && !removed.length && sameShape) {
    return { path, status: "unchanged", added, removed };
  }
  if (options.dryRun) return { path, status: "updated", added, removed };
  const services = keyServices(options);
  const dataKey = await unwrapDataKey(md, services, path);
  // Keep existing wrapped keys for keys that stay, wrap for the new ones.
  md.keyGroups = wanted.keyGroups.map((g) => g.map((k) => ({ ...k })));
  md.shamirThreshold = wanted.shamirThreshold;
  await wrapDataKey(md, dataKey, services);
  await writeFileAtomic(path, store.emitEncrypted(loaded.branches, md));
  return { path, status: "updated", added, removed };
}

/**
 * Re-keys one encrypted file or every encrypted file under a directory so its
 * master keys match the creation rules (added and removed recipients). The
 * encrypted values and the MAC are not touched.
 *
 * @param target A file or a directory (walked recursively).
 * @param options Key sources, config path, dry run.
 * @returns One result per file.
 * @throws {SopsDecryptKeyError} When a file's data key cannot be recovered.
 *
 * @example Add a recipient to every secret in a tree
 * ```ts ignore
 * import { updateKeys } from "@bosun/sdk";
 * const results = await updateKeys("k8s/");
 * console.log(results.filter((r) => r.status === "updated").length, "files re-keyed");
 * ```
 */
export async function updateKeys(
  target: string,
  options: UpdateKeysOptions = {},
): Promise<UpdateKeysResult[]> {
  const info = await Deno.stat(target).catch((cause) => {
    throw new SopsError(`Cannot update keys of ${target}: it does not exist`, {
      path: target,
      cause,
    });
  });
  const files: string[] = [];
  if (info.isDirectory) { for await (const f of walk(target.replace(/\/$/, ""))) files.push(f); }
  else files.push(target);
  const results: UpdateKeysResult[] = [];
  for (const f of files) {
    const step = (options.reporter ?? silentReporter).step(`updatekeys ${f}`);
    try {
      const r = await updateOne(f, options);
      results.push(r);
      if (r.status === "skipped") step.skip(r.reason ?? "skipped");
      else step.succeed(r.status);
    } catch (e) {
      if (!info.isDirectory) throw e;
      results.push({
        path: f,
        status: "failed",
        added: [],
        removed: [],
        reason: (e as Error).message,
      });
      step.fail(e);
    }
  }
  return results;
}
