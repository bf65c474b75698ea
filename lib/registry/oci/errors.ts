/**
 * Typed errors of the OCI client.
 *
 * @module
 */

/** Fields shared by every {@linkcode RegistryError}. */
export interface RegistryErrorInit {
  /** The registry host (`127.0.0.1:5050`, `ghcr.io`). */
  readonly registry: string;
  /** The repository, when the error concerns one. */
  readonly repository?: string | undefined;
  /** HTTP status, when the registry answered. */
  readonly status?: number | undefined;
  /** The registry's error code (`MANIFEST_UNKNOWN`, `DENIED`, …), when it sent one. */
  readonly code?: string | undefined;
}

/**
 * A registry refused or failed a request.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { RegistryError } from "@bosun/sdk";
 * const e = new RegistryError("Cannot push to 127.0.0.1:5050/k8s: denied", { registry: "127.0.0.1:5050", status: 403 });
 * assert.equal(e.status, 403);
 * ```
 */
export class RegistryError extends Error {
  /** The registry host. */
  readonly registry: string;
  /** The repository, when the error concerns one. */
  readonly repository: string | undefined;
  /** HTTP status, when the registry answered. */
  readonly status: number | undefined;
  /** The registry's error code, when it sent one. */
  readonly code: string | undefined;

  /**

   * Creates the value from its parts.
   * @param message What failed, naming the registry and repository.
   * @param init Structured fields.
   * @param options The cause.
   */
  constructor(message: string, init: RegistryErrorInit, options?: ErrorOptions) {
    super(message, options);
    this.name = "RegistryError";
    this.registry = init.registry;
    this.repository = init.repository;
    this.status = init.status;
    this.code = init.code;
  }
}

/**
 * The registry could not be reached at all (connection refused, DNS, TLS).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { RegistryUnreachableError } from "@bosun/sdk";
 * const e = new RegistryUnreachableError("127.0.0.1:5050", "connection refused");
 * assert.ok(e.message.includes("127.0.0.1:5050"));
 * ```
 */
export class RegistryUnreachableError extends RegistryError {
  /**
   * Creates the value from its parts.
   * @param registry The registry host.
   * @param detail Why the connection failed.
   * @param options The cause.
   */
  constructor(registry: string, detail: string, options?: ErrorOptions) {
    super(
      `Cannot reach registry ${registry}: ${detail}. Is the local registry running (bosun up)?`,
      { registry },
      options,
    );
    this.name = "RegistryUnreachableError";
  }
}

/**
 * The tag or digest does not exist: nothing has been pushed there yet.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ArtifactNotFoundError } from "@bosun/sdk";
 * const e = new ArtifactNotFoundError("127.0.0.1:5050", "k8s", "latest");
 * assert.equal(e.reference, "latest");
 * ```
 */
export class ArtifactNotFoundError extends RegistryError {
  /** The tag or digest that was looked up. */
  readonly reference: string;

  /**

   * Creates the value from its parts.
   * @param registry The registry host.
   * @param repository The repository.
   * @param reference The tag or digest.
   */
  constructor(registry: string, repository: string, reference: string) {
    super(
      `Cannot find ${registry}/${repository}:${reference}: nothing has been pushed there yet (run bosun push)`,
      { registry, repository, status: 404, code: "MANIFEST_UNKNOWN" },
    );
    this.name = "ArtifactNotFoundError";
    this.reference = reference;
  }
}

/**
 * A directory cannot be packaged (missing, empty, or it changed while being read).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ArtifactSourceError } from "@bosun/sdk";
 * const e = new ArtifactSourceError("k8s", "it is empty");
 * assert.equal(e.path, "k8s");
 * ```
 */
export class ArtifactSourceError extends Error {
  /** The directory or file concerned. */
  readonly path: string;

  /**

   * Creates the value from its parts.
   * @param path The directory or file.
   * @param reason Why it cannot be packaged.
   * @param options The cause.
   */
  constructor(path: string, reason: string, options?: ErrorOptions) {
    super(`Cannot package "${path}": ${reason}`, options);
    this.name = "ArtifactSourceError";
    this.path = path;
  }
}

/**
 * A string is not a valid OCI reference.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { InvalidReferenceError } from "@bosun/sdk";
 * assert.equal(new InvalidReferenceError("x", "no repository").input, "x");
 * ```
 */
export class InvalidReferenceError extends TypeError {
  /** The input that was rejected. */
  readonly input: string;

  /**

   * Creates the value from its parts.
   * @param input The rejected reference.
   * @param reason What is wrong with it.
   */
  constructor(input: string, reason: string) {
    super(`Invalid OCI reference "${input}": ${reason}`);
    this.name = "InvalidReferenceError";
    this.input = input;
  }
}
