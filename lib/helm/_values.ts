/**
 * Private helpers: values files, canonical JSON, local chart digests.
 *
 * @module
 */

import type { Values } from "./values.ts";

/**
 * Writes values to a fresh private directory (0700) as a 0600 file and runs
 * `work` with its path; the directory is removed afterwards.
 */
export async function withValuesFile<T>(
  values: Values,
  work: (path: string) => Promise<T>,
): Promise<T> {
  const dir = await Deno.makeTempDir({ prefix: "bosun-helm-" });
  try {
    await Deno.chmod(dir, 0o700);
    const path = `${dir}/values.json`;
    // JSON is YAML: Helm reads it as a values file, and no YAML text is built by hand.
    await Deno.writeTextFile(path, JSON.stringify(values), { mode: 0o600, createNew: true });
    return await work(path);
  } finally {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}

/** JSON with object keys sorted, so equal values compare equal as text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = sortKeys(v);
    }
    return out;
  }
  return value;
}

/** The prefix of the release description that records a local chart's digest. */
export const CHART_DIGEST_PREFIX = "Bosun: local chart ";

/**
 * A digest of everything in a local chart: for a directory, every file's path (relative,
 * sorted) and bytes, `.git/` left out; for a packaged `.tgz`, its bytes. Two charts with the
 * same name and version but different templates get different digests.
 *
 * @returns `sha256:<hex>`, or `undefined` when the path cannot be read (Helm reports why).
 */
export async function localChartDigest(path: string): Promise<string | undefined> {
  const parts: Uint8Array[] = [];
  const encoder = new TextEncoder();
  const walk = async (dir: string, rel: string): Promise<void> => {
    const entries: { name: string; isDirectory: boolean }[] = [];
    for await (const entry of Deno.readDir(dir)) {
      const info = entry.isSymlink ? await Deno.stat(`${dir}/${entry.name}`) : entry;
      entries.push({ name: entry.name, isDirectory: info.isDirectory });
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const name = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory) {
        if (name !== ".git") await walk(`${dir}/${entry.name}`, name);
        continue;
      }
      const bytes = await Deno.readFile(`${dir}/${entry.name}`);
      parts.push(encoder.encode(`${name}\0${bytes.length}\0`), bytes);
    }
  };
  try {
    const info = await Deno.stat(path);
    if (info.isDirectory) await walk(path, "");
    else parts.push(await Deno.readFile(path));
  } catch {
    return undefined;
  }
  const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.length;
  }
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", all));
  return `sha256:${Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("")}`;
}
