/**
 * Every chart and manifest version Bosun installs, pinned in one place.
 * bosun.yaml overrides them per component (`spec.components.<name>.version`).
 *
 * Versions were chosen from the projects' stable release lines; see each
 * entry. Bump them here and nowhere else.
 *
 * @module
 */

import type { ChartRef } from "../helm/mod.ts";

/** A pinned Helm chart. */
export interface PinnedChart {
  /** Where the chart lives. */
  readonly chart: ChartRef;
  /** The chart version. */
  readonly version: string;
}

/** A pinned raw-manifest release. */
export interface PinnedManifest {
  /** The release manifest's URL (for people and for install-time fetching). */
  readonly url: string;
  /** The release version (also the image tag). */
  readonly version: string;
}

/** The pinned chart of every Helm-installed component, by component name. */
export const PINNED_CHARTS = {
  /** Cilium 1.19 line (stable since early 2026). */
  cilium: { chart: { repo: "https://helm.cilium.io", chart: "cilium" }, version: "1.19.3" },
  /** Calico through the tigera-operator chart (its versions carry a `v`). */
  calico: {
    chart: { repo: "https://docs.tigera.io/calico/charts", chart: "tigera-operator" },
    version: "v3.30.2",
  },
  /** metrics-server chart 3.13 ships metrics-server 0.8. */
  "metrics-server": {
    chart: { repo: "https://kubernetes-sigs.github.io/metrics-server/", chart: "metrics-server" },
    version: "3.13.0",
  },
  /** postfinance kubelet-csr-approver: approves kubelet serving certificates. */
  "kubelet-csr-approver": {
    chart: {
      repo: "https://postfinance.github.io/kubelet-csr-approver",
      chart: "kubelet-csr-approver",
    },
    version: "1.2.10",
  },
  /** cert-manager 1.20 line (its chart versions carry a `v`). */
  "cert-manager": {
    chart: { repo: "https://charts.jetstack.io", chart: "cert-manager" },
    version: "v1.20.2",
  },
  /** Kyverno chart 3.5 ships Kyverno 1.15. */
  kyverno: {
    chart: { repo: "https://kyverno.github.io/kyverno/", chart: "kyverno" },
    version: "3.5.0",
  },
  /** OPA Gatekeeper (chart version = app version). */
  gatekeeper: {
    chart: { repo: "https://open-policy-agent.github.io/gatekeeper/charts", chart: "gatekeeper" },
    version: "3.20.0",
  },
  /** flux-operator v0.58.1 (the FluxInstance CRD in the shared vectors); chart version = app version. */
  "flux-operator": {
    chart: { oci: "oci://ghcr.io/controlplaneio-fluxcd/charts/flux-operator" },
    version: "0.58.1",
  },
  /** argo-cd chart 8.5.0 ships Argo CD v3.1.5, the first line with OCI sources. */
  "argo-cd": {
    chart: { repo: "https://argoproj.github.io/argo-helm", chart: "argo-cd" },
    version: "8.5.0",
  },
} as const satisfies Readonly<Record<string, PinnedChart>>;

/** The pinned release of every manifest-installed component. */
export const PINNED_MANIFESTS = {
  /** Rancher local-path-provisioner. */
  "local-path-storage": {
    url:
      "https://raw.githubusercontent.com/rancher/local-path-provisioner/v0.0.32/deploy/local-path-storage.yaml",
    version: "v0.0.32",
  },
} as const satisfies Readonly<Record<string, PinnedManifest>>;
