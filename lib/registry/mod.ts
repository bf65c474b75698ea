/**
 * The local OCI registry and pull-through mirrors: their containers (labelled
 * `dev.bosun.cluster=<name>`), and how each distribution is wired to them
 * (containerd hosts.toml, k3s registries.yaml, Talos RegistryMirrorConfig,
 * EKS Anywhere mirror block, the KEP-1755 ConfigMap).
 *
 * The OCI artifact client lives in `lib/registry/oci` and is exported separately.
 *
 * @example Plan a cluster's registries
 * ```ts
 * import assert from "node:assert/strict";
 * import { applyDefaults, planRegistries } from "@bosun/sdk";
 * const regs = planRegistries(applyDefaults({ metadata: { name: "dev" } }));
 * assert.equal(regs[0]!.name, "dev-registry");
 * ```
 *
 * @module
 */

export * from "./names.ts";
export * from "./plan.ts";
export * from "./wiring.ts";
export * from "./lifecycle.ts";
export * from "./hosting.ts";
