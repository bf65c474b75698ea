/**
 * SOPS encryption of a generated manifest, for `bosun gen secret --encrypt`.
 * Loaded lazily so the generators do not pull in the crypto code.
 *
 * @module
 */

import { encryptSecret } from "../sops/ops.ts";

/** Options for {@linkcode encryptManifestText}. */
export interface EncryptManifestOptions {
  /** The file the text will be written to (selects the .sops.yaml creation rule and format). */
  readonly file: string;
  /** age recipients; when empty, the nearest .sops.yaml decides. */
  readonly age: readonly string[];
}

/**
 * Encrypts a YAML manifest with SOPS (only `data`/`stringData` when the keys
 * come from `--age`; the creation rule's settings otherwise) and returns the
 * encrypted text. The plaintext is never written to disk.
 */
export async function encryptManifestText(
  text: string,
  options: EncryptManifestOptions,
): Promise<string> {
  const result = await encryptSecret(options.file, {
    data: text,
    format: "yaml",
    inPlace: false,
    ...(options.age.length ? { age: [...options.age], encryptedRegex: "^(data|stringData)$" } : {}),
  });
  return result.content;
}
