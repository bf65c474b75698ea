/**
 * `editSecret`: decrypt to a private temporary file, run the editor, and
 * re-encrypt only when the content changed.
 *
 * @module
 */

import { writeFileAtomic } from "../fs/mod.ts";
import { defaultRunner } from "../exec/mod.ts";
import { encryptDocument, keyServices, openDocument, seal } from "./_core.ts";
import { formatForPath, parseFormat, storeFor } from "./stores/mod.ts";
import { type EncryptOptions, resolveKeys } from "./ops.ts";
import { SopsEditInterruptedError, SopsError } from "./errors.ts";

/** Options of {@linkcode editSecret}. */
export interface EditOptions extends EncryptOptions {
  /** Editor command. @default $SOPS_EDITOR, $EDITOR, then "vi" */
  readonly editor?: string;
  /** Decrypt even when the MAC is wrong. @default false */
  readonly ignoreMac?: boolean;
  /** Stops the edit: the editor is killed, nothing is written, the plaintext is removed. */
  readonly signal?: AbortSignal;
}

/** What {@linkcode editSecret} did. */
export interface EditResult {
  /** Whether the file was rewritten. */
  readonly changed: boolean;
  /** Whether the file was created. */
  readonly created: boolean;
}

const TEMPLATES: Record<string, string> = {
  yaml: "# Bosun: write your secrets here\nexample_key: example_value\n",
  json: '{\n\t"example_key": "example_value"\n}\n',
  dotenv: "example_key=example_value\n",
  ini: "[section]\nexample_key = example_value\n",
  binary: "",
};

function splitCommand(cmd: string): string[] {
  return cmd.match(/"[^"]*"|'[^']*'|\S+/g)?.map((s) => s.replace(/^["']|["']$/g, "")) ?? [];
}

/**
 * Opens an encrypted file in an editor. The plaintext lives only in a private
 * 0700 directory (file 0600) that is removed on every exit path. While the
 * editor runs, SIGINT, SIGTERM and SIGHUP (and `options.signal`) kill the
 * editor instead of the program: the file is left as it was, the plaintext is
 * removed and a {@linkcode SopsEditInterruptedError} is thrown, so the caller
 * decides how to exit. An unchanged file is not rewritten; a missing file is
 * created.
 *
 * @param path The encrypted file (created when missing).
 * @param options Editor, keys for new files, key sources, abort signal.
 * @returns Whether the file changed.
 * @throws {SopsDecryptKeyError} When the file cannot be decrypted.
 * @throws {SopsEditInterruptedError} When a signal or `options.signal` stopped the edit.
 * @throws {CommandError} When the editor exits non-zero (nothing is written).
 *
 * @example
 * ```ts ignore
 * import { editSecret } from "@bosun/sdk";
 * await editSecret("secrets.enc.yaml");
 * ```
 */
export async function editSecret(path: string, options: EditOptions = {}): Promise<EditResult> {
  const format = options.format ? parseFormat(options.format) : formatForPath(path);
  const store = storeFor(format);
  const services = keyServices(options);
  let existing: Uint8Array | undefined;
  try {
    existing = await Deno.readFile(path);
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  const doc = existing
    ? await openDocument(store, existing, { services, path, ignoreMac: options.ignoreMac })
    : undefined;
  const keys = doc ? undefined : await resolveKeys(path, options);
  const before = doc ? store.emitPlain(doc.branches) : new TextEncoder().encode(TEMPLATES[format]);
  const stop = new AbortController();
  let interruptedBy: string | undefined;
  const interrupt = (by: string) => {
    interruptedBy ??= by;
    stop.abort();
  };
  const onAbort = () => interrupt("abort");
  const listeners = SIGNALS.map((s) => [s, () => interrupt(s)] as const);
  const interrupted = () =>
    interruptedBy === undefined ? undefined : new SopsEditInterruptedError(path, interruptedBy);
  if (options.signal?.aborted) throw new SopsEditInterruptedError(path, "abort");
  options.signal?.addEventListener("abort", onAbort, { once: true });
  for (const [s, listener] of listeners) Deno.addSignalListener(s, listener);
  let dir: string | undefined;
  try {
    dir = await Deno.makeTempDir({ prefix: "bosun-sops-edit-" });
    await Deno.chmod(dir, 0o700);
    const base = path.slice(path.lastIndexOf("/") + 1);
    const tmp = `${dir}/${base}`;
    await Deno.writeFile(tmp, before, { mode: 0o600 });
    await Deno.chmod(tmp, 0o600);
    const editor = options.editor ?? Deno.env.get("SOPS_EDITOR") ?? Deno.env.get("EDITOR") ?? "vi";
    const [cmd, ...args] = splitCommand(editor);
    if (!cmd) throw new SopsError("Cannot edit: the editor command is empty", { path });
    try {
      await (options.runner ?? defaultRunner).run(cmd, [...args, tmp], {
        inherit: true,
        signal: stop.signal,
      });
    } catch (cause) {
      throw interrupted() ?? cause;
    }
    const after = await Deno.readFile(tmp);
    const same = after.length === before.length && after.every((b, i) => b === before[i]);
    if (same && doc) return { changed: false, created: false };
    const branches = store.loadPlain(after, path);
    if (doc) {
      const sealed = seal(store, branches, doc.metadata, doc.dataKey, doc.stash);
      const error = interrupted();
      if (error) throw error;
      await writeFileAtomic(path, sealed);
      return { changed: true, created: false };
    }
    const out = await encryptDocument(store, branches, {
      keyGroups: keys!.keyGroups,
      shamirThreshold: keys!.shamirThreshold,
      rules: keys!.rules,
      services,
      path,
    });
    const error = interrupted();
    if (error) throw error;
    await writeFileAtomic(path, out, { mode: 0o600 });
    return { changed: true, created: true };
  } finally {
    for (const [s, listener] of listeners) Deno.removeSignalListener(s, listener);
    options.signal?.removeEventListener("abort", onAbort);
    if (dir !== undefined) await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}

/** Signals that stop an edit instead of the program while the plaintext exists. */
const SIGNALS: readonly Deno.Signal[] = Deno.build.os === "windows"
  ? ["SIGINT"]
  : ["SIGINT", "SIGTERM", "SIGHUP"];
