/**
 * Small helpers used by later modules: namespaces, secrets, annotations,
 * conditions.
 *
 * @module
 */

import type { Kube } from "./client.ts";
import type { ApplyResult, Condition, KubeObject, ObjectRef } from "./types.ts";
import { applyManifests } from "./apply.ts";
import { applySecret } from "./_helpers.ts";

/** Options for {@linkcode ensureNamespace}. */
export interface EnsureNamespaceOptions {
  /** Labels to set on the namespace. */
  readonly labels?: Readonly<Record<string, string>>;
  /** Server dry run. @default false */
  readonly dryRun?: boolean;
}

/**
 * Creates a namespace if missing (server-side apply, so existing ones are left
 * as they are apart from the given labels).
 *
 * @param kube The connection.
 * @param name The namespace.
 * @param options Labels and dry run.
 * @returns The apply result.
 * @throws {KubeApiError} The API rejected it.
 *
 * @example
 * ```ts ignore
 * import { connectKube, ensureNamespace } from "@bosun/sdk";
 * await ensureNamespace(await connectKube(), "flux-system");
 * ```
 */
export async function ensureNamespace(
  kube: Kube,
  name: string,
  options: EnsureNamespaceOptions = {},
): Promise<ApplyResult> {
  const metadata: KubeObject["metadata"] = { name };
  if (options.labels) metadata.labels = { ...options.labels };
  const [result] = await applyManifests(kube, { apiVersion: "v1", kind: "Namespace", metadata }, {
    dryRun: options.dryRun ?? false,
  });
  return result!;
}

/** The secret to write with {@linkcode upsertSecret}. */
export interface SecretSpec {
  /** Name. */
  readonly name: string;
  /** Namespace. */
  readonly namespace: string;
  /** Values: strings are stored as UTF-8, bytes as they are. */
  readonly data: Readonly<Record<string, string | Uint8Array>>;
  /** Secret type. @default "Opaque" */
  readonly type?: string;
  /** Labels. */
  readonly labels?: Readonly<Record<string, string>>;
  /** Annotations. */
  readonly annotations?: Readonly<Record<string, string>>;
}

/** Options for {@linkcode upsertSecret}. */
export interface UpsertSecretOptions {
  /** Server dry run. @default false */
  readonly dryRun?: boolean;
  /** Create the namespace when it is missing. @default false */
  readonly createNamespace?: boolean;
}

/**
 * Creates or updates a Secret with server-side apply. Values never appear in
 * errors or logs.
 *
 * @param kube The connection.
 * @param secret Name, namespace, data, type, labels.
 * @param options Dry run, namespace creation.
 * @returns The apply result (its `object` holds base64 data, as the API returns it).
 * @throws {KubeApiError} The API rejected it.
 *
 * @example
 * ```ts ignore
 * import { connectKube, upsertSecret } from "@bosun/sdk";
 * await upsertSecret(await connectKube(), { name: "sops-age", namespace: "flux-system", data: { "age.agekey": "AGE-SECRET-KEY-1…" } });
 * ```
 */
export async function upsertSecret(
  kube: Kube,
  secret: SecretSpec,
  options: UpsertSecretOptions = {},
): Promise<ApplyResult> {
  return await applySecret(kube, secret, options);
}

/** Options for {@linkcode annotate}. */
export interface AnnotateOptions {
  /** Annotations to set; `null` removes one. */
  readonly annotations: Readonly<Record<string, string | null>>;
}

/**
 * Sets or removes annotations with a merge patch, without taking ownership of
 * other fields (used for reconcile triggers such as
 * `reconcile.fluxcd.io/requestedAt`).
 *
 * @param kube The connection.
 * @param ref The object.
 * @param options The annotations.
 * @returns The updated object.
 * @throws {KubeApiError} The object does not exist (`status` 404) or the API rejected the patch.
 *
 * @example
 * ```ts ignore
 * import { annotate, connectKube } from "@bosun/sdk";
 * await annotate(await connectKube(), { apiVersion: "kustomize.toolkit.fluxcd.io/v1", kind: "Kustomization", name: "flux-system", namespace: "flux-system" },
 *   { annotations: { "reconcile.fluxcd.io/requestedAt": new Date().toISOString() } });
 * ```
 */
export async function annotate(
  kube: Kube,
  ref: ObjectRef,
  options: AnnotateOptions,
): Promise<KubeObject> {
  const path = await kube.pathFor(ref);
  return await kube.request<KubeObject>("PATCH", path, {
    body: { metadata: { annotations: options.annotations } },
    contentType: "application/merge-patch+json",
    verb: "annotate",
    ref,
  });
}

/**
 * Finds a condition in `status.conditions`.
 *
 * @param object The object (or `undefined`).
 * @param type The condition type, e.g. `Ready`.
 * @returns The condition, or `undefined`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { getCondition } from "@bosun/sdk";
 * const obj = { apiVersion: "v1", kind: "X", metadata: { name: "x" },
 *   status: { conditions: [{ type: "Ready", status: "True" }] } };
 * assert.ok(getCondition(obj, "Ready")?.status === "True");
 * ```
 */
export function getCondition(object: KubeObject | undefined, type: string): Condition | undefined {
  const status = object?.status;
  if (!status || typeof status !== "object") return undefined;
  const conditions = (status as { conditions?: unknown }).conditions;
  if (!Array.isArray(conditions)) return undefined;
  return conditions.find((c): c is Condition =>
    typeof c === "object" && c !== null && (c as { type?: unknown }).type === type
  );
}
