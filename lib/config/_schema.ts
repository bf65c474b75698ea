/**
 * A tiny schema language: one description of the config gives its defaults,
 * its validation (with field paths and "did you mean") and its JSON schema.
 *
 * @module
 */

/** A problem found in a config, located by its field path. */
export interface ConfigProblem {
  /** Dotted field path, such as `spec.cni` or `spec.registry.mirrors["docker.io"]`. */
  readonly path: string;
  /** What is wrong, in a sentence. */
  readonly message: string;
  /** The offending value, when there is one. */
  readonly value?: unknown;
  /** The allowed values, for enums and known keys. */
  readonly allowed?: readonly string[];
  /** The closest allowed value, when one is close. */
  readonly suggestion?: string;
  /** 1-based line in the source file, when known. */
  readonly line?: number;
  /** 1-based column in the source file, when known. */
  readonly column?: number;
}

interface Base {
  readonly description: string;
  readonly default?: unknown;
}

/** A string field, optionally checked by a pattern or a custom check. */
export interface StringNode extends Base {
  readonly type: "string";
  readonly pattern?: RegExp;
  readonly patternHint?: string;
  readonly check?: (value: string) => string | undefined;
}
/** An integer field with bounds. */
export interface IntNode extends Base {
  readonly type: "integer";
  readonly minimum?: number;
  readonly maximum?: number;
}
/** A boolean field. */
export interface BoolNode extends Base {
  readonly type: "boolean";
}
/** One of a fixed set of strings. */
export interface EnumNode extends Base {
  readonly type: "enum";
  readonly values: readonly string[];
}
/** An object with known keys; unknown keys are errors. */
export interface ObjectNode extends Base {
  readonly type: "object";
  readonly properties: Readonly<Record<string, SchemaNode>>;
  readonly required?: readonly string[];
}
/** A map from free (or constrained) keys to values of one shape. */
export interface RecordNode extends Base {
  readonly type: "record";
  /** The known keys: with `openKeys`, the ones suggested for near misses; otherwise the only ones allowed. */
  readonly keys?: readonly string[];
  /** Accept keys beyond `keys` that match `keyPattern`, unless they are a near miss of a known key. */
  readonly openKeys?: boolean;
  readonly keyPattern?: RegExp;
  readonly keyHint?: string;
  readonly items: SchemaNode;
}
/** A list of values of one shape. */
export interface ArrayNode extends Base {
  readonly type: "array";
  readonly items: SchemaNode;
}
/** Free-form data (Helm values). */
export interface AnyObjectNode extends Base {
  readonly type: "any-object";
}

/** Any schema node. */
export type SchemaNode =
  | StringNode
  | IntNode
  | BoolNode
  | EnumNode
  | ObjectNode
  | RecordNode
  | ArrayNode
  | AnyObjectNode;

/** Returns the allowed value closest to `value`, when it is close enough to be a typo. */
export function didYouMean(value: string, allowed: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of allowed) {
    const d = distance(value.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  const limit = Math.max(2, Math.floor((best?.length ?? 0) / 3));
  return bestDistance <= limit ? best : undefined;
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length]!;
}

function joinPath(path: string, key: string): string {
  const safe = /^[A-Za-z_][\w]*$/.test(key) ? key : JSON.stringify(key);
  if (!path) return safe;
  return safe.startsWith('"') ? `${path}[${safe}]` : `${path}.${safe}`;
}

function typeName(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  return `${typeof value} ${JSON.stringify(value)}`;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Validates `value` against `node`, collecting every problem (never only the first). */
export function validateNode(
  node: SchemaNode,
  value: unknown,
  path: string,
  out: ConfigProblem[],
): void {
  if (value === undefined) return;
  switch (node.type) {
    case "string": {
      if (typeof value !== "string") {
        out.push({ path, value, message: `must be a string, not ${typeName(value)}` });
        return;
      }
      if (node.pattern && !node.pattern.test(value)) {
        out.push({
          path,
          value,
          message: `${JSON.stringify(value)} is not valid: ${node.patternHint ?? node.pattern}`,
        });
        return;
      }
      const why = node.check?.(value);
      if (why) out.push({ path, value, message: `${JSON.stringify(value)} ${why}` });
      return;
    }
    case "integer": {
      if (typeof value !== "number" || !Number.isInteger(value)) {
        out.push({ path, value, message: `must be an integer, not ${typeName(value)}` });
        return;
      }
      if (node.minimum !== undefined && value < node.minimum) {
        out.push({ path, value, message: `must be at least ${node.minimum}, got ${value}` });
      } else if (node.maximum !== undefined && value > node.maximum) {
        out.push({ path, value, message: `must be at most ${node.maximum}, got ${value}` });
      }
      return;
    }
    case "boolean":
      if (typeof value !== "boolean") {
        out.push({ path, value, message: `must be true or false, not ${typeName(value)}` });
      }
      return;
    case "enum": {
      if (typeof value === "string" && node.values.includes(value)) return;
      const suggestion = typeof value === "string" ? didYouMean(value, node.values) : undefined;
      out.push({
        path,
        value,
        allowed: node.values,
        ...(suggestion ? { suggestion } : {}),
        message: `${JSON.stringify(value)} is not one of ${node.values.join(", ")}${
          suggestion ? ` (did you mean ${JSON.stringify(suggestion)}?)` : ""
        }`,
      });
      return;
    }
    case "array":
      if (!Array.isArray(value)) {
        out.push({ path, value, message: `must be a list, not ${typeName(value)}` });
        return;
      }
      value.forEach((item, i) => validateNode(node.items, item, `${path}[${i}]`, out));
      return;
    case "any-object":
      if (!isPlainObject(value)) {
        out.push({ path, value, message: `must be a mapping, not ${typeName(value)}` });
      }
      return;
    case "object": {
      if (!isPlainObject(value)) {
        out.push({ path, value, message: `must be a mapping, not ${typeName(value)}` });
        return;
      }
      const known = Object.keys(node.properties);
      for (const [key, child] of Object.entries(value)) {
        const prop = node.properties[key];
        if (prop) {
          validateNode(prop, child, joinPath(path, key), out);
          continue;
        }
        const suggestion = didYouMean(key, known);
        out.push({
          path: joinPath(path, key),
          allowed: known,
          ...(suggestion ? { suggestion } : {}),
          message: `unknown field ${JSON.stringify(key)}${
            suggestion ? ` (did you mean ${JSON.stringify(suggestion)}?)` : ""
          }; known fields: ${known.join(", ")}`,
        });
      }
      for (const key of node.required ?? []) {
        if (value[key] === undefined) {
          out.push({ path: joinPath(path, key), message: "is required" });
        }
      }
      return;
    }
    case "record": {
      if (!isPlainObject(value)) {
        out.push({ path, value, message: `must be a mapping, not ${typeName(value)}` });
        return;
      }
      for (const [key, child] of Object.entries(value)) {
        const at = joinPath(path, key);
        if (node.keys && !node.keys.includes(key)) {
          const suggestion = didYouMean(key, node.keys);
          if (node.openKeys && suggestion === undefined) {
            if (node.keyPattern && !node.keyPattern.test(key)) {
              out.push({
                path: at,
                message: `key ${JSON.stringify(key)} is not valid: ${
                  node.keyHint ?? node.keyPattern
                }`,
              });
            } else validateNode(node.items, child, at, out);
            continue;
          }
          out.push({
            path: at,
            allowed: node.keys,
            ...(suggestion ? { suggestion } : {}),
            message: `unknown key ${JSON.stringify(key)}${
              suggestion ? ` (did you mean ${JSON.stringify(suggestion)}?)` : ""
            }; ${node.openKeys ? "known" : "allowed"}: ${node.keys.join(", ")}`,
          });
          continue;
        }
        if (node.keyPattern && !node.keyPattern.test(key)) {
          out.push({
            path: at,
            message: `key ${JSON.stringify(key)} is not valid: ${node.keyHint ?? node.keyPattern}`,
          });
          continue;
        }
        validateNode(node.items, child, at, out);
      }
      return;
    }
  }
}

/** Fills every missing field that has a default, recursively; returns a new value. */
export function fillDefaults(node: SchemaNode, value: unknown): unknown {
  if (node.type === "object") {
    const source = isPlainObject(value) ? value : {};
    const out: Record<string, unknown> = { ...source };
    for (const [key, child] of Object.entries(node.properties)) {
      const filled = fillDefaults(child, source[key]);
      if (filled !== undefined) out[key] = filled;
    }
    return out;
  }
  if (value !== undefined) {
    if (node.type === "record" && isPlainObject(value)) {
      return Object.fromEntries(
        Object.entries(value).map(([k, v]) => [k, fillDefaults(node.items, v)]),
      );
    }
    return structuredClone(value);
  }
  return node.default === undefined ? undefined : structuredClone(node.default);
}

/** Removes every field equal to its default; returns a new value (or undefined when all default). */
export function stripDefaults(node: SchemaNode, value: unknown): unknown {
  if (value === undefined) return undefined;
  if (node.type === "object" && isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(value)) {
      const prop = node.properties[key];
      const stripped = prop ? stripDefaults(prop, child) : child;
      if (stripped !== undefined) out[key] = stripped;
    }
    return Object.keys(out).length === 0 ? undefined : out;
  }
  if (node.default !== undefined && deepEqual(node.default, value)) return undefined;
  if ((node.type === "record" || node.type === "array") && isEmpty(value)) return undefined;
  return value;
}

function isEmpty(value: unknown): boolean {
  return (Array.isArray(value) && value.length === 0) ||
    (isPlainObject(value) && Object.keys(value).length === 0);
}

/** Structural equality for JSON-like values. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) =>
    deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])
  );
}

/** Renders `node` as a JSON Schema (draft 2020-12) object. */
export function toJsonSchema(node: SchemaNode): Record<string, unknown> {
  const common: Record<string, unknown> = { description: node.description };
  if (node.default !== undefined) common.default = node.default;
  switch (node.type) {
    case "string":
      return {
        type: "string",
        ...(node.pattern ? { pattern: node.pattern.source } : {}),
        ...common,
      };
    case "integer":
      return {
        type: "integer",
        ...(node.minimum !== undefined ? { minimum: node.minimum } : {}),
        ...(node.maximum !== undefined ? { maximum: node.maximum } : {}),
        ...common,
      };
    case "boolean":
      return { type: "boolean", ...common };
    case "enum":
      return { type: "string", enum: [...node.values], ...common };
    case "array":
      return { type: "array", items: toJsonSchema(node.items), ...common };
    case "any-object":
      return { type: "object", ...common };
    case "object":
      return {
        type: "object",
        properties: Object.fromEntries(
          Object.entries(node.properties).map(([k, v]) => [k, toJsonSchema(v)]),
        ),
        ...(node.required?.length ? { required: [...node.required] } : {}),
        additionalProperties: false,
        ...common,
      };
    case "record":
      return {
        type: "object",
        ...(node.keys
          ? {
            properties: Object.fromEntries(node.keys.map((k) => [k, toJsonSchema(node.items)])),
            ...(node.openKeys
              ? {
                ...(node.keyPattern ? { propertyNames: { pattern: node.keyPattern.source } } : {}),
                additionalProperties: toJsonSchema(node.items),
              }
              : { additionalProperties: false }),
          }
          : {
            ...(node.keyPattern ? { propertyNames: { pattern: node.keyPattern.source } } : {}),
            additionalProperties: toJsonSchema(node.items),
          }),
        ...common,
      };
  }
}
