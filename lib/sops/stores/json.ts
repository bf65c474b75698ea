/**
 * JSON and binary stores. Key order is kept and integers stay apart from
 * floats (sops tags them differently), so the parser is hand-written.
 *
 * @module
 */

import { Branch, Comment, Float, Int, Time, type TreeItem, type TreeValue } from "../_tree.ts";
import { formatFloatJSON } from "../_gofmt.ts";
import { SopsFormatError } from "../errors.ts";
import {
  extractMetadata,
  hasMetadata,
  insertMetadata,
  type SopsStore,
  type StoreOptions,
} from "./_store.ts";
import type { SopsMetadata } from "../metadata.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

class Parser {
  pos = 0;
  constructor(readonly s: string, readonly path: string | undefined) {}

  fail(what: string): never {
    const before = this.s.slice(0, this.pos);
    const line = before.split("\n").length;
    throw new SopsFormatError(
      `Cannot parse ${this.path ?? "the input"} as JSON: ${what} at line ${line}`,
      { path: this.path },
    );
  }

  ws(): void {
    const s = this.s;
    let p = this.pos;
    while (p < s.length) {
      const c = s.charCodeAt(p);
      if (c === 32 || c === 9 || c === 10 || c === 13) p++;
      else break;
    }
    this.pos = p;
  }

  value(): TreeValue {
    this.ws();
    const c = this.s[this.pos];
    if (c === "{") return this.object();
    if (c === "[") return this.array();
    if (c === '"') return this.string();
    if (c === "t" && this.s.startsWith("true", this.pos)) {
      this.pos += 4;
      return true;
    }
    if (c === "f" && this.s.startsWith("false", this.pos)) {
      this.pos += 5;
      return false;
    }
    if (c === "n" && this.s.startsWith("null", this.pos)) {
      this.pos += 4;
      return null;
    }
    return this.number();
  }

  number(): TreeValue {
    const re = /-?(?:0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?/y;
    re.lastIndex = this.pos;
    const m = re.exec(this.s);
    if (!m || m[0] === "" || m[0] === "-") this.fail("unexpected character");
    this.pos += m[0].length;
    if (m[1] === undefined && m[2] === undefined) {
      const b = BigInt(m[0]);
      if (b >= INT64_MIN && b <= INT64_MAX) return new Int(b);
    }
    return new Float(Number(m[0]));
  }

  string(): string {
    const s = this.s;
    let p = this.pos + 1;
    let out = "";
    let start = p;
    for (;;) {
      if (p >= s.length) this.fail("unterminated string");
      const c = s.charCodeAt(p);
      if (c === 34) break;
      if (c === 92) {
        out += s.slice(start, p);
        const e = s[p + 1];
        p += 2;
        switch (e) {
          case '"':
          case "\\":
          case "/":
            out += e;
            break;
          case "b":
            out += "\b";
            break;
          case "f":
            out += "\f";
            break;
          case "n":
            out += "\n";
            break;
          case "r":
            out += "\r";
            break;
          case "t":
            out += "\t";
            break;
          case "u": {
            const hex = s.slice(p, p + 4);
            if (!/^[0-9a-fA-F]{4}$/.test(hex)) {
              this.pos = p;
              this.fail("bad unicode escape");
            }
            out += String.fromCharCode(parseInt(hex, 16));
            p += 4;
            break;
          }
          default:
            this.pos = p;
            this.fail("bad escape");
        }
        start = p;
        continue;
      }
      if (c < 32) {
        this.pos = p;
        this.fail("control character in string");
      }
      p++;
    }
    out += s.slice(start, p);
    this.pos = p + 1;
    return out;
  }

  array(): TreeValue[] {
    this.pos++;
    const out: TreeValue[] = [];
    this.ws();
    if (this.s[this.pos] === "]") {
      this.pos++;
      return out;
    }
    for (;;) {
      out.push(this.value());
      this.ws();
      const c = this.s[this.pos++];
      if (c === "]") return out;
      if (c !== ",") {
        this.pos--;
        this.fail("expected , or ]");
      }
    }
  }

  object(): Branch {
    this.pos++;
    const items: TreeItem[] = [];
    this.ws();
    if (this.s[this.pos] === "}") {
      this.pos++;
      return new Branch(items);
    }
    for (;;) {
      this.ws();
      if (this.s[this.pos] !== '"') this.fail("expected an object key");
      const key = this.string();
      this.ws();
      if (this.s[this.pos++] !== ":") {
        this.pos--;
        this.fail("expected :");
      }
      items.push({ key, value: this.value() });
      this.ws();
      const c = this.s[this.pos++];
      if (c === "}") return new Branch(items);
      if (c !== ",") {
        this.pos--;
        this.fail("expected , or }");
      }
    }
  }
}

/** Parses JSON text whose top level is an object. */
export function parseJsonTree(text: string, path?: string): Branch {
  const p = new Parser(text, path);
  p.ws();
  if (p.s[p.pos] !== "{") {
    throw new SopsFormatError(
      `Cannot use ${
        path ?? "the input"
      }: sops only supports JSON files with a top-level object; wrap it, e.g. {"data": [...]}`,
      { path },
    );
  }
  const b = p.object();
  p.ws();
  if (p.pos < text.length) p.fail("unexpected data after the top-level object");
  return b;
}

/** Go `json.Marshal` string quoting (HTML-safe escapes included). */
export function goJsonString(s: string): string {
  // deno-lint-ignore no-control-regex
  return '"' + s.replace(/[\u0000-\u001f"\\<>&\u2028\u2029]/g, (c) => {
    switch (c) {
      case '"':
        return '\\"';
      case "\\":
        return "\\\\";
      case "\n":
        return "\\n";
      case "\r":
        return "\\r";
      case "\t":
        return "\\t";
      default:
        return "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0");
    }
  }) + '"';
}

function encodeValue(v: TreeValue, indent: string, level: number): string {
  const pad = indent ? "\n" + indent.repeat(level + 1) : "";
  const end = indent ? "\n" + indent.repeat(level) : "";
  if (v instanceof Branch) {
    const parts: string[] = [];
    for (const item of v.items) {
      if (item.key instanceof Comment) continue;
      parts.push(`${pad}${goJsonString(item.key)}: ${encodeValue(item.value, indent, level + 1)}`);
    }
    return parts.length ? `{${parts.join(",")}${end}}` : "{}";
  }
  if (Array.isArray(v)) {
    const parts: string[] = [];
    for (const item of v) {
      if (item instanceof Comment) continue;
      parts.push(`${pad}${encodeValue(item, indent, level + 1)}`);
    }
    return parts.length ? `[${parts.join(",")}${end}]` : "[]";
  }
  if (v === null) return "null";
  if (typeof v === "string") return goJsonString(v);
  if (typeof v === "boolean") return v ? "true" : "false";
  if (v instanceof Int) return v.text;
  if (v instanceof Float) return formatFloatJSON(v.value);
  if (v instanceof Time) return goJsonString(v.text);
  if (v instanceof Uint8Array) return goJsonString(btoa(String.fromCharCode(...v)));
  return "null";
}

/** The JSON store (tab indentation by default, like sops). */
export class JsonStore implements SopsStore {
  /** Format name. */
  readonly format: "json" | "binary" = "json";
  readonly #indent: string;
  /** Builds the store; `indent` is a number of spaces (default: a tab). */
  constructor(options: StoreOptions = {}) {
    this.#indent = options.indent === undefined || options.indent < 0
      ? "\t"
      : " ".repeat(options.indent);
  }
  /** Parses a JSON object. */
  loadPlain(data: Uint8Array, path?: string): Branch[] {
    return [parseJsonTree(dec.decode(data), path)];
  }
  /** Writes a JSON object. */
  emitPlain(branches: Branch[]): Uint8Array {
    return enc.encode(encodeValue(branches[0] ?? new Branch(), this.#indent, 0) + "\n");
  }
  /** Parses an encrypted JSON file. */
  loadEncrypted(data: Uint8Array, path?: string): { branches: Branch[]; metadata: SopsMetadata } {
    return extractMetadata(JsonStore.prototype.loadPlain.call(this, data, path), "nested", path);
  }
  /** Writes an encrypted JSON file. */
  emitEncrypted(branches: Branch[], metadata: SopsMetadata): Uint8Array {
    return JsonStore.prototype.emitPlain.call(this, insertMetadata(branches, metadata, "nested"));
  }
  /** Writes one value as JSON. */
  emitValue(value: TreeValue): Uint8Array {
    if (typeof value === "string") return enc.encode(value);
    return enc.encode(encodeValue(value, this.#indent, 0));
  }
  /** Whether there is a top-level `sops` key. */
  hasMetadata(branches: readonly Branch[]): boolean {
    return hasMetadata(branches, "nested");
  }
}

/** The binary store: the whole file is one value under `data`, stored as JSON. */
export class BinaryStore extends JsonStore {
  /** Format name. */
  override readonly format = "binary" as const;
  /** Wraps the bytes as `{"data": "<text>"}`. */
  override loadPlain(data: Uint8Array): Branch[] {
    return [new Branch([{ key: "data", value: dec.decode(data) }])];
  }
  /**
   * Returns the `data` value.
   *
   * @throws {SopsFormatError} When there is no string `data` key.
   */
  override emitPlain(branches: Branch[]): Uint8Array {
    const v = branches[0]?.get("data");
    if (typeof v === "string") return enc.encode(v);
    if (v instanceof Uint8Array) return v;
    throw new SopsFormatError("Cannot emit the binary file: no string 'data' key in the tree");
  }
  /**
   * Extracting one value is not possible in a binary file.
   *
   * @throws {SopsFormatError} Always.
   */
  override emitValue(_value: TreeValue): Uint8Array {
    throw new SopsFormatError(
      "Binary files are not structured and extracting a single value is not possible",
    );
  }
}
