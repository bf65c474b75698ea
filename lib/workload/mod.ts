/**
 * Manifest generators (typed builders for built-in kinds, Flux, kustomize and
 * Argo CD objects), YAML serialisation, and validation of a manifest tree.
 *
 * @example Generate a Deployment and its Service
 * ```ts
 * import assert from "node:assert/strict";
 * import { deploymentManifest, serviceManifest, toYaml } from "@bosun/sdk";
 * const yaml = toYaml([
 *   deploymentManifest("web", { image: "nginx:1.27", port: 80 }),
 *   serviceManifest("web", { port: 80 }),
 * ]);
 * assert.ok(yaml.includes("kind: Service"));
 * ```
 *
 * @module
 */

export * from "./types.ts";
export * from "./core.ts";
export * from "./flux.ts";
export * from "./kustomize.ts";
export * from "./argocd.ts";
export * from "./yaml.ts";
export * from "./validate.ts";
