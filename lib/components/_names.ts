/**
 * Private leaf (imports nothing): the names of the components Bosun ships, so
 * that lib/config can list them for bosun.yaml without importing the
 * components themselves. `registry.ts` checks at compile time that the
 * built-in components are exactly these; tests/components/plan_test.ts checks
 * the GitOps engines.
 *
 * @module
 */

/** The built-in components of the install graph (lib/components/registry.ts), in plan order. */
export const BUILTIN_COMPONENT_NAMES = [
  "cilium",
  "calico",
  "local-path-storage",
  "kubelet-csr-approver",
  "metrics-server",
  "cert-manager",
  "kyverno",
  "gatekeeper",
] as const;

/** The GitOps engine components (lib/gitops/components.ts). */
export const GITOPS_COMPONENT_NAMES = ["flux-operator", "argo-cd"] as const;

/**
 * The components Bosun ships: the component registry's (checked against it at
 * compile time) and the GitOps engines'. bosun.yaml's `spec.components` takes
 * their names, and the names of components you add with `defineHelmComponent`.
 */
export const COMPONENT_NAMES = [
  ...BUILTIN_COMPONENT_NAMES,
  ...GITOPS_COMPONENT_NAMES,
] as const;

/** `true` when `A` and `B` are the same union of names (a compile-time check). */
export type SameNames<A extends string, B extends string> = [A] extends [B]
  ? [B] extends [A] ? true : false
  : false;
