/**
 * The README of a scaffolded repository.
 *
 * @module
 */

import type { TemplateFile } from "./types.ts";

/** Options for {@linkcode readmeTemplate}. */
export interface ReadmeOptions {
  /** Cluster name. */
  readonly cluster: string;
  /** Distribution. */
  readonly distribution: string;
  /** GitOps engine (`None`, `Flux`, `ArgoCD`). */
  readonly gitops: string;
  /** The manifests directory. */
  readonly sourceDirectory: string;
  /** The example application and chart name. */
  readonly app: string;
  /** The native distribution config file, when one was written. */
  readonly nativeConfig?: string;
}

/**
 * README.md for a new repository: what is where and the everyday commands.
 *
 * @param o What was scaffolded.
 * @returns The file.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { readmeTemplate } from "./readme.ts";
 * const f = readmeTemplate({ cluster: "dev", distribution: "Kind", gitops: "Flux", sourceDirectory: "k8s", app: "hello" });
 * assert.ok(f.content.includes("deno task up"));
 * ```
 */
export function readmeTemplate(o: ReadmeOptions): TemplateFile {
  const k = o.sourceDirectory;
  const gitops = o.gitops === "None"
    ? "No GitOps engine: `deno task up` creates the cluster; apply the manifests with " +
      `\`kubectl apply -k ${k}\`.`
    : `${o.gitops} syncs \`${k}/\` (its kustomization.yaml points at \`clusters/local\`) from the ` +
      `OCI artifact that \`deno task push\` ` +
      `writes to the local registry (\`${o.cluster}-registry:5000/${k}\`).`;
  const text = `# ${o.cluster}

A local Kubernetes platform (${o.distribution}) rigged with [Bosun](https://jsr.io/@bosun/sdk).

## Everyday commands

\`\`\`sh
deno task up          # registry, cluster, components and GitOps from bosun.yaml
deno task validate    # kustomize-build and schema-check everything under ${k}/
deno task push        # package ${k}/ as an OCI artifact and push it to the local registry
deno task reconcile   # make the GitOps engine apply the pushed revision and wait
deno task status      # cluster, nodes, components, GitOps revision
deno task down        # delete the cluster and everything Bosun created for it
\`\`\`

\`up\`, \`push\`, \`reconcile\` and \`down\` need Docker; \`validate\` needs only \`kubectl\`.

## Layout

| Path | What |
| --- | --- |
| \`bosun.yaml\` | the cluster: distribution, nodes, CNI, components, registry, GitOps |
${
    o.nativeConfig
      ? `| \`${o.nativeConfig}\` | the native ${o.distribution} config Bosun merges its settings into |\n`
      : ""
  }| \`${k}/kustomization.yaml\` | the root the cluster syncs; it includes \`clusters/local\` |
| \`${k}/clusters/local/\` | what the local cluster runs: GitOps objects, infrastructure, apps |
| \`${k}/infrastructure/\` | namespaces and cluster-wide objects |
| \`${k}/apps/base/${o.app}/\` | the example application (kustomize base) |
| \`${k}/apps/overlays/local/\` | the local overlay (namespace, replicas) |
| \`${k}/charts/${o.app}/\` | a Helm chart for the same application |
| \`.sops.yaml\` | which files SOPS encrypts, and for whom |
| \`.github/workflows/ci.yaml\` | CI: validate, then create a cluster |

## GitOps

${gitops}

## Secrets

Secrets are encrypted with SOPS for the age recipient in \`.sops.yaml\`. The private key was
written to your SOPS key file (\`$SOPS_AGE_KEY_FILE\`, or the default \`sops/age/keys.txt\` in your
config directory), never to this repository.

\`\`\`sh
deno task bosun gen secret db --from-literal password=change-me --encrypt -o ${k}/apps/base/${o.app}/db-secret.yaml
\`\`\`
`;
  return { path: "README.md", content: text };
}
