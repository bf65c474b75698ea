/**
 * Single-file templates the scaffolds are built from: kustomize base and
 * overlay, a Helm chart skeleton, Flux (FluxInstance, Kustomizations,
 * HelmRelease) and Argo CD objects, `.sops.yaml`, a CI workflow, `deno.json`,
 * `.gitignore` and a README. YAML is built as objects and serialised.
 *
 * @module
 */

export * from "./types.ts";
export * from "./kustomize.ts";
export * from "./helm_chart.ts";
export * from "./gitops.ts";
export * from "./repo.ts";
export * from "./readme.ts";
