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
 * Writes a file atomically: the content goes to a temporary file in the same
 * directory, which is then renamed over the target. Readers see the old file or
 * the new one, never half of it.
 *
 * @param path The file to write.
 * @param data Text or bytes.
 * @param options The file mode.
 *
 * @example
 * ```ts
 * import { writeFileAtomic } from "@bosun/sdk";
 * const dir = await Deno.makeTempDir();
 * await writeFileAtomic(`${dir}/a.txt`, "hello");
 * console.assert(await Deno.readTextFile(`${dir}/a.txt`) === "hello");
 * ```
 */
export async function writeFileAtomic(
  path: string,
  data: string | Uint8Array,
  options: WriteFileAtomicOptions = {},
): Promise<void> {
  let mode = options.mode;
  if (mode === undefined) {
    try {
      mode = (await Deno.stat(path)).mode! & 0o777;
    } catch {
      mode = 0o644;
    }
  }
  const slash = path.lastIndexOf("/");
  const dir = slash < 0 ? "." : path.slice(0, slash) || "/";
  const base = path.slice(slash + 1);
  const tmp = `${dir}/.${base}.${crypto.randomUUID().slice(0, 8)}.tmp`;
  try {
    const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
    await Deno.writeFile(tmp, bytes, { mode });
    await Deno.chmod(tmp, mode);
    await Deno.rename(tmp, path);
  } catch (error) {
    await Deno.remove(tmp).catch(() => {});
    throw error;
  }
}

/**
 * Expands a leading `~` to the home directory.
 *
 * @param path A path that may start with `~/`.
 * @returns The absolute path.
 *
 * @example
 * ```ts
 * import { expandHome } from "@bosun/sdk";
 * console.assert(!expandHome("~/x").startsWith("~"));
 * ```
 */
export function expandHome(path: string): string {
  if (path !== "~" && !path.startsWith("~/")) return path;
  const home = Deno.env.get("HOME") ?? Deno.env.get("USERPROFILE") ?? "/";
  return `${home}${path.slice(1)}`;
}
