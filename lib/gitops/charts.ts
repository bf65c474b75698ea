/**
 * The charts of the GitOps engines, pinned. (Kept next to the engines until the
 * components' pin file takes them.)
 *
 * @module
 */

import type { ChartRef } from "../helm/mod.ts";

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
  /** flux-operator v0.58.1 (its CRDs are in the shared vectors); chart version = app version. */
  "flux-operator": {
    chart: { oci: "oci://ghcr.io/controlplaneio-fluxcd/charts/flux-operator" },
    version: "0.58.1",
    release: "flux-operator",
    namespace: "flux-system",
  },
  /** argo-cd chart 8.5.0 ships Argo CD v3.1.5, the first line with OCI sources. */
  "argo-cd": {
    chart: { repo: "https://argoproj.github.io/argo-helm", chart: "argo-cd" },
    version: "8.5.0",
    release: "argocd",
    namespace: "argocd",
  },
};
