/**
 * Connecting to a cluster: {@linkcode connectKube} returns the {@linkcode Kube}
 * handle every other module uses.
 *
 * @module
 */

import type { KubeObject, ObjectRef } from "./types.ts";

/** Options for {@linkcode connectKube}. */
export interface ConnectOptions {
  /** Kubeconfig path (or `:`-separated list). @default `$KUBECONFIG`, else `~/.kube/config` */
  readonly kubeconfig?: string | undefined;
  /** Context to use. @default the kubeconfig's current context */
  readonly context?: string | undefined;
  /** Per-request timeout in milliseconds. @default 30000 */
  readonly requestTimeoutMs?: number | undefined;
}

/** Options for {@linkcode Kube.request}. */
export interface KubeRequestOptions {
  /** JSON body (objects are serialised with `JSON.stringify`). */
  readonly body?: unknown;
  /** Query parameters. */
  readonly query?: Readonly<Record<string, string | undefined>>;
  /** Extra request headers (e.g. `accept` for metadata-only lists). */
  readonly headers?: Readonly<Record<string, string>> | undefined;
  /** Content type of the body. @default "application/json" */
  readonly contentType?: string;
  /** What Bosun is doing, for error messages. @default the HTTP method */
  readonly verb?: string;
  /** The object concerned, for error messages. */
  readonly ref?: ObjectRef | undefined;
  /** Cancels the request. */
  readonly signal?: AbortSignal | undefined;
}

/** How the API serves one kind (from discovery). */
export interface ResourceInfo {
  /** `group/version` or `v1`. */
  readonly apiVersion: string;
  /** The kind. */
  readonly kind: string;
  /** The plural resource name used in URLs. */
  readonly plural: string;
  /** Whether objects of this kind live in a namespace. */
  readonly namespaced: boolean;
}

/** Options for {@linkcode Kube.list}. */
export interface ListOptions {
  /** Only this namespace. @default all namespaces */
  readonly namespace?: string | undefined;
  /** A label selector, e.g. `app=web,tier!=db`. */
  readonly labelSelector?: string | undefined;
}

/** A connection to one cluster. Create it with {@linkcode connectKube}. */
export interface Kube {
  /** The kubeconfig path(s) it was loaded from, when any. */
  readonly kubeconfig: string | undefined;
  /** The context in use. */
  readonly context: string;
  /** The API server URL. */
  readonly server: string;
  /** The context's default namespace (`default` when unset). */
  readonly namespace: string;
  /**
   * Sends one request to the API server and returns the decoded JSON body.
   * Throws {@linkcode KubeApiError} on an API error status and
   * {@linkcode KubeConnectionError} when the server cannot be reached.
   */
  request<T = unknown>(method: string, path: string, options?: KubeRequestOptions): Promise<T>;
  /** Opens a streaming request (watches); the caller reads and cancels the body. */
  stream(path: string, options?: KubeRequestOptions): Promise<ReadableStream<Uint8Array>>;
  /** Looks up how a kind is served; throws {@linkcode UnknownKindError} when it is not. */
  resource(apiVersion: string, kind: string): Promise<ResourceInfo>;
  /** Forgets cached discovery (after CRDs change). */
  invalidateDiscovery(): void;
  /** The URL path of an object, or of its collection when `name` is empty. */
  pathFor(ref: ObjectRef): Promise<string>;
  /** Reads one object; `undefined` when it does not exist. */
  get(ref: ObjectRef): Promise<KubeObject | undefined>;
  /** Lists objects of one kind. */
  list(apiVersion: string, kind: string, options?: ListOptions): Promise<KubeObject[]>;
  /** Deletes one object (background propagation); `false` when it did not exist. */
  delete(ref: ObjectRef): Promise<boolean>;
  /** Releases the HTTP client. */
  close(): void;
}

/**
 * Connects to the cluster of a kubeconfig context. Nothing is sent until the
 * first request, except that the kubeconfig is read and checked.
 *
 * @param options Kubeconfig path and context.
 * @returns The handle.
 * @throws {KubeconfigError} The kubeconfig is unreadable or lacks the context; the message names both.
 *
 * @example
 * ```ts ignore
 * import { connectKube } from "@bosun/sdk";
 * const kube = await connectKube({ context: "kind-dev" });
 * console.log(kube.server);
 * ```
 */
export async function connectKube(options: ConnectOptions = {}): Promise<Kube> {
  const { openKube } = await import("./_client.ts");
  return openKube(options);
}
