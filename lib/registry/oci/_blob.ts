/**
 * Blob helpers: a spool that keeps small blobs in memory and spills large ones to a
 * temporary file, and the deterministic gzip + SHA-256 pipeline that fills it.
 * Private to the OCI client.
 *
 * @module
 */

import { createHash } from "node:crypto";
import { createGzip } from "node:zlib";
import type { Buffer } from "node:buffer";

/** Bytes kept in memory before a spool moves to a temporary file. */
export const SPOOL_MEMORY_LIMIT = 8 << 20;

/** Blob content held in memory or in a temporary file. */
export class Spool implements Disposable {
  #chunks: Uint8Array[] = [];
  #file: Deno.FsFile | undefined;
  #path: string | undefined;
  #size = 0;
  readonly #limit: number;

  /** @param limit Bytes to hold in memory before spilling to disk. */
  constructor(limit: number = SPOOL_MEMORY_LIMIT) {
    this.#limit = limit;
  }

  /** Total bytes written. */
  get size(): number {
    return this.#size;
  }

  /** The content when it is held in memory, else `undefined`. */
  get bytes(): Uint8Array | undefined {
    if (this.#file) return undefined;
    if (this.#chunks.length === 1) return this.#chunks[0];
    const out = new Uint8Array(this.#size);
    let off = 0;
    for (const c of this.#chunks) {
      out.set(c, off);
      off += c.length;
    }
    this.#chunks = [out];
    return out;
  }

  /** Appends a chunk (the spool keeps a reference: do not reuse the buffer). */
  write(chunk: Uint8Array): void {
    this.#size += chunk.length;
    if (!this.#file && this.#size > this.#limit) {
      this.#path = Deno.makeTempFileSync({ prefix: "bosun-blob-" });
      this.#file = Deno.openSync(this.#path, { write: true, read: true });
      for (const c of this.#chunks) writeAllSync(this.#file, c);
      this.#chunks = [];
    }
    if (this.#file) writeAllSync(this.#file, chunk);
    else this.#chunks.push(chunk);
  }

  /** Reads `length` bytes at `offset` (from memory or the file). */
  async read(offset: number, length: number): Promise<Uint8Array> {
    const mem = this.bytes;
    if (mem) return mem.subarray(offset, offset + length);
    const out = new Uint8Array(length);
    await this.#file!.seek(offset, Deno.SeekMode.Start);
    let got = 0;
    while (got < length) {
      const n = await this.#file!.read(out.subarray(got));
      if (n === null) break;
      got += n;
    }
    return out.subarray(0, got);
  }

  /** Frees the memory or removes the temporary file. */
  [Symbol.dispose](): void {
    this.#chunks = [];
    try {
      this.#file?.close();
    } catch { /* already closed */ }
    if (this.#path) {
      try {
        Deno.removeSync(this.#path);
      } catch { /* already gone */ }
    }
  }
}

function writeAllSync(file: Deno.FsFile, data: Uint8Array): void {
  let off = 0;
  while (off < data.length) off += file.writeSync(data.subarray(off));
}

/** A finished blob: its digest, size and content. */
export interface BuiltBlob {
  readonly digest: string;
  readonly size: number;
  readonly spool: Spool;
}

/** The SHA-256 digest (`sha256:<hex>`) of bytes. */
export function sha256Digest(data: Uint8Array): string {
  return `sha256:${createHash("sha256").update(data).digest("hex")}`;
}

/**
 * Gzips a byte stream (header mtime 0, OS byte fixed by zlib, level 6), hashing and
 * spooling the compressed output as it is produced. Input is batched into 256 KiB writes.
 */
export async function gzipToSpool(
  source: AsyncIterable<Uint8Array>,
  limit: number = SPOOL_MEMORY_LIMIT,
): Promise<BuiltBlob> {
  const spool = new Spool(limit);
  const hash = createHash("sha256");
  const gz = createGzip({ level: 6 });
  const finished = new Promise<void>((resolve, reject) => {
    gz.on("end", () => resolve());
    gz.on("error", reject);
  });
  gz.on("data", (chunk: Buffer) => {
    const bytes = new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    hash.update(bytes);
    spool.write(bytes);
  });
  const BATCH = 256 << 10;
  let batch = new Uint8Array(BATCH);
  let used = 0;
  const push = async (data: Uint8Array) => {
    if (!gz.write(data)) await new Promise<void>((r) => gz.once("drain", () => r()));
  };
  try {
    for await (const chunk of source) {
      if (chunk.length >= BATCH) {
        if (used) {
          await push(batch.subarray(0, used));
          batch = new Uint8Array(BATCH);
          used = 0;
        }
        await push(chunk);
        continue;
      }
      if (used + chunk.length > BATCH) {
        await push(batch.subarray(0, used));
        batch = new Uint8Array(BATCH);
        used = 0;
      }
      batch.set(chunk, used);
      used += chunk.length;
    }
    if (used) await push(batch.subarray(0, used));
    gz.end();
    await finished;
  } catch (error) {
    gz.destroy();
    spool[Symbol.dispose]();
    throw error;
  }
  return { digest: `sha256:${hash.digest("hex")}`, size: spool.size, spool };
}
