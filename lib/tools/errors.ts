/**
 * Errors of fetching tools: a download that failed or did not match its
 * published checksum, and an archive Bosun refuses to unpack.
 *
 * @module
 */

/** Fields of a {@linkcode ToolDownloadError}. */
export interface ToolDownloadErrorInit {
  /** The tool's name. */
  readonly tool: string;
  /** The URL that failed (artifact or checksum file). */
  readonly url: string;
  /** What went wrong, without the tool's name ("HTTP 404", "the connection closed after 10 bytes"). */
  readonly reason: string;
  /** The sha256 the release publishes, when known. */
  readonly expected?: string;
  /** The sha256 of what arrived, when the download completed. */
  readonly actual?: string;
  /** How to install the tool by hand. */
  readonly manual: string;
  /** The underlying error, if any. */
  readonly cause?: unknown;
}

/**
 * A tool could not be downloaded, its checksum did not match, or its archive
 * was unsafe. Nothing from the attempt is left in the cache.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ToolDownloadError } from "@bosun/sdk";
 * const err = new ToolDownloadError({
 *   tool: "kind", url: "https://example.test/kind", reason: "the sha256 does not match",
 *   expected: "aa", actual: "bb", manual: "go install sigs.k8s.io/kind@v0.33.0",
 * });
 * assert.match(err.message, /expected sha256 aa, got bb/);
 * ```
 */
export class ToolDownloadError extends Error {
  /** The tool's name. */
  readonly tool: string;
  /** The URL that failed. */
  readonly url: string;
  /** The published sha256, when known. */
  readonly expected: string | undefined;
  /** The sha256 of what arrived, when known. */
  readonly actual: string | undefined;
  /** The message without the manual install advice: what failed, where, and the checksums. */
  readonly summary: string;

  /** Builds the message: tool, URL, reason, checksums, and the manual install. */
  constructor(init: ToolDownloadErrorInit) {
    const sums = init.expected === undefined
      ? ""
      : ` (expected sha256 ${init.expected}, got ${init.actual ?? "nothing"})`;
    const summary = `Cannot download ${init.tool} from ${init.url}: ${init.reason}${sums}`;
    super(
      `${summary}. Install it by hand: ${init.manual}`,
      init.cause === undefined ? undefined : { cause: init.cause },
    );
    this.summary = summary;
    this.name = "ToolDownloadError";
    this.tool = init.tool;
    this.url = init.url;
    this.expected = init.expected;
    this.actual = init.actual;
  }
}
