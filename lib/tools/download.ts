/**
 * Fetching one release artifact safely: HTTPS only, into a temp file beside its
 * final place, sha256 checked against the release's checksum file before the
 * file is unpacked or executed, unpacked without path traversal, made
 * executable and renamed into place. A file lock makes concurrent resolutions
 * (in this process or another) download once.
 *
 * Proxies: Deno's `fetch` reads `HTTPS_PROXY`/`HTTP_PROXY`/`NO_PROXY` itself,
 * so nothing here handles them (tests/tools/proxy_test.ts checks both).
 *
 * @module
 */

import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex } from "@noble/hashes/utils.js";
import type { Artifact, ToolSpec } from "./catalogue.ts";
import { ToolDownloadError } from "./errors.ts";
import { extractMember, UnsafeArchiveError } from "./_tar.ts";

/** How to fetch: HTTP client, request hook, idle timeout. */
export interface DownloadOptions {
  /** HTTP client for `fetch` (a custom CA, for example). @default Deno's default client */
  readonly client?: Deno.HttpClient;
  /** Called once per HTTP request with its URL (progress, tests). */
  readonly onRequest?: (url: string) => void;
  /** Give up when no byte arrives for this long, in milliseconds. @default 60_000 */
  readonly idleTimeoutMs?: number;
}

/** An abort signal that fires after `ms` without a call to `touch()`. */
function idleTimer(ms: number) {
  const controller = new AbortController();
  let timer = setTimeout(() => controller.abort(), ms);
  return {
    signal: controller.signal,
    touch() {
      clearTimeout(timer);
      timer = setTimeout(() => controller.abort(), ms);
    },
    stop: () => clearTimeout(timer),
  };
}

/**
 * Runs `work` holding an exclusive lock on `path` (created if missing). The lock
 * is an OS file lock: it is released when `work` ends or the process dies.
 *
 * @param path The lock file.
 * @param work What to do while holding it.
 * @returns What `work` returned.
 */
export async function withFileLock<T>(path: string, work: () => Promise<T>): Promise<T> {
  const file = await Deno.open(path, { create: true, write: true });
  try {
    await file.lock(true);
    return await work();
  } finally {
    file.close();
  }
}

/**
 * Removes what an interrupted download or `go install` left in a tool version's
 * directory (names starting with `.`). Only call it holding that version's lock.
 *
 * @param dir The tool version's cache directory; missing is fine.
 */
export async function removeLeftovers(dir: string): Promise<void> {
  try {
    for await (const e of Deno.readDir(dir)) {
      if (e.name.startsWith(".")) await Deno.remove(`${dir}/${e.name}`, { recursive: true });
    }
  } catch (err) {
    if (!(err instanceof Deno.errors.NotFound)) throw err;
  }
}

/**
 * Parses a `sha256sum`-style checksum file and returns the digest listed for `asset`.
 * Names are compared by their last path segment (k3d lists `_dist/k3d-linux-amd64`).
 *
 * @param text The file's content.
 * @param asset The artifact's file name.
 * @returns The lower-case hex digest, or `undefined` when `asset` is not listed.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checksumFor } from "@bosun/sdk";
 * const sum = "a".repeat(64);
 * assert.equal(checksumFor(`${sum}  _dist/k3d-linux-amd64\n`, "k3d-linux-amd64"), sum);
 * assert.equal(checksumFor(`${sum}  k3d-linux-arm64\n`, "k3d-linux-amd64"), undefined);
 * ```
 */
export function checksumFor(text: string, asset: string): string | undefined {
  for (const line of text.split("\n")) {
    const m = /^([0-9a-fA-F]{64})\s+\*?(\S+)\s*$/.exec(line.trim());
    if (m === null) continue;
    const name = m[2]!;
    if (name.slice(name.lastIndexOf("/") + 1) === asset) return m[1]!.toLowerCase();
  }
  return undefined;
}

/** Redirects followed per request (GitHub sends release assets to its object store). */
const MAX_REDIRECTS = 5;

/** GETs `url`, following redirects by hand so that every hop must be `https:`. */
async function get(
  spec: ToolSpec,
  url: string,
  options: DownloadOptions,
  signal: AbortSignal,
): Promise<Response> {
  let current = url;
  for (let hop = 0;; hop++) {
    const fail = (reason: string, cause?: unknown) =>
      new ToolDownloadError({
        tool: spec.name,
        url: current === url ? url : `${url} (redirected to ${current})`,
        reason,
        manual: spec.manual,
        ...(cause === undefined ? {} : { cause }),
      });
    if (new URL(current).protocol !== "https:") throw fail("only https: URLs are fetched");
    options.onRequest?.(current);
    let response: Response;
    try {
      const init: RequestInit & { client?: Deno.HttpClient } = { signal, redirect: "manual" };
      if (options.client !== undefined) init.client = options.client;
      response = await fetch(current, init);
    } catch (cause) {
      throw fail(
        signal.aborted
          ? "no answer within the idle timeout"
          : `the request failed (${cause instanceof Error ? cause.message : String(cause)})`,
        cause,
      );
    }
    const location = response.headers.get("location");
    if (response.status >= 300 && response.status < 400 && location !== null) {
      await response.body?.cancel();
      if (hop >= MAX_REDIRECTS) throw fail(`more than ${MAX_REDIRECTS} redirects`);
      current = new URL(location, current).href;
      continue;
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw fail(`HTTP ${response.status}`);
    }
    return response;
  }
}

async function publishedSha256(
  spec: ToolSpec,
  artifact: Artifact,
  options: DownloadOptions,
): Promise<string> {
  const url = artifact.checksumUrl;
  if (url === undefined) {
    throw new ToolDownloadError({
      tool: spec.name,
      url: artifact.url,
      reason: "the project publishes no checksum for it, and Bosun runs no unverified download",
      manual: spec.manual,
    });
  }
  const idle = idleTimer(options.idleTimeoutMs ?? 60_000);
  let text: string;
  try {
    text = await (await get(spec, url, options, idle.signal)).text();
  } catch (cause) {
    if (cause instanceof ToolDownloadError) throw cause;
    throw new ToolDownloadError({
      tool: spec.name,
      url,
      reason: idle.signal.aborted ? "the checksum file stalled" : `cannot read it (${cause})`,
      manual: spec.manual,
      cause,
    });
  } finally {
    idle.stop();
  }
  const sum = checksumFor(text, artifact.asset);
  if (sum === undefined) {
    throw new ToolDownloadError({
      tool: spec.name,
      url,
      reason: `the checksum file lists no ${artifact.asset}`,
      manual: spec.manual,
    });
  }
  return sum;
}

/** Streams the artifact into `temp`, hashing as it goes; returns the hex sha256. */
async function fetchInto(
  spec: ToolSpec,
  artifact: Artifact,
  temp: string,
  options: DownloadOptions,
): Promise<string> {
  const idle = idleTimer(options.idleTimeoutMs ?? 60_000);
  try {
    return await stream(
      spec,
      artifact,
      temp,
      await get(spec, artifact.url, options, idle.signal),
      idle,
    );
  } finally {
    idle.stop();
  }
}

async function stream(
  spec: ToolSpec,
  artifact: Artifact,
  temp: string,
  response: Response,
  idle: { readonly signal: AbortSignal; touch(): void },
): Promise<string> {
  const declared = response.headers.get("content-length");
  const hash = sha256.create();
  let received = 0;
  const file = await Deno.open(temp, { createNew: true, write: true, mode: 0o600 });
  try {
    for await (const chunk of response.body ?? new ReadableStream<Uint8Array>()) {
      idle.touch();
      hash.update(chunk);
      received += chunk.length;
      let written = 0;
      while (written < chunk.length) written += await file.write(chunk.subarray(written));
    }
  } catch (cause) {
    throw new ToolDownloadError({
      tool: spec.name,
      url: artifact.url,
      reason: `the download broke off after ${received} bytes (${
        idle.signal.aborted
          ? "nothing arrived within the idle timeout"
          : cause instanceof Error
          ? cause.message
          : String(cause)
      })`,
      manual: spec.manual,
      cause,
    });
  } finally {
    file.close();
  }
  if (declared !== null && Number(declared) !== received) {
    throw new ToolDownloadError({
      tool: spec.name,
      url: artifact.url,
      reason: `the download is truncated: ${received} of ${declared} bytes`,
      manual: spec.manual,
    });
  }
  return bytesToHex(hash.digest());
}

/** Options for {@linkcode downloadTool}. */
export interface DownloadToolOptions extends DownloadOptions {
  /** The tool's artifact for the platform wanted. */
  readonly artifact: Artifact;
  /** The cache directory of this tool version; created, and removed again if left empty. */
  readonly dir: string;
}

/**
 * Downloads, verifies and installs one artifact as `<dir>/<binary>`. The caller
 * holds the lock; `dir` is created. Every temp file is removed, and `dir` too when
 * it was empty before, whatever happens.
 *
 * @param spec The tool.
 * @param options Its artifact for this platform, the cache directory of this tool version,
 *   and how to fetch.
 * @returns The installed executable's path.
 * @throws {ToolDownloadError} When a request fails, the checksum file does not list the
 *   artifact, the sha256 differs, the body is truncated or the archive is unsafe.
 */
export async function downloadTool(
  spec: ToolSpec,
  options: DownloadToolOptions,
): Promise<string> {
  const { artifact, dir } = options;
  const expected = await publishedSha256(spec, artifact, options);
  await Deno.mkdir(dir, { recursive: true });
  await removeLeftovers(dir);
  const id = crypto.randomUUID();
  const temp = `${dir}/.${artifact.asset}.${id}.part`;
  const unpacked = `${dir}/.${artifact.binary}.${id}.new`;
  const target = `${dir}/${artifact.binary}`;
  try {
    const actual = await fetchInto(spec, artifact, temp, options);
    if (actual !== expected) {
      throw new ToolDownloadError({
        tool: spec.name,
        url: artifact.url,
        reason: "the sha256 does not match the release's checksum file",
        expected,
        actual,
        manual: spec.manual,
      });
    }
    let ready = temp;
    if (artifact.member !== undefined) {
      const file = await Deno.open(temp, { read: true });
      let bytes: Uint8Array;
      try {
        bytes = await extractMember(file.readable, artifact.member);
      } catch (cause) {
        const why = cause instanceof UnsafeArchiveError ? cause.message : `cannot unpack: ${cause}`;
        throw new ToolDownloadError({
          tool: spec.name,
          url: artifact.url,
          reason: `refused the archive: ${why}`,
          manual: spec.manual,
          cause,
        });
      }
      await Deno.writeFile(unpacked, bytes, { createNew: true, mode: 0o600 });
      ready = unpacked;
    }
    await Deno.chmod(ready, 0o755);
    await Deno.rename(ready, target);
    return target;
  } finally {
    for (const f of [temp, unpacked]) await Deno.remove(f).catch(() => {});
    await Deno.remove(dir).catch(() => {}); // only succeeds when empty (a failed first download)
  }
}
