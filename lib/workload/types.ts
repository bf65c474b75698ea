/**
 * The shapes every generator shares: object metadata and the options common to
 * all manifests.
 *
 * @module
 */

/** Metadata of a generated manifest. */
export interface ManifestMetadata {
  /** Object name. */
  name: string;
  /** Namespace, for namespaced kinds. */
  namespace?: string;
  /** Labels. */
  labels?: Record<string, string>;
  /** Annotations. */
  annotations?: Record<string, string>;
  /** Any other metadata field. */
  [key: string]: unknown;
}

/** A Kubernetes object built by a generator, ready to serialise or apply. */
export interface Manifest {
  /** `group/version`, or `v1` for the core group. */
  apiVersion: string;
  /** The kind. */
  kind: string;
  /** Metadata. */
  metadata: ManifestMetadata;
  /** `spec`, `data` and any other top-level field. */
  [key: string]: unknown;
}

/** Options every generator accepts. */
export interface CommonOptions {
  /** Namespace of the object (namespaced kinds only). */
  readonly namespace?: string;
  /** Extra labels. */
  readonly labels?: Readonly<Record<string, string>>;
  /** Annotations. */
  readonly annotations?: Readonly<Record<string, string>>;
}

/** The label every workload generator puts on its objects and selectors. */
export const NAME_LABEL = "app.kubernetes.io/name";

/**
 * Builds metadata from a name and the common options, leaving unset fields out.
 *
 * @param name The object name.
 * @param options Namespace, labels and annotations.
 * @param baseLabels Labels the generator always sets (overridden by `options.labels`).
 * @returns The metadata object.
 * @throws {TypeError} When `name` is not a valid Kubernetes object name.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { metadataFor } from "@bosun/sdk";
 * const meta = metadataFor("web", { namespace: "apps" });
 * assert.equal(meta.namespace, "apps");
 * ```
 */
export function metadataFor(
  name: string,
  options: CommonOptions = {},
  baseLabels: Readonly<Record<string, string>> = {},
): ManifestMetadata {
  assertName(name);
  const labels = { ...baseLabels, ...options.labels };
  return {
    name,
    ...(options.namespace === undefined ? {} : { namespace: options.namespace }),
    ...(Object.keys(labels).length === 0 ? {} : { labels }),
    ...(options.annotations === undefined ? {} : { annotations: { ...options.annotations } }),
  };
}

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

/**
 * Checks that `name` is a DNS-1123 subdomain, as Kubernetes requires for most names.
 *
 * @param name The name to check.
 * @param what What the name is for, used in the message.
 * @throws {TypeError} When the name is empty, too long or has invalid characters.
 *
 * @example
 * ```ts
 * import { assertName } from "@bosun/sdk";
 * assertName("web-1");
 * ```
 */
export function assertName(name: string, what = "object name"): void {
  if (name.length === 0 || name.length > 253 || !DNS_SUBDOMAIN.test(name)) {
    throw new TypeError(
      `Invalid ${what} "${name}": use lower-case letters, digits, "-" and ".", ` +
        "starting and ending with a letter or digit (at most 253 characters)",
    );
  }
}
