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
import { SopsError } from "./errors.ts";

/** Options of {@linkcode editSecret}. */
export interface EditOptions extends EncryptOptions {
  /** Editor command. @default $SOPS_EDITOR, $EDITOR, then "vi" */
  readonly editor?: string;
  /** Decrypt even when the MAC is wrong. @default false */
  readonly ignoreMac?: boolean;
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
 * 0700 directory (file 0600) that is removed on every exit path, signals
 * included. An unchanged file is not rewritten; a missing file is created.
 *
 * @param path The encrypted file (created when missing).
 * @param options Editor, keys for new files, key sources.
 * @returns Whether the file changed.
 * @throws {SopsDecryptKeyError} When the file cannot be decrypted.
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
  const dir = await Deno.makeTempDir({ prefix: "bosun-sops-edit-" });
  const cleanup = () => {
    try {
      Deno.removeSync(dir, { recursive: true });
    } catch { /* gone */ }
  };
  const signals: Deno.Signal[] = Deno.build.os === "windows"
    ? ["SIGINT"]
    : ["SIGINT", "SIGTERM", "SIGHUP"];
  const onSignal = () => {
    cleanup();
    Deno.exit(130);
  };
  for (const s of signals) Deno.addSignalListener(s, onSignal);
  try {
    await Deno.chmod(dir, 0o700);
    const base = path.slice(path.lastIndexOf("/") + 1);
    const tmp = `${dir}/${base}`;
    await Deno.writeFile(tmp, before, { mode: 0o600 });
    await Deno.chmod(tmp, 0o600);
    const editor = options.editor ?? Deno.env.get("SOPS_EDITOR") ?? Deno.env.get("EDITOR") ?? "vi";
    const [cmd, ...args] = splitCommand(editor);
    if (!cmd) throw new SopsError("Cannot edit: the editor command is empty", { path });
    await (options.runner ?? defaultRunner).run(cmd, [...args, tmp], { inherit: true });
    const after = await Deno.readFile(tmp);
    const same = after.length === before.length && after.every((b, i) => b === before[i]);
    if (same && doc) return { changed: false, created: false };
    const branches = store.loadPlain(after, path);
    if (doc) {
      await writeFileAtomic(path, seal(store, branches, doc.metadata, doc.dataKey, doc.stash));
      return { changed: true, created: false };
    }
    const out = await encryptDocument(store, branches, {
      keyGroups: keys!.keyGroups,
      shamirThreshold: keys!.shamirThreshold,
      rules: keys!.rules,
      services,
      path,
    });
    await writeFileAtomic(path, out, { mode: 0o600 });
    return { changed: true, created: true };
  } finally {
    for (const s of signals) Deno.removeSignalListener(s, onSignal);
    cleanup();
  }
}
