// The Kube handle: kubeconfig resolution through @kubernetes/client-node's
// KubeConfig, requests through Deno's fetch with a per-cluster TLS client
// (HTTP/2 multiplexing, no Node agent), discovery with a cache.

import { stringify } from "yaml";
import { defaultRunner } from "../exec/mod.ts";
import type {
  ConnectOptions,
  Kube,
  KubeRequestOptions,
  ListOptions,
  ResourceInfo,
} from "./client.ts";
import {
  type ApiCause,
  KubeApiError,
  KubeconfigError,
  KubeConnectionError,
  UnknownKindError,
} from "./errors.ts";
import { kubeconfigPaths, loadKubeconfig } from "./kubeconfig.ts";
import type { KubeObject, ObjectRef } from "./types.ts";

interface Tls {
  caCerts?: string[];
  cert?: string;
  key?: string;
}

interface Auth {
  headers: Record<string, string>;
  tls: Tls;
  expires?: number;
  secrets: string[];
}

const b64 = (s: string) =>
  new TextDecoder().decode(Uint8Array.from(atob(s), (c) => c.charCodeAt(0)));

async function readText(
  path: string,
  what: string,
  kubeconfig: string | undefined,
): Promise<string> {
  try {
    return await Deno.readTextFile(path);
  } catch (error) {
    throw new KubeconfigError(`cannot read ${what} ${path}`, { path: kubeconfig }, {
      cause: error,
    });
  }
}

/** Opens a handle for the context named in `options` (or the current one). */
export async function openKube(options: ConnectOptions): Promise<Kube> {
  const paths = kubeconfigPaths(options);
  const where = paths.join(":");
  const { data, paths: read } = await loadKubeconfig({ kubeconfig: where });
  if (read.length === 0) throw new KubeconfigError("no such file", { path: where });
  const { KubeConfig } = await import("@kubernetes/client-node");
  const kc = new KubeConfig();
  try {
    kc.loadFromString(stringify(data));
  } catch (error) {
    throw new KubeconfigError((error as Error).message, { path: where }, { cause: error });
  }
  const contextName = options.context ?? kc.getCurrentContext();
  if (!contextName) {
    throw new KubeconfigError("no context given and no current-context set", { path: where });
  }
  const context = kc.getContextObject(contextName);
  if (!context) {
    const known = kc.getContexts().map((c) => c.name).join(", ") || "none";
    throw new KubeconfigError(`context "${contextName}" not found (contexts: ${known})`, {
      path: where,
      context: contextName,
    });
  }
  const cluster = kc.getCluster(context.cluster);
  if (!cluster) {
    throw new KubeconfigError(
      `context "${contextName}" refers to cluster "${context.cluster}", which is not defined`,
      { path: where, context: contextName },
    );
  }
  const user = kc.getUser(context.user);
  const rawUser = (data.users ?? []).find((u) => u.name === context.user)?.user ?? {};
  const auth = async (): Promise<Auth> => {
    const tls: Tls = {};
    const headers: Record<string, string> = {};
    const secrets: string[] = [];
    if (cluster.caData) tls.caCerts = [b64(cluster.caData)];
    else if (cluster.caFile) tls.caCerts = [await readText(cluster.caFile, "CA file", where)];
    if (user?.certData) tls.cert = b64(user.certData);
    else if (user?.certFile) tls.cert = await readText(user.certFile, "client certificate", where);
    if (user?.keyData) tls.key = b64(user.keyData);
    else if (user?.keyFile) tls.key = await readText(user.keyFile, "client key", where);
    let expires: number | undefined;
    if (user?.token) {
      headers.authorization = `Bearer ${user.token.trim()}`;
      secrets.push(user.token.trim());
    } else if (user?.username && user.password) {
      headers.authorization = `Basic ${btoa(`${user.username}:${user.password}`)}`;
      secrets.push(user.password);
    } else if (typeof rawUser.tokenFile === "string") {
      const token = (await readText(rawUser.tokenFile, "token file", where)).trim();
      headers.authorization = `Bearer ${token}`;
      secrets.push(token);
    } else if (rawUser.exec) {
      const cred = await execCredential(rawUser.exec as ExecConfig, where, contextName);
      if (cred.token) {
        headers.authorization = `Bearer ${cred.token}`;
        secrets.push(cred.token);
      }
      if (cred.clientCertificateData) tls.cert = cred.clientCertificateData;
      if (cred.clientKeyData) tls.key = cred.clientKeyData;
      if (cred.expirationTimestamp) expires = Date.parse(cred.expirationTimestamp);
    }
    if (user?.impersonateUser) headers["impersonate-user"] = user.impersonateUser;
    return expires === undefined ? { headers, tls, secrets } : { headers, tls, secrets, expires };
  };
  return new KubeClient({
    kubeconfig: where,
    context: contextName,
    server: cluster.server.replace(/\/+$/, ""),
    namespace: context.namespace || "default",
    skipTLSVerify: cluster.skipTLSVerify,
    timeoutMs: options.requestTimeoutMs ?? 30_000,
    auth,
  });
}

interface ExecConfig {
  command: string;
  args?: string[];
  env?: { name: string; value: string }[];
  apiVersion?: string;
}

interface ExecStatus {
  token?: string;
  clientCertificateData?: string;
  clientKeyData?: string;
  expirationTimestamp?: string;
}

async function execCredential(
  exec: ExecConfig,
  kubeconfig: string,
  context: string,
): Promise<ExecStatus> {
  const env: Record<string, string> = {
    KUBERNETES_EXEC_INFO: JSON.stringify({
      apiVersion: exec.apiVersion ?? "client.authentication.k8s.io/v1",
      kind: "ExecCredential",
      spec: { interactive: false },
    }),
  };
  for (const e of exec.env ?? []) env[e.name] = e.value;
  const result = await defaultRunner.run(exec.command, exec.args ?? [], { env }).catch((error) => {
    throw new KubeconfigError(
      `the credential plugin of context "${context}" failed: ${(error as Error).message}`,
      { path: kubeconfig, context },
      { cause: error },
    );
  });
  try {
    return (JSON.parse(result.stdout) as { status?: ExecStatus }).status ?? {};
  } catch (error) {
    throw new KubeconfigError(
      `the credential plugin of context "${context}" printed no ExecCredential`,
      {
        path: kubeconfig,
        context,
      },
      { cause: error },
    );
  }
}

interface ClientInit {
  kubeconfig: string;
  context: string;
  server: string;
  namespace: string;
  skipTLSVerify: boolean;
  timeoutMs: number;
  auth: () => Promise<Auth>;
}

interface ApiStatus {
  kind?: string;
  message?: string;
  reason?: string;
  code?: number;
  details?: { causes?: { field?: string; message?: string; reason?: string }[] };
}

class KubeClient implements Kube {
  readonly kubeconfig: string;
  readonly context: string;
  readonly server: string;
  readonly namespace: string;
  #init: ClientInit;
  #auth: Promise<Auth> | undefined;
  #client: Deno.HttpClient | undefined;
  #h2 = true;
  #discovery = new Map<string, Promise<Map<string, ResourceInfo> | undefined>>();
  #groups: Promise<string[]> | undefined;

  constructor(init: ClientInit) {
    this.#init = init;
    this.kubeconfig = init.kubeconfig;
    this.context = init.context;
    this.server = init.server;
    this.namespace = init.namespace;
  }

  async #session(): Promise<{ auth: Auth; client: Deno.HttpClient | undefined }> {
    let auth = this.#auth ? await this.#auth : undefined;
    if (!auth || (auth.expires !== undefined && auth.expires < Date.now() + 10_000)) {
      this.#auth = this.#init.auth();
      auth = await this.#auth;
      this.#client?.close();
      this.#client = this.#makeClient(auth.tls);
    }
    return { auth, client: this.#client };
  }

  /**
   * HTTP/2 only for https servers (every apiserver speaks it; Deno's fetch does
   * not negotiate it by default): one multiplexed connection instead of one per
   * concurrent request. Falls back to the default client if it fails to connect.
   */
  #makeClient(tls: Tls): Deno.HttpClient {
    const opts: Deno.CreateHttpClientOptions = {};
    if (tls.caCerts) opts.caCerts = tls.caCerts;
    if (this.#h2 && this.server.startsWith("https:")) {
      opts.http1 = false;
      opts.http2 = true;
    }
    return tls.cert && tls.key
      ? Deno.createHttpClient({ ...opts, cert: tls.cert, key: tls.key })
      : Deno.createHttpClient(opts);
  }

  async #fetch(
    method: string,
    path: string,
    options: KubeRequestOptions,
    stream: boolean,
  ): Promise<Response> {
    const { auth, client } = await this.#session();
    const url = new URL(this.server + path);
    for (const [k, v] of Object.entries(options.query ?? {})) {
      if (v !== undefined) url.searchParams.set(k, v);
    }
    const headers: Record<string, string> = {
      accept: "application/json",
      ...options.headers,
      ...auth.headers,
    };
    let body: string | undefined;
    if (options.body !== undefined) {
      headers["content-type"] = options.contentType ?? "application/json";
      body = typeof options.body === "string" ? options.body : JSON.stringify(options.body);
    }
    const signals = [options.signal, stream ? undefined : AbortSignal.timeout(this.#init.timeoutMs)]
      .filter((s): s is AbortSignal => s !== undefined);
    const init: RequestInit & { client?: Deno.HttpClient } = { method, headers };
    if (body !== undefined) init.body = body;
    if (signals.length > 0) init.signal = AbortSignal.any(signals);
    if (client) init.client = client;
    try {
      return await fetch(url, init);
    } catch (error) {
      if (options.signal?.aborted) throw error;
      if (this.#h2 && !(error instanceof DOMException)) {
        this.#h2 = false;
        this.#client?.close();
        this.#client = this.#makeClient(auth.tls);
        return await this.#fetch(method, path, options, stream);
      }
      let problem = error instanceof DOMException && error.name === "TimeoutError"
        ? `no answer within ${this.#init.timeoutMs} ms`
        : (error as Error).message;
      if (this.#init.skipTLSVerify && /certificate|UnknownIssuer/i.test(problem)) {
        problem += " (insecure-skip-tls-verify is not supported: set certificate-authority-data)";
      }
      throw new KubeConnectionError({
        server: this.server,
        problem,
        context: this.context,
        kubeconfig: this.kubeconfig,
      }, { cause: error });
    }
  }

  async #fail(res: Response, method: string, options: KubeRequestOptions): Promise<never> {
    const text = await res.text();
    let status: ApiStatus = {};
    try {
      status = JSON.parse(text) as ApiStatus;
    } catch {
      status = { message: text.trim() || res.statusText };
    }
    const causes: ApiCause[] = (status.details?.causes ?? []).map((c) => ({
      field: c.field,
      message: c.message ?? "",
      reason: c.reason,
    }));
    throw new KubeApiError({
      verb: options.verb ?? method.toLowerCase(),
      ref: options.ref,
      status: res.status,
      reason: status.reason,
      apiMessage: status.message ?? `${res.status} ${res.statusText}`,
      causes,
    });
  }

  async request<T = unknown>(
    method: string,
    path: string,
    options: KubeRequestOptions = {},
  ): Promise<T> {
    let res = await this.#fetch(method, path, options, false);
    // 429 (priority and fairness, or a CRD's storage still initialising) is safe to retry:
    // the server did not act on the request.
    for (let attempt = 0; res.status === 429 && attempt < 8; attempt++) {
      // Retry-After has one-second granularity; the usual cause clears in milliseconds.
      await res.body?.cancel();
      await new Promise((r) => setTimeout(r, Math.min(25 * 2 ** attempt, 1000)));
      res = await this.#fetch(method, path, options, false);
    }
    if (!res.ok) return await this.#fail(res, method, options);
    const text = await res.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }

  async stream(
    path: string,
    options: KubeRequestOptions = {},
  ): Promise<ReadableStream<Uint8Array>> {
    const res = await this.#fetch("GET", path, options, true);
    if (!res.ok) return await this.#fail(res, "GET", options);
    if (!res.body) {
      throw new KubeConnectionError({ server: this.server, problem: "empty watch stream" });
    }
    return res.body;
  }

  #groupVersion(apiVersion: string): Promise<Map<string, ResourceInfo> | undefined> {
    let entry = this.#discovery.get(apiVersion);
    if (!entry) {
      const path = apiVersion.includes("/") ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
      entry = this.request<{ resources: { name: string; kind: string; namespaced: boolean }[] }>(
        "GET",
        path,
        { verb: "discover" },
      ).then(
        (list) => {
          const map = new Map<string, ResourceInfo>();
          for (const r of list.resources) {
            if (r.name.includes("/")) continue;
            map.set(r.kind, { apiVersion, kind: r.kind, plural: r.name, namespaced: r.namespaced });
          }
          return map;
        },
        (error) => {
          this.#discovery.delete(apiVersion);
          if (error instanceof KubeApiError && error.status === 404) return undefined;
          throw error;
        },
      );
      this.#discovery.set(apiVersion, entry);
    }
    return entry;
  }

  async #groupNames(): Promise<string[]> {
    this.#groups ??= this.request<{ groups: { name: string }[] }>("GET", "/apis", {
      verb: "discover",
    })
      .then((g) => ["", ...g.groups.map((x) => x.name)]);
    return await this.#groups;
  }

  async resource(apiVersion: string, kind: string): Promise<ResourceInfo> {
    for (let attempt = 0; attempt < 2; attempt++) {
      const info = (await this.#groupVersion(apiVersion))?.get(kind);
      if (info) return info;
      this.#discovery.delete(apiVersion);
    }
    this.#groups = undefined;
    throw new UnknownKindError({ apiVersion, kind, groups: await this.#groupNames() });
  }

  invalidateDiscovery(): void {
    this.#discovery.clear();
    this.#groups = undefined;
  }

  async pathFor(ref: ObjectRef): Promise<string> {
    const info = await this.resource(ref.apiVersion, ref.kind);
    const base = ref.apiVersion.includes("/")
      ? `/apis/${ref.apiVersion}`
      : `/api/${ref.apiVersion}`;
    const ns = info.namespaced
      ? `/namespaces/${encodeURIComponent(ref.namespace || this.namespace)}`
      : "";
    return `${base}${ns}/${info.plural}${ref.name ? `/${encodeURIComponent(ref.name)}` : ""}`;
  }

  async get(ref: ObjectRef): Promise<KubeObject | undefined> {
    try {
      return await this.request<KubeObject>("GET", await this.pathFor(ref), { verb: "get", ref });
    } catch (error) {
      if (error instanceof KubeApiError && error.status === 404) return undefined;
      throw error;
    }
  }

  async list(apiVersion: string, kind: string, options: ListOptions = {}): Promise<KubeObject[]> {
    const info = await this.resource(apiVersion, kind);
    const base = apiVersion.includes("/") ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
    const ns = info.namespaced && options.namespace
      ? `/namespaces/${encodeURIComponent(options.namespace)}`
      : "";
    const list = await this.request<{ items: KubeObject[] }>("GET", `${base}${ns}/${info.plural}`, {
      verb: "list",
      query: { labelSelector: options.labelSelector },
    });
    return (list.items ?? []).map((o) => ({ ...o, apiVersion, kind }));
  }

  async delete(ref: ObjectRef): Promise<boolean> {
    try {
      await this.request("DELETE", await this.pathFor(ref), {
        verb: "delete",
        ref,
        body: { propagationPolicy: "Background" },
      });
      return true;
    } catch (error) {
      if (error instanceof KubeApiError && error.status === 404) return false;
      throw error;
    }
  }

  close(): void {
    this.#client?.close();
    this.#client = undefined;
    this.#auth = undefined;
  }
}
