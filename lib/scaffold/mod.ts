/**
 * Scaffolding new Bosun repositories: {@linkcode scaffoldProject} renders the
 * `flux`, `argocd` or `plain` layout into a directory without clobbering files.
 *
 * @module
 */

export * from "./scaffold.ts";
export * from "./errors.ts";
export * from "./ksail.ts";
