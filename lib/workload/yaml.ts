/**
 * Serialising manifests: one YAML document per object.
 *
 * @module
 */

import { parseAllDocuments, stringify } from "yaml";

/**
 * Serialises one or more objects as a YAML stream, one document per object,
 * separated by `---`.
 *
 * @param objects The objects.
 * @returns The YAML text, ending with a newline.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { namespaceManifest, toYaml } from "@bosun/sdk";
 * const text = toYaml([namespaceManifest("a"), namespaceManifest("b")]);
 * assert.ok(text.includes("---"));
 * ```
 */
export function toYaml(objects: unknown | readonly unknown[]): string {
  const list = Array.isArray(objects) ? objects : [objects];
  return list.map((o) => stringify(o, { lineWidth: 0 })).join("---\n");
}

/**
 * Parses a YAML stream into its non-empty documents.
 *
 * @param text YAML text, possibly with several documents.
 * @returns The documents as plain values (empty documents are dropped).
 * @throws {SyntaxError} When a document is not valid YAML.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseYamlStream } from "@bosun/sdk";
 * assert.equal(parseYamlStream("a: 1\n---\nb: 2\n").length, 2);
 * ```
 */
export function parseYamlStream(text: string): unknown[] {
  const out: unknown[] = [];
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length > 0) throw new SyntaxError(doc.errors[0]!.message);
    const value = doc.toJS();
    if (value !== null && value !== undefined) out.push(value);
  }
  return out;
}
