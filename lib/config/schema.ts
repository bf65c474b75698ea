/**
 * The one description of `bosun.yaml`: defaults, validation and the JSON schema
 * all come from {@linkcode CONFIG_SCHEMA}, whose field sets are checked against
 * the types in `types.ts` by the compiler.
 *
 * @module
 */

import type { ObjectNode, SchemaNode } from "./_schema.ts";
import { toJsonSchema } from "./_schema.ts";
import {
  API_VERSION,
  CNIS,
  COMPONENT_NAMES,
  type ComponentOverride,
  CSIS,
  DISTRIBUTIONS,
  GITOPS_ENGINES,
  type GitOpsSpec,
  type LocalRegistrySpec,
  METRICS_SERVER_MODES,
  type NodesSpec,
  POLICY_ENGINES,
  type RegistrySpec,
  type ResolvedConfig,
  type SopsSpec,
  TOGGLES,
} from "./types.ts";
import type { ClusterSpec } from "./types.ts";

/** An object node whose property names must be exactly the keys of `T`. */
function object<T>(
  description: string,
  properties: { readonly [K in keyof Required<T>]: SchemaNode },
  required: readonly (keyof T & string)[] = [],
): ObjectNode {
  return { type: "object", description, properties, required };
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

function urlCheck(value: string): string | undefined {
  try {
    const url = new URL(value);
    return url.protocol === "http:" || url.protocol === "https:"
      ? undefined
      : "is not an http(s) URL (for example https://registry-1.docker.io)";
  } catch {
    return "is not a URL (for example https://registry-1.docker.io)";
  }
}

const nodes = object<NodesSpec>("Node counts.", {
  controlPlanes: {
    type: "integer",
    minimum: 1,
    maximum: 9,
    default: 1,
    description: "Control-plane nodes.",
  },
  workers: { type: "integer", minimum: 0, maximum: 50, default: 0, description: "Worker nodes." },
});

const local = object<LocalRegistrySpec>("The local OCI registry `<cluster>-registry`.", {
  enabled: { type: "boolean", default: true, description: "Run the local registry." },
  hostPort: {
    type: "integer",
    minimum: 1,
    maximum: 65535,
    default: 5050,
    description: "Host port published for the registry (container port 5000).",
  },
});

const registry = object<RegistrySpec>("Registries: the local one and pull-through mirrors.", {
  local,
  image: {
    type: "string",
    default: "registry:3",
    pattern: /^[a-z0-9][a-z0-9._\-/:@]*$/,
    patternHint: "an image reference such as registry:3 or mirror.corp.example/library/registry:3",
    description:
      "Image of the local registry and of every pull-through mirror (a distribution registry, v2 or v3).",
  },
  mirrors: {
    type: "record",
    description: "Pull-through mirrors: registry host → upstream URL.",
    keyPattern: /^[a-z0-9.-]+(:\d+)?$/,
    keyHint: "a registry host such as docker.io or ghcr.io",
    items: { type: "string", check: urlCheck, description: "Upstream registry URL." },
    default: {},
  },
});

const gitops = object<GitOpsSpec>("GitOps engine and source.", {
  engine: { type: "enum", values: GITOPS_ENGINES, default: "None", description: "GitOps engine." },
  sourceDirectory: {
    type: "string",
    default: "k8s",
    pattern: /^[^/].*$/,
    patternHint: "a path relative to bosun.yaml",
    description: "Directory pushed as the OCI artifact.",
  },
  ref: { type: "string", default: "latest", description: "Artifact tag or Git ref to follow." },
});

const sops = object<SopsSpec>("SOPS recipients for the repository's secrets.", {
  age: {
    type: "array",
    default: [],
    description: "age recipients.",
    items: {
      type: "string",
      pattern: /^(age1[02-9ac-hj-np-z]{58}|age1pq1[02-9ac-hj-np-z]+|ssh-ed25519 .+)$/,
      patternHint: "an age recipient (age1… or post-quantum age1pq1…) or an ssh-ed25519 public key",
      description: "An age recipient.",
    },
  },
  pgp: {
    type: "array",
    default: [],
    description: "PGP fingerprints.",
    items: {
      type: "string",
      pattern: /^[0-9A-Fa-f]{40}$/,
      patternHint: "a 40-character PGP fingerprint",
      description: "A PGP fingerprint.",
    },
  },
});

const componentOverride = object<ComponentOverride>("Overrides for one component.", {
  version: { type: "string", description: "Chart version instead of the pinned one." },
  values: { type: "any-object", description: "Helm values merged over Bosun's." },
});

const spec = object<ClusterSpec>("The cluster.", {
  distribution: {
    type: "enum",
    values: DISTRIBUTIONS,
    default: "Kind",
    description: "Kubernetes distribution, running in Docker.",
  },
  distributionConfig: {
    type: "string",
    description: "A native config (kind.yaml, k3d.yaml, talos patch, EKS-A spec) to merge under.",
  },
  nodes,
  kubernetesVersion: {
    type: "string",
    pattern: /^v?\d+\.\d+(\.\d+)?$/,
    patternHint: "a version such as v1.34.0",
    description: "Kubernetes version; the distribution's default when unset.",
  },
  kubeconfig: {
    type: "string",
    description:
      "Kubeconfig file the context is merged into; when unset, the file kubectl writes to ($KUBECONFIG, else ~/.kube/config).",
  },
  context: { type: "string", description: "Context name; derived from the cluster when unset." },
  cni: { type: "enum", values: CNIS, default: "Default", description: "CNI." },
  csi: { type: "enum", values: CSIS, default: "Default", description: "Storage." },
  metricsServer: {
    type: "enum",
    values: METRICS_SERVER_MODES,
    default: "Default",
    description: "metrics-server.",
  },
  certManager: { type: "enum", values: TOGGLES, default: "Disabled", description: "cert-manager." },
  policyEngine: {
    type: "enum",
    values: POLICY_ENGINES,
    default: "None",
    description: "Policy engine.",
  },
  registry,
  gitops,
  sops,
  components: {
    type: "record",
    keys: COMPONENT_NAMES,
    openKeys: true,
    keyPattern: DNS_LABEL,
    keyHint: "a component name: lower-case letters, digits and '-'",
    items: componentOverride,
    default: {},
    description:
      "Per-component chart version and values: Bosun's components by name, and your own (defineHelmComponent) by theirs.",
  },
});

/** The schema of `bosun.yaml`. */
export const CONFIG_SCHEMA: ObjectNode = object<ResolvedConfig>("A Bosun cluster.", {
  apiVersion: {
    type: "enum",
    values: [API_VERSION],
    default: API_VERSION,
    description: "Config version.",
  },
  kind: { type: "enum", values: ["Cluster"], default: "Cluster", description: "Config kind." },
  metadata: object<ResolvedConfig["metadata"]>("Metadata.", {
    name: {
      type: "string",
      default: "bosun",
      pattern: DNS_LABEL,
      patternHint: "lower-case letters, digits and '-', at most 63 characters",
      description: "Cluster name; containers, contexts and the registry derive from it.",
    },
  }),
  spec,
});

/**
 * Returns the JSON schema of `bosun.yaml` (draft 2020-12).
 *
 * @returns A JSON schema object.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { configJsonSchema } from "@bosun/sdk";
 * const schema = configJsonSchema();
 * assert.equal(schema.$schema, "https://json-schema.org/draft/2020-12/schema");
 * ```
 */
export function configJsonSchema(): Record<string, unknown> {
  return {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    $id: "https://bosun.dev/schemas/v1alpha1/bosun.json",
    title: "Bosun cluster config (bosun.yaml)",
    ...toJsonSchema(CONFIG_SCHEMA),
  };
}
