/**
 * The layout every scaffold shares: infrastructure, the example app as a
 * kustomize base and overlay, its Helm chart, and the repository files.
 *
 * @module
 */

import {
  ciWorkflowTemplate,
  denoJsonTemplate,
  gitignoreTemplate,
  helmChart,
  kustomizationFileTemplate,
  kustomizeBase,
  kustomizeOverlay,
  readmeTemplate,
  type TemplateFile,
} from "../templates/mod.ts";
import { namespaceManifest, toYaml } from "../lib/workload/mod.ts";
import type { Scaffold, ScaffoldContext } from "./types.ts";

/** What differs between engines. */
export interface LayoutParts {
  /** Extra files in the local apps overlay, listed as its resources. */
  readonly overlayExtras?: readonly TemplateFile[];
  /** Files in `clusters/local` besides its kustomization, plus its resources. */
  readonly clusterFiles: readonly TemplateFile[];
  /** Resources of `clusters/local/kustomization.yaml`. */
  readonly clusterResources: readonly string[];
}

/** Builds the full file list from the shared layout and the engine's parts. */
export function layout(context: ScaffoldContext, engine: Scaffold["engine"], parts: LayoutParts) {
  const k = context.sourceDirectory;
  const app = context.app;
  const overlay = `${k}/apps/overlays/local`;
  const extras = (parts.overlayExtras ?? []).map((f) => ({ ...f, path: `${overlay}/${f.path}` }));
  const files: TemplateFile[] = [
    {
      path: `${k}/infrastructure/namespaces.yaml`,
      content: toYaml(namespaceManifest(app.namespace)),
    },
    kustomizationFileTemplate(`${k}/infrastructure`, ["namespaces.yaml"]),
    ...kustomizeBase(`${k}/apps/base/${app.name}`, app),
    ...kustomizeOverlay(overlay, {
      resources: [`../../base/${app.name}`, ...(parts.overlayExtras ?? []).map((f) => f.path)],
      namespace: app.namespace,
      replicas: 1,
      app: app.name,
    }),
    ...extras,
    ...helmChart(`${k}/charts/${app.name}`, app),
    kustomizationFileTemplate(k, ["clusters/local"]),
    kustomizationFileTemplate(`${k}/clusters/local`, parts.clusterResources),
    ...parts.clusterFiles.map((f) => ({ ...f, path: `${k}/clusters/local/${f.path}` })),
    gitignoreTemplate(),
    denoJsonTemplate({ ...context.denoJson, sourceDirectory: k }),
    ciWorkflowTemplate({ distribution: context.distribution }),
    readmeTemplate({
      cluster: context.cluster,
      distribution: context.distribution,
      gitops: engine,
      sourceDirectory: k,
      app: app.name,
      ...(context.nativeConfig ? { nativeConfig: context.nativeConfig } : {}),
    }),
  ];
  return files;
}
