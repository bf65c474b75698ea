/**
 * The in-memory SOPS tree: ordered mappings whose keys may be comments, lists,
 * and typed leaves. Mirrors the shape the Go implementation walks, so the MAC,
 * the additional data and the comment handling come out the same.
 *
 * @module
 */

/** A comment line (without the leading `#`). */
export class Comment {
  /** The comment text. */
  readonly value: string;
  /** Whether it trailed a value on the same line. */
  readonly inline: boolean;
  /** Builds a comment. */
  constructor(value: string, inline = false) {
    this.value = value;
    this.inline = inline;
  }
}

/** An integer leaf (kept apart from floats: SOPS tags them `int`). */
export class Int {
  /** The decimal text, as Go's `strconv.Itoa` would print it. */
  readonly text: string;
  /** Builds an integer leaf from a number, bigint or decimal text. */
  constructor(value: number | bigint | string) {
    this.text = typeof value === "string" ? value : BigInt(value).toString();
  }
  /** The value as a JavaScript number or bigint when it does not fit. */
  toJS(): number | bigint {
    const n = Number(this.text);
    return Number.isSafeInteger(n) ? n : BigInt(this.text);
  }
}

/** A float leaf (tag `float`). */
export class Float {
  /** The number. */
  readonly value: number;
  /** Builds a float leaf. */
  constructor(value: number) {
    this.value = value;
  }
}

/** A timestamp leaf (tag `time`), kept as Go's `MarshalText` form. */
export class Time {
  /** RFC 3339 text with nanoseconds trimmed, as Go prints it. */
  readonly text: string;
  /** Builds a timestamp leaf. */
  constructor(text: string) {
    this.text = text;
  }
}

/** A leaf value. `null` is a YAML null (never encrypted). */
export type Leaf = string | boolean | Int | Float | Time | Uint8Array | null;

/** Any value in the tree. */
export type TreeValue = Leaf | Comment | Branch | TreeValue[];

/** One item of a mapping: a key (or a comment standing alone) and its value. */
export interface TreeItem {
  /** The mapping key, or a comment line. */
  key: string | Comment;
  /** The value (`null` for comment items). */
  value: TreeValue;
}

/** An ordered mapping. */
export class Branch {
  /** The items, in document order. */
  items: TreeItem[];
  /** Builds a mapping from items. */
  constructor(items: TreeItem[] = []) {
    this.items = items;
  }
  /** The value at `key`, or `undefined`. */
  get(key: string): TreeValue | undefined {
    for (const item of this.items) if (item.key === key) return item.value;
    return undefined;
  }
}

/** A path into the tree: mapping keys and list indices. */
export type TreePath = readonly (string | number)[];

/** Whether a value is a leaf (not a mapping, list or comment). */
export function isLeaf(v: TreeValue): v is Leaf {
  return !(v instanceof Branch) && !Array.isArray(v) && !(v instanceof Comment);
}

/** Turns a tree value into plain JavaScript (comments dropped). */
export function toPlain(v: TreeValue): unknown {
  if (v instanceof Branch) {
    const out: Record<string, unknown> = {};
    for (const item of v.items) {
      if (typeof item.key === "string") out[item.key] = toPlain(item.value);
    }
    return out;
  }
  if (Array.isArray(v)) return v.filter((x) => !(x instanceof Comment)).map(toPlain);
  if (v instanceof Int) return v.toJS();
  if (v instanceof Float) return v.value;
  if (v instanceof Time) return v.text;
  if (v instanceof Comment) return undefined;
  return v;
}

/** Turns plain JavaScript into a tree value. */
export function fromPlain(v: unknown): TreeValue {
  if (v === null || v === undefined) return null;
  if (typeof v === "string" || typeof v === "boolean") return v;
  if (typeof v === "bigint") return new Int(v);
  if (typeof v === "number") return Number.isInteger(v) ? new Int(v) : new Float(v);
  if (v instanceof Uint8Array) return v;
  if (v instanceof Date) return new Time(v.toISOString().replace(/\.000Z$/, "Z"));
  if (v instanceof Int || v instanceof Float || v instanceof Time || v instanceof Comment) return v;
  if (v instanceof Branch) return v;
  if (Array.isArray(v)) return v.map(fromPlain);
  if (typeof v === "object") {
    return new Branch(
      Object.entries(v as Record<string, unknown>).map(([key, value]) => ({
        key,
        value: fromPlain(value),
      })),
    );
  }
  return String(v);
}

/** Deep copy of a tree value. */
export function cloneValue(v: TreeValue): TreeValue {
  if (v instanceof Branch) {
    return new Branch(v.items.map((i) => ({ key: i.key, value: cloneValue(i.value) })));
  }
  if (Array.isArray(v)) return v.map(cloneValue);
  return v;
}

/** Reads the value at `path`, or `undefined` when a component is missing. */
export function getPath(root: TreeValue, path: TreePath): TreeValue | undefined {
  let cur: TreeValue | undefined = root;
  for (const c of path) {
    if (typeof c === "number") {
      if (!Array.isArray(cur)) return undefined;
      const items: TreeValue[] = cur.filter((x) => !(x instanceof Comment));
      cur = items[c];
    } else {
      if (!(cur instanceof Branch)) return undefined;
      cur = cur.get(c);
    }
    if (cur === undefined) return undefined;
  }
  return cur;
}

function fromPathAndLeaf(path: TreePath, leaf: TreeValue): TreeValue {
  if (path.length === 0) return leaf;
  const [head, ...rest] = path;
  if (typeof head === "number") return [fromPathAndLeaf(rest, leaf)];
  return new Branch([{ key: head!, value: fromPathAndLeaf(rest, leaf) }]);
}

/**
 * Sets the value at `path`, creating mappings and lists on the way.
 * Returns the (possibly new) root.
 */
export function setPath(root: TreeValue, path: TreePath, value: TreeValue): TreeValue {
  if (path.length === 0) return value;
  const [head, ...rest] = path;
  if (typeof head === "number") {
    if (!Array.isArray(root)) return fromPathAndLeaf(path, value);
    const idx = realIndex(root, head);
    if (idx < 0) root.push(fromPathAndLeaf(rest, value));
    else root[idx] = setPath(root[idx]!, rest, value);
    return root;
  }
  if (!(root instanceof Branch)) return fromPathAndLeaf(path, value);
  for (const item of root.items) {
    if (item.key === head) {
      item.value = setPath(item.value, rest, value);
      return root;
    }
  }
  root.items.push({ key: head!, value: fromPathAndLeaf(rest, value) });
  return root;
}

/** Removes the value at `path`. Returns whether something was removed. */
export function unsetPath(root: TreeValue, path: TreePath): boolean {
  if (path.length === 0) return false;
  const [head, ...rest] = path;
  if (typeof head === "number") {
    if (!Array.isArray(root)) return false;
    const idx = realIndex(root, head);
    if (idx < 0) return false;
    if (rest.length === 0) {
      root.splice(idx, 1);
      return true;
    }
    return unsetPath(root[idx]!, rest);
  }
  if (!(root instanceof Branch)) return false;
  const idx = root.items.findIndex((i) => i.key === head);
  if (idx < 0) return false;
  if (rest.length === 0) {
    root.items.splice(idx, 1);
    return true;
  }
  return unsetPath(root.items[idx]!.value, rest);
}

function realIndex(list: TreeValue[], n: number): number {
  let seen = 0;
  for (let i = 0; i < list.length; i++) {
    if (list[i] instanceof Comment) continue;
    if (seen === n) return i;
    seen++;
  }
  return -1;
}

/**
 * Parses a path in sops's `--extract` syntax: `["a"]["b"][0]`.
 *
 * @throws {TypeError} When the syntax is wrong.
 */
export function parseTreePath(text: string): (string | number)[] {
  const out: (string | number)[] = [];
  const re = /\[\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|(-?\d+))\s*\]/y;
  let pos = 0;
  while (pos < text.length) {
    re.lastIndex = pos;
    const m = re.exec(text);
    if (!m) {
      throw new TypeError(
        `Cannot parse the tree path ${JSON.stringify(text)}: expected ["key"] or [index]`,
      );
    }
    if (m[3] !== undefined) out.push(Number(m[3]));
    else out.push((m[1] ?? m[2] ?? "").replace(/\\(.)/g, "$1"));
    pos = re.lastIndex;
  }
  return out;
}
