/**
 * YAML store: multiple documents, key order and comments kept. Comments
 * become tree items the way sops's YAML store places them, so encrypted
 * comments use the same additional data.
 *
 * @module
 */

import {
  Document,
  isAlias,
  isMap,
  isScalar,
  isSeq,
  type Node as YamlNode,
  Pair,
  parseAllDocuments,
  Scalar,
  YAMLMap,
  YAMLSeq,
} from "yaml";
import { Branch, Comment, Float, Int, Time, type TreeItem, type TreeValue } from "../_tree.ts";
import { formatFloatG } from "../_gofmt.ts";
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

function commentLines(text: string | null | undefined, inline = false): Comment[] {
  if (!text) return [];
  return text.split("\n").filter((l) => l !== "").map((l) => new Comment(l, inline));
}

const TS_RE =
  /^(\d{4})-(\d\d?)-(\d\d?)(?:(?:[Tt](\d\d?):(\d\d?):(\d\d?)(\.\d+)?(Z|[+-]\d\d:\d\d))|(?: (\d\d?):(\d\d?):(\d\d?)(\.\d+)?))?$/;

/** Go's `time.Time.MarshalText` of a YAML timestamp, or undefined when it is not one. */
export function goTimestamp(s: string): string | undefined {
  const m = TS_RE.exec(s);
  if (!m) return undefined;
  const p2 = (x: string | undefined) => (x ?? "0").padStart(2, "0");
  const date = `${m[1]}-${p2(m[2])}-${p2(m[3])}`;
  const [h, mi, se, frac, zone] = m[4] !== undefined
    ? [m[4], m[5], m[6], m[7], m[8]]
    : [m[9], m[10], m[11], m[12], "Z"];
  const f = frac ? frac.replace(/0+$/, "") : "";
  const z = zone === undefined || zone === "Z" || zone === "+00:00" || zone === "-00:00"
    ? "Z"
    : zone;
  return `${date}T${p2(h)}:${p2(mi)}:${p2(se)}${f === "." ? "" : f}${z}`;
}

type AnyNode = YamlNode | Pair | null | undefined;

function scalarToTree(n: Scalar): TreeValue {
  const v = n.value;
  if (v === null || v === undefined) return null;
  if (typeof v === "bigint") return new Int(v);
  if (typeof v === "number") {
    if (
      Number.isInteger(v) && n.tag !== "tag:yaml.org,2002:float" &&
      !/[.eE]|inf|nan/i.test(String(n.source ?? ""))
    ) {
      return new Int(v);
    }
    return new Float(v);
  }
  if (typeof v === "boolean") return v;
  if (typeof v === "string") {
    if (n.type === "PLAIN" && !n.tag) {
      const t = goTimestamp(v);
      if (t) return new Time(t);
    }
    return v;
  }
  if (v instanceof Uint8Array) return dec.decode(v);
  if (v instanceof Date) return new Time(v.toISOString().replace(/\.000Z$/, "Z"));
  return String(v);
}

function nodeToTree(n: AnyNode, seen: Set<unknown>): TreeValue {
  if (n === null || n === undefined) return null;
  if (isAlias(n)) {
    throw new SopsFormatError("Internal: aliases must be resolved before conversion");
  }
  if (isScalar(n)) return scalarToTree(n);
  if (isMap(n)) return mapToBranch(n, seen, true);
  if (isSeq(n)) {
    const out: TreeValue[] = [...commentLines(n.commentBefore)];
    for (const item of n.items as AnyNode[]) {
      const node = item as YamlNode | null;
      if (node && !isScalar(node) && node.commentBefore) {
        if (isMap(node) || isSeq(node)) {
          // head comment of a collection item stays in the list
          out.push(...commentLines(node.commentBefore));
          node.commentBefore = null;
        }
      } else if (node && isScalar(node)) {
        out.push(...commentLines(node.commentBefore));
        out.push(...commentLines(node.comment, true));
      }
      out.push(nodeToTree(node, seen));
    }
    out.push(...commentLines(n.comment));
    return out;
  }
  return null;
}

function mapToBranch(m: YAMLMap, seen: Set<unknown>, withOwnComments: boolean): Branch {
  const items: TreeItem[] = [];
  const push = (cs: Comment[]) => {
    for (const c of cs) items.push({ key: c, value: null });
  };
  if (withOwnComments) push(commentLines(m.commentBefore));
  for (const pair of m.items as Pair<AnyNode, AnyNode>[]) {
    const k = pair.key as AnyNode;
    const v = pair.value as AnyNode;
    if (k && !isAlias(k)) {
      push(commentLines((k as YamlNode).commentBefore));
      push(commentLines((k as YamlNode).comment, true));
    }
    const scalarValue = v === null || v === undefined || isScalar(v);
    if (scalarValue && v) {
      push(commentLines((v as Scalar).commentBefore));
      push(commentLines((v as Scalar).comment, true));
    }
    let key: string;
    if (k && isScalar(k)) {
      key = k.value === null || k.value === undefined ? "" : String(k.value);
    } else if (k === null || k === undefined) key = "";
    else throw new SopsFormatError("YAML mappings with complex keys are not supported");
    items.push({ key, value: nodeToTree(v, seen) });
  }
  if (withOwnComments) {
    // yaml.v3 (and so sops) attaches a trailing comment to the deepest last
    // mapping before it; place it there so the additional data agrees.
    const trailing = commentLines(m.comment);
    const deepest = deepestLast(items);
    if (deepest) deepest.push(...trailing.map((key) => ({ key, value: null })));
    else push(trailing);
  }
  return new Branch(items);
}

function deepestLast(items: TreeItem[]): TreeItem[] | undefined {
  let found: TreeItem[] | undefined;
  let cur = items;
  for (;;) {
    const last = cur[cur.length - 1];
    if (!last || typeof last.key !== "string" || !(last.value instanceof Branch)) return found;
    if (last.value.items.length === 0) return found;
    found = last.value.items;
    cur = found;
  }
}

function resolveAliases(doc: Document.Parsed): void {
  // Replace every alias by a deep copy of its anchor, as sops (yaml.v3 decode) does.
  const visit = (n: unknown): unknown => {
    if (isAlias(n)) {
      const target = n.resolve(doc);
      if (!target) throw new SopsFormatError(`Unknown YAML alias *${n.source}`);
      return visit((target as YamlNode).clone());
    }
    if (isMap(n) || isSeq(n)) {
      n.items = (n.items as unknown[]).map((it) => {
        if (it instanceof Pair) {
          it.value = visit(it.value);
          return it;
        }
        return visit(it);
      }) as typeof n.items;
    }
    return n;
  };
  doc.contents = visit(doc.contents) as typeof doc.contents;
}

// ---------- emitting ----------

const YAML11_BOOL =
  /^(y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF|true|True|TRUE|false|False|FALSE)$/;
const NUMBERISH =
  /^[-+]?(0b[01_]+|0o?[0-7_]+|0x[0-9a-fA-F_]+|[0-9][0-9_]*(\.[0-9_]*)?([eE][-+]?[0-9]+)?|\.[0-9_]+|\.(inf|Inf|INF|nan|NaN|NAN))$/;

function scalarNode(v: TreeValue): Scalar {
  if (v === null) return new Scalar(null);
  if (typeof v === "string") {
    const s = new Scalar(v);
    if (
      (YAML11_BOOL.test(v) || NUMBERISH.test(v) || goTimestamp(v) !== undefined || v === "~" ||
        /^null$/i.test(v) || v === "<<") && !v.includes("\n")
    ) s.type = "QUOTE_DOUBLE";
    else if (v.includes("\n")) {
      s.type = /[ \t]\n|[ \t]$/.test(v) || /^\s/.test(v) ? "QUOTE_DOUBLE" : "BLOCK_LITERAL";
    }
    return s;
  }
  if (typeof v === "boolean") return new Scalar(v);
  if (v instanceof Int) return new Scalar(BigInt(v.text));
  if (v instanceof Float) {
    const s = new Scalar(v.value);
    const g = formatFloatG(v.value);
    if (/e/.test(g)) s.format = "EXP";
    else if (Number.isInteger(v.value)) s.minFractionDigits = 1;
    return s;
  }
  if (v instanceof Time) {
    const s = new Scalar(v.text);
    s.type = "PLAIN";
    return s;
  }
  if (v instanceof Uint8Array) return scalarNode(dec.decode(v));
  return new Scalar(String(v));
}

function join(cs: string[]): string | undefined {
  return cs.length ? cs.join("\n") : undefined;
}

function treeToNode(v: TreeValue): YamlNode {
  if (v instanceof Branch) return branchToMap(v);
  if (Array.isArray(v)) {
    const seq = new YAMLSeq();
    let head: string[] = [];
    let inline: string[] = [];
    for (const item of v) {
      if (item instanceof Comment) {
        (item.inline ? inline : head).push(item.value);
        continue;
      }
      const node = treeToNode(item);
      if (head.length) node.commentBefore = join(head) ?? null;
      if (inline.length) node.comment = join(inline) ?? null;
      head = [];
      inline = [];
      seq.items.push(node);
    }
    const rest = [...head, ...inline];
    if (rest.length) seq.comment = rest.join("\n");
    return seq;
  }
  return scalarNode(v);
}

function branchToMap(b: Branch): YAMLMap {
  const map = new YAMLMap();
  let head: string[] = [];
  let inline: string[] = [];
  for (const item of b.items) {
    if (item.key instanceof Comment) {
      (item.key.inline ? inline : head).push(item.key.value);
      continue;
    }
    const key = scalarNode(item.key);
    if (key.type === "BLOCK_LITERAL") key.type = "QUOTE_DOUBLE";
    const value = treeToNode(item.value);
    if (head.length) key.commentBefore = head.join("\n");
    if (inline.length) {
      if (isScalar(value)) value.comment = inline.join("\n");
      else key.commentBefore = [...head, ...inline].join("\n");
    }
    head = [];
    inline = [];
    map.items.push(new Pair(key, value));
  }
  const rest = [...head, ...inline];
  if (rest.length) map.comment = rest.join("\n");
  return map;
}

/** The YAML store. */
export class YamlStore implements SopsStore {
  /** Format name. */
  readonly format = "yaml" as const;
  readonly #indent: number;
  /** Builds the store; `indent` defaults to 4 like sops. */
  constructor(options: StoreOptions = {}) {
    this.#indent = options.indent ?? 4;
  }

  /** Parses YAML documents. */
  loadPlain(data: Uint8Array, path?: string): Branch[] {
    const text = dec.decode(data);
    const docs = parseAllDocuments(text, { intAsBigInt: true, uniqueKeys: false });
    const list = Array.isArray(docs) ? docs : [];
    const out: Branch[] = [];
    for (const doc of list) {
      const err = doc.errors[0];
      if (err) {
        throw new SopsFormatError(
          `Cannot parse ${path ?? "the input"} as YAML: ${err.message.split("\n")[0]}`,
          { path, cause: err },
        );
      }
      resolveAliases(doc);
      const head = commentLines(doc.commentBefore);
      const foot = commentLines(doc.comment);
      const c = doc.contents;
      let branch: Branch;
      if (c === null || (isScalar(c) && c.value === null)) branch = new Branch();
      else if (isMap(c)) branch = mapToBranch(c, new Set(), true);
      else if (isSeq(c)) {
        throw new SopsFormatError(
          `Cannot use ${path ?? "the input"}: YAML documents that are sequences are not supported`,
          { path },
        );
      } else {
        throw new SopsFormatError(
          `Cannot use ${path ?? "the input"}: YAML documents that are values are not supported`,
          { path },
        );
      }
      branch.items = [
        ...head.map((key) => ({ key, value: null })),
        ...branch.items,
        ...foot.map((key) => ({ key, value: null })),
      ];
      out.push(branch);
    }
    return out;
  }

  /** Writes YAML documents separated by `---`. */
  emitPlain(branches: Branch[]): Uint8Array {
    const parts: string[] = [];
    for (const b of branches) {
      const doc = new Document();
      doc.contents = branchToMap(b);
      const text = b.items.length === 0 ? "{}\n" : doc.toString({
        indent: this.#indent,
        lineWidth: 0,
        minContentWidth: 0,
        indentSeq: true,
        blockQuote: "literal",
        defaultKeyType: "PLAIN",
        flowCollectionPadding: false,
      });
      parts.push(text);
    }
    return enc.encode(parts.join("---\n"));
  }

  /** Parses an encrypted YAML file. */
  loadEncrypted(data: Uint8Array, path?: string): { branches: Branch[]; metadata: SopsMetadata } {
    return extractMetadata(this.loadPlain(data, path), "nested", path);
  }

  /** Writes an encrypted YAML file. */
  emitEncrypted(branches: Branch[], metadata: SopsMetadata): Uint8Array {
    return this.emitPlain(insertMetadata(branches, metadata, "nested"));
  }

  /** Writes one value as YAML. */
  emitValue(value: TreeValue): Uint8Array {
    if (typeof value === "string") return enc.encode(value);
    const doc = new Document();
    doc.contents = treeToNode(value);
    return enc.encode(doc.toString({ indent: this.#indent, lineWidth: 0, blockQuote: "literal" }));
  }

  /** Whether the first document has a `sops` key. */
  hasMetadata(branches: readonly Branch[]): boolean {
    return hasMetadata(branches, "nested");
  }
}
