/**
 * Fetching a release manifest at install time, verified against a pinned
 * sha256 before anything is applied.
 *
 * @module
 */

import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex } from "@noble/hashes/utils.js";

/**
 * A fetched manifest's checksum is not the pinned one (or it could not be
 * fetched): nothing was applied.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ManifestChecksumError } from "@bosun/sdk";
 * const err = new ManifestChecksumError({ url: "https://x/y.yaml", expected: "aa", actual: "bb" });
 * assert.ok(err.message.includes("sha256 bb") && err.message.includes("expected aa"));
 * ```
 */
export class ManifestChecksumError extends Error {
  /** The URL. */
  readonly url: string;
  /** The pinned sha256. */
  readonly expected: string;
  /** The sha256 of what was downloaded, or `undefined` when nothing was. */
  readonly actual: string | undefined;

  /**
   * Builds the error and its message.
   *
   * @param init The URL, the pinned and the actual checksum (or why the fetch failed).
   */
  constructor(
    init: {
      readonly url: string;
      readonly expected: string;
      readonly actual?: string;
      readonly reason?: string;
    },
  ) {
    super(
      init.actual !== undefined
        ? `Cannot use the manifest ${init.url}: its sha256 ${init.actual} is not the pinned sha256 (expected ${init.expected}); nothing was applied`
        : `Cannot fetch the manifest ${init.url}: ${init.reason ?? "unknown error"}`,
    );
    this.name = "ManifestChecksumError";
    this.url = init.url;
    this.expected = init.expected;
    this.actual = init.actual;
  }
}

/**
 * The sha256 of text or bytes, as lowercase hex.
 *
 * @param data The data (text is UTF-8 encoded).
 * @returns 64 hex characters.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { sha256Hex } from "@bosun/sdk";
 * assert.ok(sha256Hex("abc").startsWith("ba7816bf"));
 * ```
 */
export function sha256Hex(data: string | Uint8Array): string {
  return bytesToHex(sha256(typeof data === "string" ? new TextEncoder().encode(data) : data));
}

/** Options for {@linkcode fetchVerifiedManifest}. */
export interface FetchVerifiedOptions {
  /** The fetch function. @default globalThis.fetch */
  readonly fetch?: typeof fetch;
  /** Cancels the download. */
  readonly signal?: AbortSignal | undefined;
}

/**
 * Downloads a manifest and returns its text only when its sha256 matches.
 *
 * @param url The manifest URL.
 * @param expectedSha256 The pinned sha256 (hex).
 * @param options The fetch function and an abort signal.
 * @returns The manifest text.
 * @throws {ManifestChecksumError} The download failed or the checksum differs.
 *
 * @example
 * ```ts ignore
 * import { fetchVerifiedManifest } from "@bosun/sdk";
 * const yaml = await fetchVerifiedManifest("https://example.com/app.yaml", "9f86d0…");
 * ```
 */
export async function fetchVerifiedManifest(
  url: string,
  expectedSha256: string,
  options: FetchVerifiedOptions = {},
): Promise<string> {
  const doFetch = options.fetch ?? globalThis.fetch;
  let bytes: Uint8Array;
  try {
    const response = await doFetch(url, options.signal ? { signal: options.signal } : {});
    if (!response.ok) {
      await response.body?.cancel();
      throw new TypeError(`HTTP ${response.status} ${response.statusText}`);
    }
    bytes = new Uint8Array(await response.arrayBuffer());
  } catch (error) {
    throw new ManifestChecksumError({
      url,
      expected: expectedSha256,
      reason: error instanceof Error ? error.message : String(error),
    });
  }
  const actual = sha256Hex(bytes);
  if (actual !== expectedSha256.toLowerCase()) {
    throw new ManifestChecksumError({ url, expected: expectedSha256, actual });
  }
  return new TextDecoder().decode(bytes);
}
