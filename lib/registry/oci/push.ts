/**
 * `pushArtifact`: package a directory as a deterministic, GitOps-ready OCI artifact.
 *
 * @module
 */

import { type Reporter, silentReporter } from "../../ui/mod.ts";
import { gzipToSpool, sha256Digest } from "./_blob.ts";
import { listTree, tarStream } from "./_tar.ts";
import { type ImageManifest, RegistryClient, type RegistryClientOptions } from "./client.ts";
import { ArtifactNotFoundError, ArtifactSourceError } from "./errors.ts";
import { ANNOTATIONS, type ArtifactFlavor, flavorMediaTypes, MEDIA_TYPES } from "./media.ts";
import { formatReference, parseReference } from "./reference.ts";

/** Options for {@linkcode pushArtifact}. */
export interface PushArtifactOptions extends RegistryClientOptions {
  /** Layout for the GitOps engine that will read it. @default "flux" */
  readonly flavor?: ArtifactFlavor;
  /** `org.opencontainers.image.source`. @default `file://<absolute dir>` */
  readonly source?: string;
  /** `org.opencontainers.image.revision`. @default the layer digest (`sha256:…`) */
  readonly revision?: string;
  /** `org.opencontainers.image.created`. @default `$SOURCE_DATE_EPOCH`, else now */
  readonly created?: Date;
  /** Extra manifest annotations. */
  readonly annotations?: Readonly<Record<string, string>>;
  /** Leave out paths (relative, `/`-separated); `.git` is always left out. */
  readonly exclude?: (path: string, isDir: boolean) => boolean;
  /** Bytes of compressed layer held in memory before it spills to a temporary file. @default 8 MiB */
  readonly memoryLimit?: number;
  /** Progress output. @default silentReporter */
  readonly reporter?: Reporter;
}

/** What {@linkcode pushArtifact} pushed. */
export interface PushResult {
  /** `host/repository:tag`. */
  readonly reference: string;
  /** `oci://host/repository` (what a GitOps source points at, seen from this machine). */
  readonly url: string;
  /** The tag. */
  readonly tag: string;
  /** The manifest digest (`sha256:…`). */
  readonly digest: string;
  /** Flux's revision string for it: `<tag>@<digest>`. */
  readonly revision: string;
  /** The content layer's digest. */
  readonly layerDigest: string;
  /** The content layer's size in bytes. */
  readonly layerSize: number;
  /** Regular files packaged. */
  readonly files: number;
  /** True when the tag already pointed at this exact content (nothing was written). */
  readonly unchanged: boolean;
}

/**
 * Packages `dir` as one deterministic tar+gzip layer (entries sorted, mtime 0, uid/gid 0,
 * modes 0644/0755, gzip without timestamp: the same files always give the same layer
 * digest) and pushes it with a flavour-specific config and the
 * `org.opencontainers.image.{created,source,revision}` annotations. Blobs already in the
 * registry are not uploaded again; when the tag already points at a manifest with the same
 * layer, source and revision, that manifest is kept, so pushing twice gives the same digest.
 *
 * @param dir The directory to package.
 * @param ref Where to push, e.g. `localhost:5050/k8s:latest` (`oci://` optional, tag defaults to `latest`).
 * @param options Layout, annotations, transport, credentials, reporter.
 * @returns The tag and digest pushed.
 * @throws {ArtifactSourceError} When `dir` is missing, not a directory or holds no files.
 * @throws {RegistryUnreachableError} When the registry cannot be reached.
 * @throws {RegistryError} When the registry refuses the push.
 *
 * @example
 * ```ts ignore
 * import { pushArtifact } from "@bosun/sdk";
 * const { digest } = await pushArtifact("k8s", "localhost:5050/k8s:latest");
 * ```
 */
export async function pushArtifact(
  dir: string,
  ref: string,
  options: PushArtifactOptions = {},
): Promise<PushResult> {
  const parsed = parseReference(ref);
  const tag = parsed.tag ?? "latest";
  const reporter = options.reporter ?? silentReporter;
  const flavor = options.flavor ?? "flux";
  const types = flavorMediaTypes(flavor);
  let info: Deno.FileInfo;
  try {
    info = await Deno.stat(dir);
  } catch (cause) {
    throw new ArtifactSourceError(dir, "it does not exist", { cause });
  }
  if (!info.isDirectory) throw new ArtifactSourceError(dir, "it is not a directory");
  const absDir = await Deno.realPath(dir);

  const step = reporter.step(`Packaging ${dir}`);
  let built;
  let files = 0;
  try {
    const entries = listTree(absDir, options.exclude ? { exclude: options.exclude } : {});
    files = entries.filter((e) => e.type === "file").length;
    if (files === 0) throw new ArtifactSourceError(dir, "it holds no files");
    built = await gzipToSpool(tarStream(entries), options.memoryLimit);
    step.succeed(`${files} files, ${built.size} bytes`);
  } catch (error) {
    step.fail(error);
    throw error;
  }

  using spool = built.spool;
  const client = new RegistryClient(parsed.registry, options);
  const target = formatReference({ registry: parsed.registry, repository: parsed.repository, tag });
  const pushStep = reporter.step(`Pushing ${target}`);
  try {
    const config = new TextEncoder().encode("{}");
    const configDesc = {
      mediaType: types.config,
      digest: sha256Digest(config),
      size: config.length,
    };
    const layerDesc = {
      mediaType: types.layer,
      digest: built.digest,
      size: built.size,
      annotations: { [ANNOTATIONS.title]: `${parsed.repository.split("/").pop()}.tar.gz` },
    };
    const revision = options.revision ?? built.digest;
    const source = options.source ?? `file://${absDir}`;
    const existing = await client.getManifest(parsed.repository, tag).catch((e) => {
      if (e instanceof ArtifactNotFoundError) return undefined;
      throw e;
    });
    const m = existing?.manifest;
    if (
      m && m.config?.digest === configDesc.digest && m.config.mediaType === configDesc.mediaType &&
      m.layers?.length === 1 && m.layers[0]!.digest === layerDesc.digest &&
      m.layers[0]!.mediaType === layerDesc.mediaType &&
      m.annotations?.[ANNOTATIONS.source] === source &&
      m.annotations?.[ANNOTATIONS.revision] === revision &&
      Object.entries(options.annotations ?? {}).every(([k, v]) => m.annotations?.[k] === v)
    ) {
      pushStep.succeed("unchanged");
      return result(parsed.registry, parsed.repository, tag, existing!.digest, built, files, true);
    }
    await Promise.all([
      client.uploadBlob(parsed.repository, { ...configDesc, bytes: config }),
      client.uploadBlob(parsed.repository, { digest: built.digest, size: built.size, spool }),
    ]);
    const manifest: ImageManifest = {
      schemaVersion: 2,
      mediaType: MEDIA_TYPES.ociManifest,
      config: configDesc,
      layers: [layerDesc],
      annotations: {
        ...options.annotations,
        [ANNOTATIONS.created]: createdAt(options.created),
        [ANNOTATIONS.source]: source,
        [ANNOTATIONS.revision]: revision,
      },
    };
    const bytes = new TextEncoder().encode(JSON.stringify(manifest));
    const digest = sha256Digest(bytes);
    await client.putManifest(parsed.repository, tag, bytes, MEDIA_TYPES.ociManifest);
    pushStep.succeed(digest.slice(0, 19));
    return result(parsed.registry, parsed.repository, tag, digest, built, files, false);
  } catch (error) {
    pushStep.fail(error);
    throw error;
  }
}

function createdAt(created: Date | undefined): string {
  if (created) return created.toISOString().replace(/\.\d{3}Z$/, "Z");
  const epoch = Deno.env.get("SOURCE_DATE_EPOCH");
  const date = epoch && /^\d+$/.test(epoch) ? new Date(Number(epoch) * 1000) : new Date();
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

function result(
  registry: string,
  repository: string,
  tag: string,
  digest: string,
  built: { digest: string; size: number },
  files: number,
  unchanged: boolean,
): PushResult {
  return {
    reference: `${registry}/${repository}:${tag}`,
    url: `oci://${registry}/${repository}`,
    tag,
    digest,
    revision: `${tag}@${digest}`,
    layerDigest: built.digest,
    layerSize: built.size,
    files,
    unchanged,
  };
}
