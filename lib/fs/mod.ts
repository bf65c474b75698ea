/**
 * File helpers shared by every module: atomic writes and home expansion.
 *
 * @module
 */

/** Options for {@linkcode writeFileAtomic}. */
export interface WriteFileAtomicOptions {
  /** File mode of the new file. @default 0o644, or the existing file's mode */
  readonly mode?: number;
}

/**
 * Writes a file atomically: the content goes to a temporary file beside the
 * target, is flushed to disk, and the temporary file is renamed over the target.
 * Readers see the old file or the new one, never half of it, and a crash right
 * after the call does not leave an empty file.
 *
 * When `path` is a symbolic link (dotfile set-ups link `~/.kube/config`), the
 * link is followed, also through chains and to a target that does not exist yet:
 * the real file is replaced and the link stays a link.
 *
 * @param path The file to write, or a symbolic link to it.
 * @param data Text or bytes.
 * @param options The file mode.
 * @throws {Deno.errors.NotFound} When the directory of the (resolved) file does not exist.
 * @throws {FileSystemError} When `path` is a loop of symbolic links.
 *
 * @example Replacing the file a link points at
 * ```ts
 * import assert from "node:assert/strict";
 * import { writeFileAtomic } from "@bosun/sdk";
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/real.txt`, "old");
 * await Deno.symlink(`${dir}/real.txt`, `${dir}/link.txt`);
 * await writeFileAtomic(`${dir}/link.txt`, "hello");
 * assert.equal(await Deno.readTextFile(`${dir}/real.txt`), "hello");
 * assert.ok((await Deno.lstat(`${dir}/link.txt`)).isSymlink);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function writeFileAtomic(
  path: string,
  data: string | Uint8Array,
  options: WriteFileAtomicOptions = {},
): Promise<void> {
  const target = await resolveLinks(path);
  let mode = options.mode;
  if (mode === undefined) {
    try {
      mode = (await Deno.stat(target)).mode! & 0o777;
    } catch {
      mode = 0o644;
    }
  }
  const dir = dirOf(target);
  const base = target.slice(target.lastIndexOf("/") + 1);
  const tmp = `${dir}/.${base}.${crypto.randomUUID().slice(0, 8)}.tmp`;
  try {
    const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
    const file = await Deno.open(tmp, { write: true, createNew: true, mode });
    try {
      let written = 0;
      while (written < bytes.length) written += await file.write(bytes.subarray(written));
      await file.sync();
    } finally {
      file.close();
    }
    await Deno.chmod(tmp, mode);
    await Deno.rename(tmp, target);
  } catch (error) {
    await Deno.remove(tmp).catch(() => {});
    throw error;
  }
  await syncDir(dir);
}

/** The most symbolic links followed before a path is taken for a loop (Linux's own limit). */
const MAX_LINKS = 40;

/** A file-system operation cannot be done as asked (a loop of symbolic links). */
export class FileSystemError extends Error {
  /** The path concerned. */
  readonly path: string;
  /** Builds the error. */
  constructor(message: string, path: string) {
    super(message);
    this.name = "FileSystemError";
    this.path = path;
  }
}

/** Follows symbolic links from `path` to the file they end at, which need not exist. */
async function resolveLinks(path: string): Promise<string> {
  let current = path;
  for (let hops = 0; hops <= MAX_LINKS; hops++) {
    let info: Deno.FileInfo;
    try {
      info = await Deno.lstat(current);
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) return current;
      throw e;
    }
    if (!info.isSymlink) return current;
    const link = await Deno.readLink(current);
    current = link.startsWith("/") ? link : `${dirOf(current)}/${link}`;
  }
  throw new FileSystemError(
    `Cannot write ${path}: more than ${MAX_LINKS} symbolic links (a loop?); point it at a file`,
    path,
  );
}

function dirOf(path: string): string {
  const slash = path.lastIndexOf("/");
  return slash < 0 ? "." : path.slice(0, slash) || "/";
}

/** Flushes a directory entry (the rename) to disk where the platform lets a directory be opened. */
async function syncDir(dir: string): Promise<void> {
  if (Deno.build.os === "windows") return;
  let handle: Deno.FsFile | undefined;
  try {
    handle = await Deno.open(dir, { read: true });
    await handle.sync();
  } catch {
    // Not every file system lets a directory be opened or synced; the data itself is synced.
  } finally {
    handle?.close();
  }
}

/**
 * Expands a leading `~` to the home directory (`$HOME`, else `$USERPROFILE`).
 *
 * @param path A path that may start with `~/`.
 * @returns The path with `~` replaced; any other path unchanged.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { expandHome } from "@bosun/sdk";
 * assert.equal(expandHome("~/x"), `${Deno.env.get("HOME")}/x`);
 * assert.equal(expandHome("/etc/x"), "/etc/x");
 * ```
 */
export function expandHome(path: string): string {
  if (path !== "~" && !path.startsWith("~/")) return path;
  const home = Deno.env.get("HOME") ?? Deno.env.get("USERPROFILE") ?? "/";
  return `${home}${path.slice(1)}`;
}
