/**
 * The built-in components, in the order plans list them within a wave.
 *
 * @module
 */

import type { BUILTIN_COMPONENT_NAMES, SameNames } from "./_names.ts";
import { calico } from "./calico.ts";
import { certManager } from "./cert_manager.ts";
import { cilium } from "./cilium.ts";
import { gatekeeper } from "./gatekeeper.ts";
import { kubeletCsrApprover } from "./kubelet_csr_approver.ts";
import { kyverno } from "./kyverno.ts";
import { localPathStorage } from "./local_path_storage.ts";
import { metricsServer } from "./metrics_server.ts";
import type { Component } from "./types.ts";

const BUILTIN = [
  cilium,
  calico,
  localPathStorage,
  kubeletCsrApprover,
  metricsServer,
  certManager,
  kyverno,
  gatekeeper,
] as const;

// The names bosun.yaml accepts (lib/config, from _names.ts) are exactly these components'.
const covered: SameNames<
  typeof BUILTIN[number]["name"],
  typeof BUILTIN_COMPONENT_NAMES[number]
> = true;
void covered;

/**
 * Every component Bosun ships. The GitOps engines (flux-operator, argo-cd)
 * come from the gitops module and are passed as `extraComponents`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { BUILTIN_COMPONENTS, COMPONENT_NAMES } from "@bosun/sdk";
 * for (const c of BUILTIN_COMPONENTS) assert.ok((COMPONENT_NAMES as readonly string[]).includes(c.name));
 * ```
 */
export const BUILTIN_COMPONENTS: readonly Component[] = BUILTIN;
