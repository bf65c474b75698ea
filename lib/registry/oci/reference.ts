/**
 * OCI references: `[oci://]host[:port]/repository[:tag][@sha256:…]`.
 *
 * @module
 */

import { InvalidReferenceError } from "./errors.ts";

/** A parsed OCI reference. */
export interface OciReference {
  /** Registry host with optional port, e.g. `127.0.0.1:5050`. */
  readonly registry: string;
  /** Repository path, e.g. `k8s` or `team/app`. */
  readonly repository: string;
  /** Tag, when given. A reference with neither tag nor digest means `latest`. */
  readonly tag?: string;
  /** Digest (`sha256:…`), when given. */
  readonly digest?: string;
}

const REPO_RE =
  /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;
const TAG_RE = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const DIGEST_RE = /^sha256:[a-f0-9]{64}$/;

/**
 * Parses an OCI reference. The first path component is always the registry (there is no
 * implicit Docker Hub): `localhost:5050/k8s:dev`, `oci://ghcr.io/org/app@sha256:…`.
 *
 * @param input The reference, with or without `oci://`.
 * @returns Its parts.
 * @throws {InvalidReferenceError} When it has no repository or a malformed tag/digest.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseReference } from "@bosun/sdk";
 * const ref = parseReference("oci://127.0.0.1:5050/k8s:dev");
 * assert.equal(ref.registry, "127.0.0.1:5050");
 * assert.equal(ref.repository, "k8s");
 * assert.equal(ref.tag, "dev");
 * ```
 */
export function parseReference(input: string): OciReference {
  let rest = input.trim().replace(/^oci:\/\//, "");
  const slash = rest.indexOf("/");
  if (slash <= 0) throw new InvalidReferenceError(input, "it has no registry host and repository");
  const registry = rest.slice(0, slash);
  rest = rest.slice(slash + 1);
  let digest: string | undefined;
  const at = rest.indexOf("@");
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST_RE.test(digest)) throw new InvalidReferenceError(input, `bad digest "${digest}"`);
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(":");
  if (colon >= 0) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG_RE.test(tag)) throw new InvalidReferenceError(input, `bad tag "${tag}"`);
  }
  if (!REPO_RE.test(rest)) {
    throw new InvalidReferenceError(
      input,
      `bad repository "${rest}" (lower-case letters, digits and . _ - / only)`,
    );
  }
  return {
    registry,
    repository: rest,
    ...(tag === undefined ? {} : { tag }),
    ...(digest === undefined ? {} : { digest }),
  };
}

/**
 * Formats a reference as `host/repository[:tag][@digest]` (no scheme).
 *
 * @param ref The parts.
 * @returns The reference string.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatReference } from "@bosun/sdk";
 * assert.equal(formatReference({ registry: "r:5000", repository: "k8s", tag: "latest" }), "r:5000/k8s:latest");
 * ```
 */
export function formatReference(ref: OciReference): string {
  return `${ref.registry}/${ref.repository}${ref.tag ? `:${ref.tag}` : ""}${
    ref.digest ? `@${ref.digest}` : ""
  }`;
}

/**
 * Whether a registry host is on the loopback interface (spoken to over plain HTTP).
 *
 * @param registry A host with optional port.
 * @returns `true` for `localhost`, `*.localhost`, `127.*` and `[::1]`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isLoopbackRegistry } from "@bosun/sdk";
 * assert.ok(isLoopbackRegistry("127.0.0.1:5050"));
 * assert.ok(!isLoopbackRegistry("ghcr.io"));
 * ```
 */
export function isLoopbackRegistry(registry: string): boolean {
  const host = registry.startsWith("[")
    ? registry.slice(1, registry.indexOf("]"))
    : registry.replace(/:\d+$/, "");
  return host === "localhost" || host.endsWith(".localhost") || host === "::1" ||
    /^127\.\d+\.\d+\.\d+$/.test(host);
}

/**
 * Turns a directory name into a valid repository name: lower-case, runs of other characters
 * become `-`, at most 63 characters.
 *
 * @param name A directory name such as `K8s Manifests`.
 * @returns A repository name such as `k8s-manifests` (`manifests` when nothing is left).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { repositoryName } from "@bosun/sdk";
 * assert.equal(repositoryName("./K8s Manifests/"), "k8s-manifests");
 * ```
 */
export function repositoryName(name: string): string {
  const base = name.replace(/\/+$/, "").split("/").pop() ?? "";
  const clean = base.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 63)
    .replace(/-+$/, "");
  return clean || "manifests";
}
