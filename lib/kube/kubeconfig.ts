/**
 * Kubeconfig files: load (the `KUBECONFIG` list or `~/.kube/config`), merge one
 * cluster/user/context in, remove a context. Edits keep every other entry
 * byte-for-byte; writes are atomic, locked and mode 0600.
 *
 * @module
 */

import { resolve } from "node:path";
import { loadMerged, mergeInto, removeFrom } from "./_kubeconfig.ts";

/** A kubeconfig document as plain data (`clusters`, `users`, `contexts`, `current-context`). */
export interface KubeconfigData {
  /** Named clusters. */
  clusters?: Array<{ name: string; cluster: Record<string, unknown> }>;
  /** Named users. */
  users?: Array<{ name: string; user: Record<string, unknown> }>;
  /** Named contexts. */
  contexts?: Array<
    { name: string; context: { cluster: string; user: string; namespace?: string } }
  >;
  /** The current context's name. */
  "current-context"?: string;
  /** Other top-level fields (`apiVersion`, `kind`, `preferences`). */
  [key: string]: unknown;
}

/** Options for {@linkcode kubeconfigPaths} and {@linkcode loadKubeconfig}. */
export interface KubeconfigPathOptions {
  /** An explicit path (or `:`-separated list). @default `$KUBECONFIG`, else `~/.kube/config` */
  readonly kubeconfig?: string | undefined;
}

/** Options for {@linkcode mergeKubeconfig}. */
export interface MergeKubeconfigOptions extends KubeconfigPathOptions {
  /** Make the merged context current. @default false */
  readonly setCurrentContext?: boolean;
  /** Give up waiting for the lock file after this long. @default 10000 */
  readonly lockTimeoutMs?: number;
}

/** Options for {@linkcode removeKubeconfigContext}. */
export interface RemoveKubeconfigOptions extends KubeconfigPathOptions {
  /** Give up waiting for the lock file after this long. @default 10000 */
  readonly lockTimeoutMs?: number;
}

/** What {@linkcode removeKubeconfigContext} removed. */
export interface RemovedEntries {
  /** The context, or `undefined` when it did not exist. */
  readonly context: string | undefined;
  /** The cluster, when no other context used it. */
  readonly cluster: string | undefined;
  /** The user, when no other context used it. */
  readonly user: string | undefined;
}

/**
 * The kubeconfig files in effect, in precedence order: `options.kubeconfig`,
 * else the `KUBECONFIG` list, else `~/.kube/config`.
 *
 * @param options An explicit path.
 * @returns The absolute paths, repeats dropped ({@linkcode kubeconfigFile} says which one writes go to).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { kubeconfigPaths } from "@bosun/sdk";
 * assert.equal(kubeconfigPaths({ kubeconfig: "/a:/b" }).length, 2);
 * ```
 */
export function kubeconfigPaths(options: KubeconfigPathOptions = {}): string[] {
  return _paths(options);
}

/**
 * The one kubeconfig file that writes go to, with kubectl's rules (client-go's
 * `PathOptions.GetDefaultFilename`): an explicit path; else, from the
 * `KUBECONFIG` list, its only entry, or the first entry that exists, or (when
 * none exists) the last; else `~/.kube/config`. The path is absolute: `~` is
 * expanded and a relative path resolved against the working directory.
 *
 * @param options An explicit path (a `:`-separated list follows the `KUBECONFIG` rules).
 * @returns The absolute path (the file need not exist).
 *
 * @example A KUBECONFIG list where no file exists yet: the last one is written
 * ```ts
 * import assert from "node:assert/strict";
 * import { kubeconfigFile } from "@bosun/sdk";
 * assert.equal(kubeconfigFile({ kubeconfig: "/nonexistent/a:/nonexistent/b" }), "/nonexistent/b");
 * ```
 */
export function kubeconfigFile(options: KubeconfigPathOptions = {}): string {
  const paths = _paths(options);
  if (paths.length === 1) return paths[0]!;
  return paths.find(_exists) ?? paths[paths.length - 1]!;
}

/**
 * Loads and merges the kubeconfig files in effect, with kubectl's rules: the
 * first file that defines a name wins, and the first `current-context` set wins.
 * Missing files are skipped.
 *
 * @param options An explicit path.
 * @returns The merged data and the files read.
 * @throws {KubeconfigError} A file exists but is not valid YAML.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadKubeconfig } from "@bosun/sdk";
 * const { data } = await loadKubeconfig({ kubeconfig: "/nonexistent/config" });
 * assert.equal((data.contexts ?? []).length, 0);
 * ```
 */
export async function loadKubeconfig(
  options: KubeconfigPathOptions = {},
): Promise<{ data: KubeconfigData; paths: string[] }> {
  return await loadMerged(_paths(options));
}

/**
 * Adds or replaces the clusters, users and contexts of `fragment` (typically
 * the one-context kubeconfig a cluster tool prints) in the kubeconfig file
 * ({@linkcode kubeconfigFile}).
 * Entries with the same name are replaced in place; new ones are appended;
 * every other entry, comment and formatting is left byte-for-byte as it was.
 *
 * @param fragment Kubeconfig YAML text or data.
 * @param options Target file and whether to switch the current context.
 * @returns The path written.
 * @throws {KubeconfigError} The fragment or the file is invalid, or the lock cannot be taken.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { mergeKubeconfig } from "@bosun/sdk";
 * const dir = await Deno.makeTempDir();
 * await mergeKubeconfig({
 *   clusters: [{ name: "dev", cluster: { server: "https://127.0.0.1:6443" } }],
 *   users: [{ name: "dev", user: { token: "t" } }],
 *   contexts: [{ name: "dev", context: { cluster: "dev", user: "dev" } }],
 * }, { kubeconfig: `${dir}/config`, setCurrentContext: true });
 * assert.ok((await Deno.readTextFile(`${dir}/config`)).includes("current-context: dev"));
 * ```
 */
export async function mergeKubeconfig(
  fragment: string | KubeconfigData,
  options: MergeKubeconfigOptions = {},
): Promise<string> {
  return await mergeInto(kubeconfigFile(options), fragment, options);
}

/**
 * Removes a context, and its cluster and user when no other context uses them.
 * Unsets `current-context` when it pointed at the removed context. The file is
 * {@linkcode kubeconfigFile}'s.
 *
 * @param context The context name.
 * @param options Target file.
 * @returns What was removed (`context` is `undefined` when it was not there).
 * @throws {KubeconfigError} The file is invalid or the lock cannot be taken.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { removeKubeconfigContext } from "@bosun/sdk";
 * const dir = await Deno.makeTempDir();
 * const removed = await removeKubeconfigContext("dev", { kubeconfig: `${dir}/config` });
 * assert.equal(removed.context, undefined);
 * ```
 */
export async function removeKubeconfigContext(
  context: string,
  options: RemoveKubeconfigOptions = {},
): Promise<RemovedEntries> {
  return await removeFrom(kubeconfigFile(options), context, options);
}

function _paths(options: KubeconfigPathOptions): string[] {
  const raw = options.kubeconfig ?? Deno.env.get("KUBECONFIG");
  const list = _split(raw);
  return list.length > 0 ? list : [resolve(_home(), ".kube", "config")];
}

function _home(): string {
  return Deno.env.get("HOME") ?? Deno.env.get("USERPROFILE") ?? Deno.cwd();
}

/** A `:`-separated list (`;` on Windows) → absolute paths, `~` expanded, empties and repeats dropped. */
function _split(raw: string | undefined): string[] {
  const expand = (p: string) => p === "~" || p.startsWith("~/") ? `${_home()}${p.slice(1)}` : p;
  const list = (raw ?? "").split(Deno.build.os === "windows" ? ";" : ":").map((p) => p.trim())
    .filter(Boolean).map((p) => resolve(expand(p)));
  return [...new Set(list)];
}

function _exists(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}
