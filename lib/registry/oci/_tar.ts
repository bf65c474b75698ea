/**
 * Deterministic tar writing (sorted entries, mtime 0, uid/gid 0, modes 0644/0755, no user
 * names) and a streaming tar reader. Private to the OCI client.
 *
 * @module
 */

import { ArtifactSourceError } from "./errors.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();
const BLOCK = 512;
/** Files up to this size are read in one call; larger ones are streamed. */
const SMALL_FILE = 1 << 20;
const MAX_OCTAL_SIZE = 0o77777777777;

/** One entry of the tree to package. */
export interface TarEntry {
  /** Path relative to the root, `/`-separated, no leading `./`; directories end without `/`. */
  readonly path: string;
  /** Absolute path on disk. */
  readonly abs: string;
  readonly type: "file" | "dir";
  /** File size in bytes (0 for directories). */
  readonly size: number;
  /** Normalised mode: 0o755 for directories and executables, else 0o644. */
  readonly mode: number;
}

/** Options for {@linkcode listTree}. */
export interface ListTreeOptions {
  /** Leave out paths (relative, `/`-separated) for which this returns true. */
  readonly exclude?: (path: string, isDir: boolean) => boolean;
}

/**
 * Walks `root` depth-first with each directory's names sorted, following symlinks to files
 * and directories, and leaving out `.git`.
 */
export function listTree(root: string, options: ListTreeOptions = {}): TarEntry[] {
  const out: TarEntry[] = [];
  const walk = (dir: string, rel: string, depth: number): void => {
    if (depth > 64) throw new ArtifactSourceError(dir, "directories nest too deep (symlink loop?)");
    // Synchronous calls: for trees of small files they are several times faster than one
    // async op per entry, and each one is a single cheap syscall.
    const names: string[] = [];
    for (const e of Deno.readDirSync(dir)) {
      if (e.name === ".git") continue;
      names.push(e.name);
    }
    names.sort();
    const stats = names.map((n) => Deno.statSync(`${dir}/${n}`));
    for (let i = 0; i < names.length; i++) {
      const name = names[i]!;
      const info = stats[i]!;
      const path = rel ? `${rel}/${name}` : name;
      const abs = `${dir}/${name}`;
      if (info.isDirectory) {
        if (options.exclude?.(path, true)) continue;
        out.push({ path, abs, type: "dir", size: 0, mode: 0o755 });
        walk(abs, path, depth + 1);
      } else if (info.isFile) {
        if (options.exclude?.(path, false)) continue;
        const mode = ((info.mode ?? 0o644) & 0o111) !== 0 ? 0o755 : 0o644;
        out.push({ path, abs, type: "file", size: info.size, mode });
      }
    }
  };
  walk(root, "", 0);
  return out;
}

function octal(buf: Uint8Array, off: number, len: number, value: number): void {
  const s = value.toString(8).padStart(len - 1, "0");
  buf.set(enc.encode(s), off);
  buf[off + len - 1] = 0;
}

function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  let len = enc.encode(body).length;
  let total = len + String(len).length;
  if (String(total).length !== String(len).length) total = len + String(total).length;
  len = total;
  return `${len}${body}`;
}

function header(
  name: string,
  prefix: string,
  size: number,
  mode: number,
  type: string,
): Uint8Array {
  const h = new Uint8Array(BLOCK);
  h.set(enc.encode(name), 0);
  octal(h, 100, 8, mode);
  octal(h, 108, 8, 0);
  octal(h, 116, 8, 0);
  octal(h, 124, 12, size);
  octal(h, 136, 12, 0);
  h.fill(0x20, 148, 156);
  h[156] = type.charCodeAt(0);
  h.set(enc.encode("ustar\u000000"), 257);
  octal(h, 329, 8, 0);
  octal(h, 337, 8, 0);
  h.set(enc.encode(prefix), 345);
  let sum = 0;
  for (const b of h) sum += b;
  h.set(enc.encode(sum.toString(8).padStart(6, "0")), 148);
  h[154] = 0;
  h[155] = 0x20;
  return h;
}

/** Splits a path into ustar prefix/name, or undefined when it needs a PAX header. */
function splitName(path: string): [string, string] | undefined {
  const bytes = enc.encode(path);
  if (bytes.length <= 100) return ["", path];
  if (bytes.length > 256) return undefined;
  for (let i = path.length - 1; i > 0; i--) {
    if (path[i] !== "/") continue;
    const p = path.slice(0, i);
    const n = path.slice(i + 1);
    if (enc.encode(p).length <= 155 && enc.encode(n).length <= 100 && n.length > 0) return [p, n];
  }
  return undefined;
}

/** The header block(s) of one entry (PAX record first when the path or size needs one). */
export function entryHeader(entry: TarEntry): Uint8Array[] {
  const name = entry.type === "dir" ? `${entry.path}/` : entry.path;
  const split = splitName(name);
  const big = entry.size > MAX_OCTAL_SIZE;
  const blocks: Uint8Array[] = [];
  if (!split || big) {
    let records = "";
    if (!split) records += paxRecord("path", name);
    if (big) records += paxRecord("size", String(entry.size));
    const body = enc.encode(records);
    blocks.push(header("PaxHeader", "", body.length, 0o644, "x"));
    blocks.push(padded(body));
  }
  const [prefix, short] = split ?? ["", truncateUtf8(name, 100)];
  blocks.push(
    header(short, prefix, big ? 0 : entry.size, entry.mode, entry.type === "dir" ? "5" : "0"),
  );
  return blocks;
}

function truncateUtf8(s: string, max: number): string {
  let out = s;
  while (enc.encode(out).length > max) out = out.slice(1);
  return out;
}

function padded(body: Uint8Array): Uint8Array {
  const size = Math.ceil(body.length / BLOCK) * BLOCK;
  if (size === body.length) return body;
  const out = new Uint8Array(size);
  out.set(body);
  return out;
}

/**
 * Yields the tar stream of `entries`: headers, contents (small files read whole, large
 * ones streamed), padding and the two end blocks.
 *
 * @throws {ArtifactSourceError} When a file's size changed since it was listed.
 */
export async function* tarStream(entries: readonly TarEntry[]): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i]!;
    yield* entryHeader(e);
    if (e.type !== "file") continue;
    let written = 0;
    if (e.size <= SMALL_FILE) {
      // Small files: one synchronous read (much cheaper than an async op per file).
      const data = Deno.readFileSync(e.abs);
      written = data.length;
      if (written === e.size) yield data;
    } else {
      using file = await Deno.open(e.abs);
      for await (const chunk of file.readable) {
        written += chunk.length;
        if (written > e.size) break;
        yield chunk;
      }
    }
    if (written !== e.size) {
      throw new ArtifactSourceError(e.abs, "the file changed while it was being packaged");
    }
    const rem = e.size % BLOCK;
    if (rem) yield new Uint8Array(BLOCK - rem);
  }
  yield new Uint8Array(BLOCK * 2);
}

/** An entry read back from a tar stream. */
export interface TarReadEntry {
  readonly path: string;
  readonly type: "file" | "dir" | "other";
  readonly mode: number;
  readonly size: number;
}

/**
 * Reads a tar stream, calling `onEntry` for every entry with a reader for its content
 * (files only). Understands ustar prefixes, PAX `path`/`size` records and GNU long names.
 */
export async function readTar(
  stream: ReadableStream<Uint8Array>,
  onEntry: (entry: TarReadEntry, content: AsyncIterable<Uint8Array>) => Promise<void>,
): Promise<void> {
  const reader = stream.getReader();
  let buf = new Uint8Array(0);
  let done = false;
  const fill = async (n: number): Promise<boolean> => {
    while (buf.length < n && !done) {
      const r = await reader.read();
      if (r.done) done = true;
      else {
        const next = new Uint8Array(buf.length + r.value.length);
        next.set(buf);
        next.set(r.value, buf.length);
        buf = next;
      }
    }
    return buf.length >= n;
  };
  const take = async (n: number): Promise<Uint8Array> => {
    if (!await fill(n)) throw new TypeError("Cannot read the tar stream: it ends early");
    const out = buf.slice(0, n);
    buf = buf.subarray(n);
    return out;
  };
  let remaining = 0;
  async function* body(): AsyncGenerator<Uint8Array> {
    while (remaining > 0) {
      if (buf.length === 0 && !await fill(1)) {
        throw new TypeError("Cannot read the tar stream: it ends inside a file");
      }
      const n = Math.min(remaining, buf.length);
      const chunk = buf.slice(0, n);
      buf = buf.subarray(n);
      remaining -= n;
      yield chunk;
    }
  }
  const str = (h: Uint8Array, off: number, len: number) => {
    const slice = h.subarray(off, off + len);
    const end = slice.indexOf(0);
    return dec.decode(end < 0 ? slice : slice.subarray(0, end));
  };
  const num = (h: Uint8Array, off: number, len: number) =>
    parseInt(str(h, off, len).trim() || "0", 8);
  let pax: Record<string, string> = {};
  let longName: string | undefined;
  while (true) {
    if (!await fill(BLOCK)) return;
    const h = await take(BLOCK);
    if (h.every((b) => b === 0)) return;
    const type = String.fromCharCode(h[156]!);
    let size = num(h, 124, 12);
    if (type === "x" || type === "L") {
      const data = await take(Math.ceil(size / BLOCK) * BLOCK);
      if (type === "L") longName = dec.decode(data.subarray(0, size)).replace(/\0+$/, "");
      else {
        pax = {};
        let off = 0;
        const raw = data.subarray(0, size);
        while (off < raw.length) {
          const sp = raw.indexOf(0x20, off);
          if (sp < 0) break;
          const len = parseInt(dec.decode(raw.subarray(off, sp)), 10);
          if (!(len > 0)) break;
          const kv = dec.decode(raw.subarray(sp + 1, off + len - 1));
          const eq = kv.indexOf("=");
          pax[kv.slice(0, eq)] = kv.slice(eq + 1);
          off += len;
        }
      }
      continue;
    }
    if (type === "g") {
      await take(Math.ceil(size / BLOCK) * BLOCK);
      continue;
    }
    const prefix = str(h, 345, 155);
    let path = pax.path ?? longName ?? (prefix ? `${prefix}/${str(h, 0, 100)}` : str(h, 0, 100));
    if (pax.size) size = Number(pax.size);
    pax = {};
    longName = undefined;
    path = path.replace(/^\.\//, "").replace(/\/$/, "");
    const kind = type === "0" || type === "\0" ? "file" : type === "5" ? "dir" : "other";
    remaining = size;
    await onEntry({ path, type: kind, mode: num(h, 100, 8), size }, body());
    while (remaining > 0) { // skip what the callback did not read
      if (buf.length === 0 && !await fill(1)) {
        throw new TypeError("Cannot read the tar stream: it ends inside a file");
      }
      const n = Math.min(remaining, buf.length);
      buf = buf.subarray(n);
      remaining -= n;
    }
    const rem = size % BLOCK;
    if (rem) await take(BLOCK - rem);
  }
}
