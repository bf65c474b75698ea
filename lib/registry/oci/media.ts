/**
 * Media types and annotation keys of the artifacts Bosun pushes.
 *
 * @module
 */

/** Media types and annotation keys used by the OCI client. */
export const MEDIA_TYPES = {
  /** OCI image manifest. */
  ociManifest: "application/vnd.oci.image.manifest.v1+json",
  /** OCI image index. */
  ociIndex: "application/vnd.oci.image.index.v1+json",
  /** Docker schema 2 manifest (accepted when pulling). */
  dockerManifest: "application/vnd.docker.distribution.manifest.v2+json",
  /** Flux artifact config (content `{}`). */
  fluxConfig: "application/vnd.cncf.flux.config.v1+json",
  /** Flux artifact content: one tar+gzip layer. */
  fluxContent: "application/vnd.cncf.flux.content.v1.tar+gzip",
  /** OCI empty descriptor (content `{}`), the config oras and OCI 1.1 use for artifacts. */
  ociEmpty: "application/vnd.oci.empty.v1+json",
  /** OCI tar+gzip layer: one of the layer types Argo CD's repo-server accepts by default. */
  ociLayerGzip: "application/vnd.oci.image.layer.v1.tar+gzip",
} as const;

/** Annotation keys written on the manifest. */
export const ANNOTATIONS = {
  /** When the artifact was created (RFC 3339). */
  created: "org.opencontainers.image.created",
  /** Where the content came from (URL or path). */
  source: "org.opencontainers.image.source",
  /** Revision of the content (Git commit or content digest). */
  revision: "org.opencontainers.image.revision",
  /** Layer file name, used by `oras pull`. */
  title: "org.opencontainers.image.title",
} as const;

/**
 * Which GitOps engine the artifact is laid out for.
 *
 * - `flux`: config `application/vnd.cncf.flux.config.v1+json`, one layer
 *   `application/vnd.cncf.flux.content.v1.tar+gzip` (what `flux push artifact` writes).
 * - `argocd`: config `application/vnd.oci.empty.v1+json` (the OCI 1.1 empty descriptor, as
 *   `oras push` writes it), one layer `application/vnd.oci.image.layer.v1.tar+gzip`. Argo CD
 *   (3.1+) reads no config and requires exactly one content layer whose media type is in its
 *   repo-server's `--oci-layer-media-types` list, whose default holds this type.
 */
export type ArtifactFlavor = "flux" | "argocd";

/** Config and layer media types of a flavour. */
export function flavorMediaTypes(
  flavor: ArtifactFlavor,
): { readonly config: string; readonly layer: string } {
  return flavor === "flux"
    ? { config: MEDIA_TYPES.fluxConfig, layer: MEDIA_TYPES.fluxContent }
    : { config: MEDIA_TYPES.ociEmpty, layer: MEDIA_TYPES.ociLayerGzip };
}
