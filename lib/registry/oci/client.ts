/**
 * A small OCI distribution client: blobs (HEAD, monolithic and chunked upload, streaming
 * download), manifests and tags, over plain HTTP for loopback registries and HTTPS
 * otherwise, with basic auth and the registry token flow.
 *
 * @module
 */

import type { Runner } from "../../exec/mod.ts";
import { dockerCredentials, type RegistryCredentials } from "./credentials.ts";
import { ArtifactNotFoundError, RegistryError, RegistryUnreachableError } from "./errors.ts";
import { MEDIA_TYPES } from "./media.ts";
import { isLoopbackRegistry } from "./reference.ts";
import { sha256Digest } from "./_blob.ts";

/** Blob content too large to hold in memory, read back in chunks. */
export interface BlobReader {
  /** The content when it is held in memory, else `undefined`. */
  readonly bytes: Uint8Array | undefined;
  /** Reads `length` bytes from `offset`. */
  read(offset: number, length: number): Promise<Uint8Array>;
}

/** Options for {@linkcode RegistryClient}. */
export interface RegistryClientOptions {
  /** Speak plain HTTP. @default true for loopback registries, false otherwise */
  readonly plainHttp?: boolean;
  /** Credentials; when absent they are read from the Docker config file. */
  readonly credentials?: RegistryCredentials;
  /** Docker config file to read credentials from. @default ~/.docker/config.json */
  readonly dockerConfig?: string;
  /** Runner for Docker credential helpers. @default defaultRunner */
  readonly runner?: Runner;
  /** Upload chunk size for blobs kept on disk. @default 8 MiB */
  readonly chunkSize?: number;
  /** Aborts requests. */
  readonly signal?: AbortSignal;
}

/** A content descriptor. */
export interface Descriptor {
  /** Media type of the content. */
  readonly mediaType: string;
  /** `sha256:…` digest of the content. */
  readonly digest: string;
  /** Size in bytes. */
  readonly size: number;
  /** Annotations. */
  readonly annotations?: Readonly<Record<string, string>>;
}

/** An OCI image manifest. */
export interface ImageManifest {
  /** Always 2. */
  readonly schemaVersion: 2;
  /** The manifest's own media type. */
  readonly mediaType: string;
  /** The artifact type, when set. */
  readonly artifactType?: string;
  /** The config blob. */
  readonly config: Descriptor;
  /** The content layers. */
  readonly layers: readonly Descriptor[];
  /** Manifest annotations (source, revision, created). */
  readonly annotations?: Readonly<Record<string, string>>;
}

/** A manifest with its digest as the registry reports it. */
export interface FetchedManifest {
  /** The manifest digest. */
  readonly digest: string;
  /** The parsed manifest. */
  readonly manifest: ImageManifest;
  /** The manifest exactly as served (its digest is over these bytes). */
  readonly bytes: Uint8Array;
}

/** A parsed `WWW-Authenticate` challenge. */
export interface Challenge {
  /** `bearer` or `basic` (lower case). */
  readonly scheme: string;
  /** Its parameters (`realm`, `service`, `scope`), keys in lower case. */
  readonly params: Readonly<Record<string, string>>;
}

type Body = Uint8Array | undefined;

const ACCEPT_MANIFEST = [MEDIA_TYPES.ociManifest, MEDIA_TYPES.dockerManifest, MEDIA_TYPES.ociIndex]
  .join(", ");

/**
 * Talks to one registry. Constructing it does no I/O; credentials are read on the first
 * `401` challenge. Tokens are cached per scope for the client's lifetime.
 *
 * @example
 * ```ts ignore
 * import { RegistryClient } from "@bosun/sdk";
 * const client = new RegistryClient("127.0.0.1:5050");
 * console.log(await client.listTags("k8s"));
 * ```
 */
export class RegistryClient {
  /** The registry host. */
  readonly registry: string;
  readonly #base: string;
  readonly #options: RegistryClientOptions;
  #credentials: RegistryCredentials | undefined | null = null;
  readonly #tokens = new Map<string, string>();

  /**

   * Creates the value from its parts.
   * @param registry Host with optional port.
   * @param options Transport and credentials.
   */
  constructor(registry: string, options: RegistryClientOptions = {}) {
    this.registry = registry;
    this.#options = options;
    const plain = options.plainHttp ?? isLoopbackRegistry(registry);
    this.#base = `${plain ? "http" : "https"}://${registry}`;
  }

  /** Checks that the registry answers `/v2/` (authenticating when it asks). */
  async ping(): Promise<void> {
    const res = await this.#request("GET", "/v2/", {}, "");
    await res.body?.cancel();
    if (!res.ok) throw await this.#error(res, "", "Cannot use registry");
  }

  /** Whether a blob exists in the repository. */
  async hasBlob(repository: string, digest: string): Promise<boolean> {
    const res = await this.#request(
      "HEAD",
      `/v2/${repository}/blobs/${digest}`,
      {},
      pull(repository),
    );
    await res.body?.cancel();
    if (res.status === 404) return false;
    if (!res.ok) throw await this.#error(res, repository, `Cannot check blob ${digest} in`);
    return true;
  }

  /**
   * Uploads a blob unless it already exists: in-memory blobs in one PUT, on-disk blobs in
   * chunked PATCHes (never read whole).
   *
   * @returns `true` when the blob was uploaded, `false` when it was already there.
   */
  async uploadBlob(
    repository: string,
    blob: {
      readonly digest: string;
      readonly size: number;
      readonly spool?: BlobReader;
      readonly bytes?: Uint8Array;
    },
  ): Promise<boolean> {
    if (await this.hasBlob(repository, blob.digest)) return false;
    const scope = push(repository);
    const start = await this.#request("POST", `/v2/${repository}/blobs/uploads/`, {}, scope);
    await start.body?.cancel();
    if (start.status !== 202) {
      throw await this.#error(start, repository, "Cannot start an upload to");
    }
    let location = this.#location(start);
    const bytes = blob.bytes ?? blob.spool?.bytes;
    if (!bytes) {
      const chunk = this.#options.chunkSize ?? 8 << 20;
      for (let off = 0; off < blob.size; off += chunk) {
        const data = await blob.spool!.read(off, Math.min(chunk, blob.size - off));
        const res = await this.#request("PATCH", location, {
          body: data,
          headers: {
            "content-type": "application/octet-stream",
            "content-range": `${off}-${off + data.length - 1}`,
            "content-length": String(data.length),
          },
        }, scope);
        await res.body?.cancel();
        if (res.status !== 202) {
          throw await this.#error(res, repository, "Cannot upload a chunk to");
        }
        location = this.#location(res);
      }
    }
    const sep = location.includes("?") ? "&" : "?";
    const done = await this.#request(
      "PUT",
      `${location}${sep}digest=${encodeURIComponent(blob.digest)}`,
      {
        body: bytes ?? new Uint8Array(0),
        headers: { "content-type": "application/octet-stream" },
      },
      scope,
    );
    await done.body?.cancel();
    if (done.status !== 201) {
      throw await this.#error(done, repository, "Cannot finish the upload to");
    }
    return true;
  }

  /** Puts a manifest under a tag (or digest) and returns the digest the registry reports. */
  async putManifest(
    repository: string,
    reference: string,
    body: Uint8Array,
    mediaType: string,
  ): Promise<string> {
    const res = await this.#request("PUT", `/v2/${repository}/manifests/${reference}`, {
      body,
      headers: { "content-type": mediaType },
    }, push(repository));
    await res.body?.cancel();
    if (res.status !== 201) throw await this.#error(res, repository, "Cannot put the manifest in");
    return res.headers.get("docker-content-digest") ?? "";
  }

  /**
   * Fetches a manifest by tag or digest.
   *
   * @throws {ArtifactNotFoundError} When the registry has no such tag or digest.
   */
  async getManifest(repository: string, reference: string): Promise<FetchedManifest> {
    const res = await this.#request("GET", `/v2/${repository}/manifests/${reference}`, {
      headers: { accept: ACCEPT_MANIFEST },
    }, pull(repository));
    if (res.status === 404) {
      await res.body?.cancel();
      throw new ArtifactNotFoundError(this.registry, repository, reference);
    }
    if (!res.ok) throw await this.#error(res, repository, "Cannot fetch the manifest from");
    const bytes = new Uint8Array(await res.arrayBuffer());
    const digest = sha256Digest(bytes);
    const reported = res.headers.get("docker-content-digest");
    if (reference.startsWith("sha256:") && digest !== reference) {
      throw new RegistryError(
        `Cannot trust ${this.registry}/${repository}@${reference}: the manifest hashes to ${digest}`,
        { registry: this.registry, repository },
      );
    }
    if (reported && reported !== digest) {
      throw new RegistryError(
        `Cannot trust ${this.registry}/${repository}:${reference}: it reports ${reported} but hashes to ${digest}`,
        { registry: this.registry, repository },
      );
    }
    return { digest, manifest: JSON.parse(new TextDecoder().decode(bytes)), bytes };
  }

  /**
   * Resolves a tag to its manifest digest with a HEAD request.
   *
   * @throws {ArtifactNotFoundError} When the tag does not exist.
   */
  async resolve(repository: string, tag: string): Promise<string> {
    const res = await this.#request("HEAD", `/v2/${repository}/manifests/${tag}`, {
      headers: { accept: ACCEPT_MANIFEST },
    }, pull(repository));
    await res.body?.cancel();
    if (res.status === 404) throw new ArtifactNotFoundError(this.registry, repository, tag);
    if (!res.ok) throw await this.#error(res, repository, "Cannot resolve a tag in");
    const digest = res.headers.get("docker-content-digest");
    if (digest) return digest;
    return (await this.getManifest(repository, tag)).digest;
  }

  /** Streams a blob (the caller verifies the digest). */
  async fetchBlob(repository: string, digest: string): Promise<ReadableStream<Uint8Array>> {
    const res = await this.#request(
      "GET",
      `/v2/${repository}/blobs/${digest}`,
      {},
      pull(repository),
    );
    if (res.status === 404) {
      await res.body?.cancel();
      throw new ArtifactNotFoundError(this.registry, repository, digest);
    }
    if (!res.ok || !res.body) throw await this.#error(res, repository, "Cannot fetch a blob from");
    return res.body;
  }

  /** Lists a repository's tags (following `Link` pagination); `[]` for an unknown repository. */
  async listTags(repository: string): Promise<string[]> {
    const tags: string[] = [];
    let path: string | undefined = `/v2/${repository}/tags/list?n=1000`;
    while (path) {
      const res = await this.#request("GET", path, {}, pull(repository));
      if (res.status === 404) {
        await res.body?.cancel();
        return tags;
      }
      if (!res.ok) throw await this.#error(res, repository, "Cannot list the tags of");
      const body = await res.json() as { tags?: string[] | null };
      tags.push(...(body.tags ?? []));
      const link = res.headers.get("link");
      path = link ? /<([^>]+)>/.exec(link)?.[1] : undefined;
    }
    return tags;
  }

  #location(res: Response): string {
    const loc = res.headers.get("location");
    if (!loc) {
      throw new RegistryError(`Cannot upload to ${this.registry}: no Location header`, {
        registry: this.registry,
        status: res.status,
      });
    }
    return loc;
  }

  async #error(res: Response, repository: string, what: string): Promise<RegistryError> {
    let code: string | undefined;
    let detail = `HTTP ${res.status}`;
    try {
      const body = await res.json() as { errors?: { code?: string; message?: string }[] };
      const first = body.errors?.[0];
      if (first) {
        code = first.code;
        detail = `${first.code ?? res.status}: ${first.message ?? ""}`.trim();
      }
    } catch { /* not JSON */ }
    const where = repository ? `${this.registry}/${repository}` : this.registry;
    return new RegistryError(`${what} ${where}: ${detail}`, {
      registry: this.registry,
      repository: repository || undefined,
      status: res.status,
      code,
    });
  }

  async #request(
    method: string,
    pathOrUrl: string,
    init: { body?: Body; headers?: Record<string, string> },
    scope: string,
  ): Promise<Response> {
    const url = /^https?:\/\//.test(pathOrUrl) ? pathOrUrl : `${this.#base}${pathOrUrl}`;
    const send = async (auth: string | undefined): Promise<Response> => {
      const headers = new Headers(init.headers);
      if (auth) headers.set("authorization", auth);
      try {
        return await fetch(url, {
          method,
          headers,
          redirect: "follow",
          ...(init.body === undefined ? {} : { body: init.body as Uint8Array<ArrayBuffer> }),
          ...(this.#options.signal ? { signal: this.#options.signal } : {}),
        });
      } catch (cause) {
        if (this.#options.signal?.aborted) throw cause;
        let msg = "";
        for (let e: unknown = cause; e !== undefined && e !== null; e = (e as Error).cause) {
          msg += ` ${e instanceof Error ? e.message : String(e)}`;
          if (!(e instanceof Error)) break;
        }
        msg = msg.trim();
        const detail = /refused/i.test(msg)
          ? "connection refused"
          : /dns error|lookup address/i.test(msg)
          ? "host not found"
          : /certificate|tls/i.test(msg)
          ? `TLS failed (${msg})`
          : msg;
        throw new RegistryUnreachableError(this.registry, detail, { cause });
      }
    };
    const cached = this.#tokens.get(scope) ?? this.#tokens.get("*");
    const res = await send(cached);
    if (res.status !== 401) return res;
    const challenge = parseChallenge(res.headers.get("www-authenticate"));
    if (!challenge) return res;
    await res.body?.cancel();
    const auth = await this.#authorize(challenge, scope);
    return await send(auth);
  }

  async #authorize(challenge: Challenge, scope: string): Promise<string> {
    const creds = await this.#creds();
    if (challenge.scheme === "basic") {
      if (!creds) throw this.#denied("it asks for a user name and password");
      const value = `Basic ${btoa(`${creds.username}:${creds.password}`)}`;
      this.#tokens.set("*", value);
      return value;
    }
    const realm = challenge.params.realm;
    if (!realm) throw this.#denied("its token challenge has no realm");
    const params = new URLSearchParams();
    if (challenge.params.service) params.set("service", challenge.params.service);
    const scopes = scope ? [scope] : challenge.params.scope ? [challenge.params.scope] : [];
    let res: Response;
    try {
      if (creds?.identityToken) {
        const form = new URLSearchParams(params);
        form.set("grant_type", "refresh_token");
        form.set("refresh_token", creds.identityToken);
        form.set("client_id", "bosun");
        for (const s of scopes) form.append("scope", s);
        res = await fetch(realm, { method: "POST", body: form });
      } else {
        for (const s of scopes) params.append("scope", s);
        const headers: Record<string, string> = {};
        if (creds) headers.authorization = `Basic ${btoa(`${creds.username}:${creds.password}`)}`;
        res = await fetch(`${realm}${realm.includes("?") ? "&" : "?"}${params}`, { headers });
      }
    } catch (cause) {
      throw new RegistryUnreachableError(new URL(realm).host, "its token service is unreachable", {
        cause,
      });
    }
    if (!res.ok) {
      await res.body?.cancel();
      throw this.#denied(
        `its token service answered HTTP ${res.status}${
          creds ? "" : " (no credentials found in the Docker config)"
        }`,
      );
    }
    const body = await res.json() as { token?: string; access_token?: string };
    const token = body.token ?? body.access_token;
    if (!token) throw this.#denied("its token service returned no token");
    const value = `Bearer ${token}`;
    this.#tokens.set(scope, value);
    return value;
  }

  #denied(why: string): RegistryError {
    return new RegistryError(`Cannot authenticate to ${this.registry}: ${why}`, {
      registry: this.registry,
      status: 401,
      code: "UNAUTHORIZED",
    });
  }

  async #creds(): Promise<RegistryCredentials | undefined> {
    if (this.#credentials === null) {
      this.#credentials = this.#options.credentials ??
        await dockerCredentials(this.registry, {
          ...(this.#options.dockerConfig ? { configPath: this.#options.dockerConfig } : {}),
          ...(this.#options.runner ? { runner: this.#options.runner } : {}),
        });
    }
    return this.#credentials;
  }
}

function pull(repository: string): string {
  return `repository:${repository}:pull`;
}

function push(repository: string): string {
  return `repository:${repository}:pull,push`;
}

/** Parses a `WWW-Authenticate` header (`Bearer realm="…",service="…"` or `Basic realm="…"`). */
export function parseChallenge(header: string | null): Challenge | undefined {
  if (!header) return undefined;
  const m = /^\s*(\w+)\s*(.*)$/.exec(header);
  if (!m) return undefined;
  const params: Record<string, string> = {};
  const re = /(\w+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))/g;
  let p: RegExpExecArray | null;
  while ((p = re.exec(m[2]!))) params[p[1]!.toLowerCase()] = p[2] ?? p[3] ?? "";
  return { scheme: m[1]!.toLowerCase(), params };
}
