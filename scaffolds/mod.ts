/**
 * Whole-repository layouts built from the templates: `flux`, `argocd` and
 * `plain`, looked up by GitOps engine.
 *
 * @module
 */

import { argocdScaffold } from "./argocd.ts";
import { fluxScaffold } from "./flux.ts";
import { plainScaffold } from "./plain.ts";
import type { Scaffold } from "./types.ts";

export type { Scaffold, ScaffoldContext } from "./types.ts";
export { argocdScaffold, fluxScaffold, plainScaffold };

/** The scaffold for each GitOps engine. */
export const SCAFFOLDS: Readonly<Record<Scaffold["engine"], Scaffold>> = {
  None: plainScaffold,
  Flux: fluxScaffold,
  ArgoCD: argocdScaffold,
};
