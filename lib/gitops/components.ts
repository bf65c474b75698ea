/**
 * The GitOps engine components for the install graph.
 *
 * @module
 */

import type { Component } from "../components/types.ts";
import { argoCdComponent } from "./argocd.ts";
import { fluxComponent } from "./flux.ts";

/**
 * The GitOps engine components (`flux-operator`, `argo-cd`); each is enabled by
 * `spec.gitops.engine`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { applyDefaults, GITOPS_COMPONENTS } from "@bosun/sdk";
 * const config = applyDefaults({ spec: { gitops: { engine: "Flux" } } });
 * assert.equal(GITOPS_COMPONENTS.filter((c) => c.enabled(config)).length, 1);
 * ```
 */
export const GITOPS_COMPONENTS: readonly Component[] = [fluxComponent, argoCdComponent];
