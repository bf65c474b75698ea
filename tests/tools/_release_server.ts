// Private: a loopback HTTPS server laid out like a release page, serving fake tools (shell scripts
// printing a version), tarballs and sha256sum-style checksum files; it counts every request.

import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex } from "@noble/hashes/utils.js";
import { generatePki } from "../harness/_pki.ts";

/** A fake tool: a shell script printing `<name> v<version>`. */
export function fakeTool(name: string, version: string): Uint8Array {
  return new TextEncoder().encode(`#!/bin/sh\necho "${name} v${version}"\n`);
}

/** The hex sha256 of bytes. */
export function sha256Hex(bytes: Uint8Array): string {
  return bytesToHex(sha256(bytes));
}

/** A .tar.gz of regular files, names written as given (so `../evil` stays `../evil`). */
export async function tarGz(files: Readonly<Record<string, Uint8Array>>): Promise<Uint8Array> {
  const enc = new TextEncoder();
  const blocks: Uint8Array[] = [];
  for (const [name, data] of Object.entries(files)) {
    const h = new Uint8Array(512);
    const put = (text: string, at: number) => h.set(enc.encode(text), at);
    put(name, 0);
    put("0000755\0", 100);
    put("0000000\0", 108);
    put("0000000\0", 116);
    put(`${data.length.toString(8).padStart(11, "0")}\0`, 124);
    put("00000000000\0", 136);
    put("        ", 148);
    put("0", 156);
    put("ustar\0", 257);
    put("00", 263);
    const sum = h.reduce((a, b) => a + b, 0);
    put(`${sum.toString(8).padStart(6, "0")}\0 `, 148);
    blocks.push(h, data, new Uint8Array((512 - (data.length % 512)) % 512));
  }
  blocks.push(new Uint8Array(1024));
  const tar = new Uint8Array(await new Blob(blocks as BlobPart[]).arrayBuffer());
  const gz = new Blob([tar]).stream().pipeThrough(
    new CompressionStream("gzip") as ReadableWritablePair<Uint8Array, Uint8Array>,
  );
  return new Uint8Array(await new Response(gz).arrayBuffer());
}

/**
 * What a path serves: bytes, bytes cut off halfway by a broken connection, half then silence,
 * or a 302 to another URL.
 */
export type Served =
  | Uint8Array
  | { readonly truncated: Uint8Array }
  | { readonly stalled: Uint8Array }
  | { readonly redirect: string };

/** The running server. */
export interface ReleaseServer {
  /** `https://127.0.0.1:<port>`. */
  readonly origin: string;
  /** A client trusting the server's CA. */
  readonly client: Deno.HttpClient;
  /** Paths served; tests replace entries between steps. */
  readonly files: Map<string, Served>;
  /** Every request's path, in order. */
  readonly requests: string[];
  /** Stops the server and closes the client. */
  close(): Promise<void>;
}

/** Starts the server with a fresh CA in `dir`. */
export async function startReleaseServer(dir: string): Promise<ReleaseServer> {
  const pki = await generatePki(dir);
  const files = new Map<string, Served>();
  const requests: string[] = [];
  const server = Deno.serve({
    hostname: "127.0.0.1",
    port: 0,
    cert: await Deno.readTextFile(pki.serverCert),
    key: await Deno.readTextFile(pki.serverKey),
    onListen() {},
  }, (req) => {
    const path = new URL(req.url).pathname;
    requests.push(path);
    const served = files.get(path);
    if (served === undefined) return new Response("not found", { status: 404 });
    if (served instanceof Uint8Array) return new Response(served as BodyInit);
    if ("redirect" in served) {
      return new Response(null, { status: 302, headers: { location: served.redirect } });
    }
    const whole = "truncated" in served ? served.truncated : served.stalled;
    const half = whole.subarray(0, Math.floor(whole.length / 2));
    let sent = false;
    const body = new ReadableStream<Uint8Array>({
      async pull(c) {
        if (!sent) {
          sent = true;
          c.enqueue(half);
          return;
        }
        await new Promise((r) => setTimeout(r, 50)); // the headers and first half are on the wire
        if ("truncated" in served) c.error(new Error("connection cut"));
        else await new Promise(() => {}); // silence until the client hangs up
      },
    });
    return new Response(body);
  });
  const client = Deno.createHttpClient({ caCerts: [await Deno.readTextFile(pki.caCert)] });
  return {
    origin: `https://127.0.0.1:${server.addr.port}`,
    client,
    files,
    requests,
    async close() {
      client.close();
      await server.shutdown();
    },
  };
}
