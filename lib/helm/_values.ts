/**
 * Private helpers: values files, canonical JSON, Chart.yaml reading.
 *
 * @module
 */

import { parse } from "yaml";

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

/** `<name>-<version>` from a local chart directory's Chart.yaml, or undefined. */
export async function localChartId(path: string): Promise<string | undefined> {
  try {
    const meta = parse(await Deno.readTextFile(`${path}/Chart.yaml`)) as {
      name?: unknown;
      version?: unknown;
    };
    if (typeof meta.name === "string" && meta.version !== undefined) {
      return `${meta.name}-${String(meta.version)}`;
    }
  } catch {
    // a packaged chart or an unreadable directory: Helm reports the real problem
  }
  return undefined;
}
