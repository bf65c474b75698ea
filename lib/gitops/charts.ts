/**
 * The charts of the GitOps engines: their versions come from the one pin file
 * (`lib/components/versions.ts`); release names and namespaces live here.
 *
 * @module
 */

import type { ChartRef } from "../helm/mod.ts";
import { PINNED_CHARTS } from "../components/versions.ts";

/** A pinned chart. */
export interface GitOpsChart {
  /** Where the chart lives. */
  readonly chart: ChartRef;
  /** The chart version. */
  readonly version: string;
  /** Release name. */
  readonly release: string;
  /** Release namespace. */
  readonly namespace: string;
}

/** The GitOps engine charts. */
export const GITOPS_CHARTS: {
  readonly "flux-operator": GitOpsChart;
  readonly "argo-cd": GitOpsChart;
} = {
  "flux-operator": {
    ...PINNED_CHARTS["flux-operator"],
    release: "flux-operator",
    namespace: "flux-system",
  },
  "argo-cd": {
    ...PINNED_CHARTS["argo-cd"],
    release: "argocd",
    namespace: "argocd",
  },
};
