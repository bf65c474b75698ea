/**
 * Minimal schemas for the custom resources Bosun writes and knows: Flux,
 * flux-operator, Argo CD, cert-manager, Kyverno and Gatekeeper. Written for
 * Bosun from the projects' documentation (required fields, enums, URL forms);
 * the upstream CRDs are not bundled. Pass real CRDs to `validateManifests`
 * with `crds` for a full check.
 *
 * @module
 */

import { type JsonSchema, METADATA } from "./_schemas_builtin.ts";

const str = { type: "string" };
const obj = { type: "object" };
const duration = { type: "string", pattern: "^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$" };
const ref = (kinds?: readonly string[]) => ({
  type: "object",
  required: ["kind", "name"],
  properties: { kind: kinds ? { enum: kinds } : str, name: str, namespace: str },
});

function custom(spec: JsonSchema, topRequired: readonly string[] = ["spec"]): JsonSchema {
  return {
    type: "object",
    required: ["apiVersion", "kind", "metadata", ...topRequired],
    properties: { apiVersion: str, kind: str, metadata: METADATA, spec, status: obj },
  };
}

/** Schemas of custom resources, keyed by `apiVersion/Kind`. */
export const CRD_SCHEMAS: Readonly<Record<string, JsonSchema>> = {
  "source.toolkit.fluxcd.io/v1/OCIRepository": custom({
    type: "object",
    required: ["interval", "url"],
    properties: {
      interval: duration,
      url: { type: "string", pattern: "^oci://.*$" },
      ref: { type: "object", properties: { tag: str, semver: str, digest: str } },
      insecure: { type: "boolean" },
      provider: { enum: ["generic", "aws", "azure", "gcp"] },
      secretRef: { type: "object", required: ["name"] },
      layerSelector: {
        type: "object",
        properties: { mediaType: str, operation: { enum: ["extract", "copy"] } },
      },
    },
  }),
  "source.toolkit.fluxcd.io/v1/GitRepository": custom({
    type: "object",
    required: ["interval", "url"],
    properties: {
      interval: duration,
      url: { type: "string", pattern: "^(http|https|ssh)://.*$" },
      ref: obj,
      secretRef: { type: "object", required: ["name"] },
      provider: { enum: ["generic", "aws", "azure", "github"] },
    },
  }),
  "source.toolkit.fluxcd.io/v1/HelmRepository": custom({
    type: "object",
    required: ["url"],
    properties: {
      interval: duration,
      url: { type: "string", pattern: "^(http|https|oci)://.*$" },
      type: { enum: ["default", "oci"] },
      provider: { enum: ["generic", "aws", "azure", "gcp"] },
      secretRef: { type: "object", required: ["name"] },
    },
  }),
  "kustomize.toolkit.fluxcd.io/v1/Kustomization": custom({
    type: "object",
    required: ["interval", "prune", "sourceRef"],
    properties: {
      interval: duration,
      prune: { type: "boolean" },
      path: str,
      sourceRef: ref(["OCIRepository", "GitRepository", "Bucket", "ExternalArtifact"]),
      decryption: {
        type: "object",
        required: ["provider"],
        properties: { provider: { enum: ["sops"] }, secretRef: obj },
      },
      dependsOn: { type: "array", items: { type: "object", required: ["name"] } },
      timeout: duration,
      wait: { type: "boolean" },
      targetNamespace: str,
    },
  }),
  "helm.toolkit.fluxcd.io/v2/HelmRelease": custom({
    type: "object",
    required: ["interval"],
    properties: {
      interval: duration,
      chart: {
        type: "object",
        required: ["spec"],
        properties: {
          spec: {
            type: "object",
            required: ["chart", "sourceRef"],
            properties: {
              chart: str,
              version: str,
              sourceRef: ref(["HelmRepository", "GitRepository", "Bucket"]),
            },
          },
        },
      },
      chartRef: ref(["OCIRepository", "HelmChart", "ExternalArtifact"]),
      targetNamespace: str,
      releaseName: str,
      values: obj,
    },
    oneOf: [{ required: ["chart"] }, { required: ["chartRef"] }],
  }),
  "fluxcd.controlplane.io/v1/FluxInstance": custom({
    type: "object",
    required: ["distribution"],
    properties: {
      distribution: {
        type: "object",
        required: ["registry", "version"],
        properties: { registry: str, version: str, artifact: str },
      },
      components: { type: "array", items: str },
      sync: {
        type: "object",
        required: ["kind", "path", "ref", "url"],
        properties: {
          kind: { enum: ["OCIRepository", "GitRepository", "Bucket"] },
          url: str,
          ref: str,
          path: str,
          interval: duration,
        },
      },
    },
  }),
  "argoproj.io/v1alpha1/Application": custom({
    type: "object",
    required: ["destination", "project"],
    properties: {
      project: str,
      source: {
        type: "object",
        required: ["repoURL"],
        properties: { repoURL: str, path: str, chart: str, targetRevision: str },
      },
      sources: { type: "array", items: { type: "object", required: ["repoURL"] } },
      destination: { type: "object", properties: { server: str, name: str, namespace: str } },
      syncPolicy: obj,
    },
  }),
  "argoproj.io/v1alpha1/AppProject": custom({ type: "object" }),
  "cert-manager.io/v1/Certificate": custom({
    type: "object",
    required: ["issuerRef", "secretName"],
    properties: { secretName: str, issuerRef: { type: "object", required: ["name"] } },
  }),
  "cert-manager.io/v1/Issuer": custom({ type: "object" }),
  "cert-manager.io/v1/ClusterIssuer": custom({ type: "object" }),
  "kyverno.io/v1/ClusterPolicy": custom({
    type: "object",
    properties: { rules: { type: "array", items: { type: "object", required: ["name"] } } },
  }),
  "kyverno.io/v1/Policy": custom({
    type: "object",
    properties: { rules: { type: "array", items: { type: "object", required: ["name"] } } },
  }),
  "templates.gatekeeper.sh/v1/ConstraintTemplate": custom({
    type: "object",
    required: ["crd"],
    properties: {
      crd: {
        type: "object",
        required: ["spec"],
        properties: {
          spec: {
            type: "object",
            required: ["names"],
            properties: { names: { type: "object", required: ["kind"] } },
          },
        },
      },
      targets: { type: "array", items: { type: "object", required: ["target"] } },
    },
  }),
};
