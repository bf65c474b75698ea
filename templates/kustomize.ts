/**
 * Kustomize templates: an application base and an environment overlay.
 *
 * @module
 */

import {
  deploymentManifest,
  kustomizationManifest,
  type Manifest,
  serviceManifest,
  toYaml,
} from "../lib/workload/mod.ts";
import { type AppTemplateOptions, DEFAULT_APP, type TemplateFile } from "./types.ts";

function kustomizationFile(dir: string, manifest: Manifest): TemplateFile {
  const { metadata: _metadata, ...rest } = manifest;
  return { path: `${dir}/kustomization.yaml`, content: toYaml(rest) };
}

/**
 * A kustomize base for one application: Deployment, Service and the
 * `kustomization.yaml` listing them.
 *
 * @param dir Directory of the base (`k8s/apps/base/hello`).
 * @param app The application.
 * @returns The files.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { kustomizeBase } from "./kustomize.ts";
 * const files = kustomizeBase("k8s/apps/base/hello");
 * assert.ok(files.some((f) => f.path.endsWith("kustomization.yaml")));
 * ```
 */
export function kustomizeBase(dir: string, app: AppTemplateOptions = {}): TemplateFile[] {
  const a = { ...DEFAULT_APP, ...app };
  return [
    {
      path: `${dir}/deployment.yaml`,
      content: toYaml(deploymentManifest(a.name, { image: a.image, port: a.port })),
    },
    {
      path: `${dir}/service.yaml`,
      content: toYaml(serviceManifest(a.name, { port: 80, targetPort: "http" })),
    },
    kustomizationFile(
      dir,
      kustomizationManifest({ resources: ["deployment.yaml", "service.yaml"] }),
    ),
  ];
}

/** Options for {@linkcode kustomizeOverlay}. */
export interface OverlayOptions {
  /** Directories or files the overlay builds on, relative to it. */
  readonly resources: readonly string[];
  /** Namespace set on every object. */
  readonly namespace?: string;
  /** Replica count patched into the Deployment named `app`. */
  readonly replicas?: number;
  /** The application whose Deployment is patched. */
  readonly app?: string;
}

/**
 * A kustomize overlay: resources from bases, a namespace, and a replicas patch.
 *
 * @param dir Directory of the overlay (`k8s/apps/overlays/local`).
 * @param options Resources, namespace and replicas.
 * @returns The files.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { kustomizeOverlay } from "./kustomize.ts";
 * const files = kustomizeOverlay("k8s/apps/overlays/local", { resources: ["../../base/hello"] });
 * assert.equal(files.length, 1);
 * ```
 */
export function kustomizeOverlay(dir: string, options: OverlayOptions): TemplateFile[] {
  const files: TemplateFile[] = [];
  const patches: { path: string }[] = [];
  if (options.replicas !== undefined && options.app !== undefined) {
    const patch = {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: options.app },
      spec: { replicas: options.replicas },
    };
    files.push({ path: `${dir}/replicas-patch.yaml`, content: toYaml(patch) });
    patches.push({ path: "replicas-patch.yaml" });
  }
  files.unshift(kustomizationFile(
    dir,
    kustomizationManifest({
      resources: options.resources,
      ...(options.namespace ? { namespace: options.namespace } : {}),
      patches,
    }),
  ));
  return files;
}

/**
 * A plain `kustomization.yaml` listing resources.
 *
 * @param dir The directory.
 * @param resources Files and directories to include.
 * @returns The file.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { kustomizationFileTemplate } from "./kustomize.ts";
 * assert.ok(kustomizationFileTemplate("k8s", ["a.yaml"]).content.includes("a.yaml"));
 * ```
 */
export function kustomizationFileTemplate(
  dir: string,
  resources: readonly string[],
): TemplateFile {
  return kustomizationFile(dir, kustomizationManifest({ resources }));
}
