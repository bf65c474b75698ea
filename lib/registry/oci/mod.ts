/**
 * The OCI client: package a directory as a deterministic Flux- or Argo CD-ready artifact,
 * push it, pull it back, list tags and resolve digests.
 *
 * @module
 */

export * from "./errors.ts";
export * from "./reference.ts";
export { ANNOTATIONS, type ArtifactFlavor, MEDIA_TYPES } from "./media.ts";
export * from "./credentials.ts";
export * from "./client.ts";
export * from "./push.ts";
export * from "./pull.ts";
