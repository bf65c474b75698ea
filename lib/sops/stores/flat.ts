/**
 * The flat stores: dotenv (`KEY=value`, metadata as `sops_*` keys) and INI
 * (sections, metadata in a `[sops]` section), laid out as sops writes them.
 *
 * @module
 */

import { Branch, Comment, Float, Int, Time, type TreeItem, type TreeValue } from "../_tree.ts";
import { SopsFormatError } from "../errors.ts";
import { formatFloatG } from "../_gofmt.ts";
import { extractMetadata, hasMetadata, insertMetadata, type SopsStore } from "./_store.ts";
import type { SopsMetadata } from "../metadata.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();

/** sops's `ValToString` for scalar values. */
export function valToString(v: TreeValue): string {
  if (typeof v === "string") return v;
  if (typeof v === "boolean") return v ? "true" : "false";
  if (v instanceof Int) return v.text;
  if (v instanceof Float) {
    const s = formatFloatG(v.value).toUpperCase();
    return s.includes(".") || s.includes("E") ? s : v.value.toFixed(1);
  }
  if (v instanceof Time) return v.text;
  if (v === null) return "<nil>";
  if (v instanceof Uint8Array) return dec.decode(v);
  throw new SopsFormatError("Cannot use a nested value in a flat (dotenv/INI) file");
}

function isComplex(v: TreeValue): boolean {
  return v instanceof Branch || Array.isArray(v);
}

/** The dotenv store. */
export class DotenvStore implements SopsStore {
  /** Format name. */
  readonly format = "dotenv" as const;
  /**
   * Parses `KEY=value` lines; `#` lines are comments.
   *
   * @throws {SopsFormatError} On a line without `=`.
   */
  loadPlain(data: Uint8Array, path?: string): Branch[] {
    const items: TreeItem[] = [];
    for (const line of dec.decode(data).split("\n")) {
      if (line.length === 0) continue;
      if (line[0] === "#") {
        items.push({ key: new Comment(line.slice(1)), value: null });
        continue;
      }
      const pos = line.indexOf("=");
      if (pos < 0) {
        throw new SopsFormatError(
          `Cannot parse ${path ?? "the input"} as dotenv: a line has no "=" (line ${
            items.length + 1
          })`,
          { path },
        );
      }
      items.push({ key: line.slice(0, pos), value: line.slice(pos + 1).replaceAll("\\n", "\n") });
    }
    return [new Branch(items)];
  }
  /**
   * Writes `KEY=value` lines.
   *
   * @throws {SopsFormatError} On nested values.
   */
  emitPlain(branches: Branch[]): Uint8Array {
    let out = "";
    for (const item of branches[0]?.items ?? []) {
      if (isComplex(item.value)) {
        throw new SopsFormatError(
          `Cannot use a complex value in a dotenv file; offending key ${String(item.key)}`,
        );
      }
      if (item.key instanceof Comment) out += `#${item.key.value}\n`;
      else {
        const v = typeof item.value === "string"
          ? item.value.replaceAll("\n", "\\n")
          : valToString(item.value);
        out += `${item.key}=${v}\n`;
      }
    }
    return enc.encode(out);
  }
  /** Parses an encrypted dotenv file. */
  loadEncrypted(data: Uint8Array, path?: string): { branches: Branch[]; metadata: SopsMetadata } {
    return extractMetadata(this.loadPlain(data, path), "full", path);
  }
  /** Writes an encrypted dotenv file. */
  emitEncrypted(branches: Branch[], metadata: SopsMetadata): Uint8Array {
    return this.emitPlain(insertMetadata(branches, metadata, "full"));
  }
  /**
   * Writes one string value.
   *
   * @throws {SopsFormatError} For non-strings.
   */
  emitValue(value: TreeValue): Uint8Array {
    if (typeof value === "string") return enc.encode(value);
    throw new SopsFormatError("The dotenv store only supports emitting strings");
  }
  /** Whether there is a `sops_*` key. */
  hasMetadata(branches: readonly Branch[]): boolean {
    return hasMetadata(branches, "full");
  }
}

function stripCommentChar(c: string): string {
  if (c.startsWith(";")) return c.replace(/^[; ]+/, "");
  if (c.startsWith("#")) return c.replace(/^[# ]+/, "");
  return c;
}

function unquote(raw: string): { value: string; comment: string } {
  const v = raw.trim();
  if (v.startsWith('"') && v.endsWith('"') && v.length >= 2) {
    return { value: v.slice(1, -1), comment: "" };
  }
  if (v.startsWith("`") && v.endsWith("`") && v.length >= 2) {
    return { value: v.slice(1, -1), comment: "" };
  }
  const i = v.search(/[#;]/);
  if (i >= 0) return { value: v.slice(0, i).trim(), comment: v.slice(i) };
  return { value: v, comment: "" };
}

/** The INI store. */
export class IniStore implements SopsStore {
  /** Format name. */
  readonly format = "ini" as const;
  /**
   * Parses sections and keys (go-ini rules: comments before a section or key
   * belong to it; `"""` values may span lines).
   *
   * @throws {SopsFormatError} On lines that are neither section, key nor comment.
   */
  loadPlain(data: Uint8Array, path?: string): Branch[] {
    const lines = dec.decode(data).replace(/^\uFEFF/, "").split(/\r?\n/);
    const sections: { name: string; comment: string; items: TreeItem[] }[] = [
      { name: "DEFAULT", comment: "", items: [] },
    ];
    let pending: string[] = [];
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!.trim();
      if (line === "") continue;
      if (line[0] === "#" || line[0] === ";") {
        pending.push(line);
        continue;
      }
      if (line[0] === "[") {
        const end = line.indexOf("]");
        if (end < 0) {
          throw new SopsFormatError(
            `Cannot parse ${path ?? "the input"} as INI: bad section at line ${i + 1}`,
            { path },
          );
        }
        sections.push({ name: line.slice(1, end).trim(), comment: pending.join("\n"), items: [] });
        pending = [];
        continue;
      }
      const m = /^(`[^`]*`|"[^"]*"|[^=:]+?)\s*[=:]\s?(.*)$/.exec(line);
      if (!m) {
        throw new SopsFormatError(
          `Cannot parse ${path ?? "the input"} as INI: line ${i + 1} is not a key = value pair`,
          { path },
        );
      }
      let key = m[1]!.trim();
      if (/^[`"].*[`"]$/.test(key)) key = key.slice(1, -1);
      let rawValue = m[2]!;
      let value: string;
      let inlineComment = "";
      if (rawValue.trimStart().startsWith('"""')) {
        let text = rawValue.trimStart().slice(3);
        let closed = text.indexOf('"""');
        while (closed < 0 && i + 1 < lines.length) {
          text += "\n" + lines[++i];
          closed = text.indexOf('"""');
        }
        value = closed < 0 ? text : text.slice(0, closed);
      } else {
        const u = unquote(rawValue);
        value = u.value;
        inlineComment = u.comment;
      }
      const section = sections[sections.length - 1]!;
      section.items.push({ key, value });
      const comments = [...pending, ...(inlineComment ? [inlineComment] : [])];
      if (comments.length) {
        section.items.push({
          key: new Comment(stripCommentChar(comments.join("\n"))),
          value: null,
        });
      }
      pending = [];
      rawValue = "";
    }
    const items: TreeItem[] = [];
    for (const s of sections) {
      if (s.name === "DEFAULT" && s.items.length === 0 && !s.comment) continue;
      const inner: TreeItem[] = s.comment
        ? [{ key: new Comment(stripCommentChar(s.comment)), value: null }, ...s.items]
        : s.items;
      items.push({ key: s.name, value: new Branch(inner) });
    }
    return [new Branch(items)];
  }

  /**
   * Writes sections with aligned keys, as go-ini does.
   *
   * @throws {SopsFormatError} When a top-level value is not a section.
   */
  emitPlain(branches: Branch[]): Uint8Array {
    const sections: string[] = [];
    for (const b of branches) {
      for (const item of b.items) {
        if (item.key instanceof Comment) continue;
        if (!(item.value instanceof Branch)) {
          throw new SopsFormatError("Cannot write INI: section values should always be mappings");
        }
        const entries: { key: string; value: string; comment: string }[] = [];
        let sectionComment = "";
        item.value.items.forEach((kv, idx) => {
          if (kv.key instanceof Comment) {
            if (idx === 0) sectionComment = kv.key.value;
            else if (entries.length) entries[entries.length - 1]!.comment = kv.key.value;
            return;
          }
          entries.push({ key: kv.key, value: valToString(kv.value), comment: "" });
        });
        let out = "";
        if (sectionComment) out += commentLine(sectionComment);
        if (item.key !== "DEFAULT") out += `[${item.key}]\n`;
        const width = Math.max(0, ...entries.map((e) => e.key.length));
        for (const e of entries) {
          if (e.comment) out += commentLine(e.comment);
          out += `${e.key}${" ".repeat(width - e.key.length)} = ${quoteIni(e.value)}\n`;
        }
        sections.push(out);
      }
    }
    return enc.encode(sections.join("\n"));
  }
  /** Parses an encrypted INI file. */
  loadEncrypted(data: Uint8Array, path?: string): { branches: Branch[]; metadata: SopsMetadata } {
    const branches = this.loadPlain(data, path);
    return extractMetadata(branches, "belowTop", path);
  }
  /** Writes an encrypted INI file. */
  emitEncrypted(branches: Branch[], metadata: SopsMetadata): Uint8Array {
    return this.emitPlain(insertMetadata(branches, metadata, "belowTop"));
  }
  /** Writes one value (JSON, as sops does for INI). */
  emitValue(value: TreeValue): Uint8Array {
    if (typeof value === "string") return enc.encode(value);
    return enc.encode(JSON.stringify(valueToJs(value)));
  }
  /** Whether there is a `[sops]` section. */
  hasMetadata(branches: readonly Branch[]): boolean {
    return hasMetadata(branches, "belowTop");
  }
}

function valueToJs(v: TreeValue): unknown {
  if (v instanceof Branch) {
    return Object.fromEntries(
      v.items.filter((i) => typeof i.key === "string").map((i) => [i.key, valueToJs(i.value)]),
    );
  }
  if (Array.isArray(v)) return v.filter((x) => !(x instanceof Comment)).map(valueToJs);
  return typeof v === "string" || typeof v === "boolean" || v === null ? v : valToString(v);
}

function commentLine(c: string): string {
  const text = c.startsWith("#") || c.startsWith(";") ? c : `; ${c}`;
  return text + "\n";
}

function quoteIni(v: string): string {
  if (/[\n`]/.test(v)) return `"""${v}"""`;
  if (/[#;]/.test(v)) return "`" + v + "`";
  if (v.trim().length !== v.length) return `"${v}"`;
  return v;
}
