/**
 * Merging Helm values the way Helm merges values files.
 *
 * @module
 */

/** A JSON-compatible object of Helm values. */
export type Values = Readonly<Record<string, unknown>>;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/**
 * Deep-merges Helm values: objects merge key by key, everything else (arrays
 * included) in `override` replaces what is in `base`; a `null` in `override`
 * removes the key, as in Helm. Neither input is modified.
 *
 * @param base The values to start from.
 * @param override The values that win.
 * @returns A new merged object.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { mergeValues } from "@bosun/sdk";
 * const merged = mergeValues({ a: { b: 1, c: [1] }, d: 1 }, { a: { c: [2] }, d: null });
 * assert.equal(JSON.stringify(merged), '{"a":{"b":1,"c":[2]}}');
 * ```
 */
export function mergeValues(
  base: Readonly<Record<string, unknown>>,
  override: Readonly<Record<string, unknown>> | undefined,
): Record<string, unknown> {
  const out: Record<string, unknown> = structuredClone(base) as Record<string, unknown>;
  if (override === undefined) return out;
  for (const [key, value] of Object.entries(override)) {
    if (value === null) {
      delete out[key];
    } else if (isPlainObject(value) && isPlainObject(out[key])) {
      out[key] = mergeValues(out[key] as Record<string, unknown>, value);
    } else if (value !== undefined) {
      out[key] = structuredClone(value);
    }
  }
  return out;
}
