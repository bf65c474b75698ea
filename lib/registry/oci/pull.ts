/**
 * Pulling artifacts back, listing tags and resolving tags to digests.
 *
 * @module
 */

import { createHash } from "node:crypto";
import { readTar } from "./_tar.ts";
import { RegistryClient, type RegistryClientOptions } from "./client.ts";
import { RegistryError } from "./errors.ts";
import { parseReference } from "./reference.ts";

/** What {@linkcode pullArtifact} wrote. */
export interface PullResult {
  /** The manifest digest pulled. */
  readonly digest: string;
  /** The manifest's annotations. */
  readonly annotations: Readonly<Record<string, string>>;
  /** Relative paths of the files written, in archive order. */
  readonly files: readonly string[];
}

/**
 * Pulls an artifact's single tar+gzip content layer and unpacks it into `dir`, verifying
 * the layer digest as it streams. Paths that would escape `dir` are refused; links and
 * devices are skipped.
 *
 * @param ref The artifact, e.g. `localhost:5050/k8s:latest` or `…@sha256:…`.
 * @param dir The directory to unpack into (created when missing).
 * @param options Transport and credentials.
 * @returns The digest, annotations and files.
 * @throws {ArtifactNotFoundError} When the tag or digest does not exist.
 * @throws {RegistryError} When the artifact has no single tar+gzip layer or its digest does not match.
 *
 * @example
 * ```ts ignore
 * import { pullArtifact } from "@bosun/sdk";
 * const { files } = await pullArtifact("localhost:5050/k8s:latest", "/tmp/k8s");
 * ```
 */
export async function pullArtifact(
  ref: string,
  dir: string,
  options: RegistryClientOptions = {},
): Promise<PullResult> {
  const parsed = parseReference(ref);
  const client = new RegistryClient(parsed.registry, options);
  const { digest, manifest } = await client.getManifest(
    parsed.repository,
    parsed.digest ?? parsed.tag ?? "latest",
  );
  const layers = (manifest.layers ?? []).filter((l) => /tar(\+gzip)?$/.test(l.mediaType));
  if (layers.length !== 1) {
    throw new RegistryError(
      `Cannot pull ${ref}: expected one tar layer, found ${layers.length}`,
      { registry: parsed.registry, repository: parsed.repository },
    );
  }
  const layer = layers[0]!;
  const hash = createHash("sha256");
  let bytes: ReadableStream<Uint8Array> = (await client.fetchBlob(parsed.repository, layer.digest))
    .pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, c) {
          hash.update(chunk);
          c.enqueue(chunk);
        },
      }),
    );
  if (layer.mediaType.endsWith("+gzip")) {
    bytes = bytes.pipeThrough(
      new DecompressionStream("gzip") as unknown as TransformStream<Uint8Array, Uint8Array>,
    );
  }
  await Deno.mkdir(dir, { recursive: true });
  const files: string[] = [];
  await readTar(bytes, async (entry, content) => {
    const parts = entry.path.split("/").filter((p) => p !== "" && p !== ".");
    if (entry.path.startsWith("/") || parts.includes("..")) {
      throw new RegistryError(`Cannot pull ${ref}: entry "${entry.path}" escapes the target`, {
        registry: parsed.registry,
        repository: parsed.repository,
      });
    }
    if (parts.length === 0) return;
    const target = `${dir}/${parts.join("/")}`;
    if (entry.type === "dir") {
      await Deno.mkdir(target, { recursive: true });
    } else if (entry.type === "file") {
      if (parts.length > 1) {
        await Deno.mkdir(`${dir}/${parts.slice(0, -1).join("/")}`, { recursive: true });
      }
      using file = await Deno.open(target, {
        write: true,
        create: true,
        truncate: true,
        mode: entry.mode & 0o777,
      });
      for await (const chunk of content) {
        let off = 0;
        while (off < chunk.length) off += await file.write(chunk.subarray(off));
      }
      files.push(parts.join("/"));
    }
  });
  const got = `sha256:${hash.digest("hex")}`;
  if (got !== layer.digest) {
    throw new RegistryError(
      `Cannot pull ${ref}: layer hashes to ${got}, expected ${layer.digest}`,
      {
        registry: parsed.registry,
        repository: parsed.repository,
      },
    );
  }
  return { digest, annotations: manifest.annotations ?? {}, files };
}

/**
 * Lists the tags of a repository (`[]` when the repository does not exist).
 *
 * @param ref The repository, e.g. `localhost:5050/k8s` (a tag, if given, is ignored).
 * @param options Transport and credentials.
 * @returns The tags.
 * @throws {RegistryUnreachableError} When the registry cannot be reached.
 *
 * @example
 * ```ts ignore
 * import { listTags } from "@bosun/sdk";
 * console.log(await listTags("localhost:5050/k8s"));
 * ```
 */
export async function listTags(
  ref: string,
  options: RegistryClientOptions = {},
): Promise<string[]> {
  const parsed = parseReference(ref);
  return await new RegistryClient(parsed.registry, options).listTags(parsed.repository);
}

/**
 * Resolves a tag to the manifest digest it points at.
 *
 * @param ref The artifact, e.g. `localhost:5050/k8s:latest`.
 * @param options Transport and credentials.
 * @returns The digest (`sha256:…`).
 * @throws {ArtifactNotFoundError} When nothing has been pushed under that tag.
 * @throws {RegistryUnreachableError} When the registry cannot be reached.
 *
 * @example
 * ```ts ignore
 * import { resolveArtifact } from "@bosun/sdk";
 * const digest = await resolveArtifact("localhost:5050/k8s:latest");
 * ```
 */
export async function resolveArtifact(
  ref: string,
  options: RegistryClientOptions = {},
): Promise<string> {
  const parsed = parseReference(ref);
  if (parsed.digest) return parsed.digest;
  return await new RegistryClient(parsed.registry, options).resolve(
    parsed.repository,
    parsed.tag ?? "latest",
  );
}
