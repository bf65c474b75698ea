/**
 * SOPS encryption of a generated manifest, for `bosun gen secret --encrypt`.
 * Loaded lazily so the generators do not pull in the crypto code.
 *
 * @module
 */

/** Options for {@linkcode encryptManifestText}. */
export interface EncryptManifestOptions {
  /** The file the text will be written to (selects the .sops.yaml creation rule). */
  readonly file: string;
  /** age recipients; when empty, the nearest .sops.yaml decides. */
  readonly age: readonly string[];
}

/** Encrypts a YAML manifest with SOPS and returns the encrypted text. */
export function encryptManifestText(
  _text: string,
  _options: EncryptManifestOptions,
): Promise<string> {
  return Promise.reject(new TypeError("SOPS encryption is not available yet"));
}
