/**
 * The built-in components, in the order plans list them within a wave.
 *
 * @module
 */

import { calico } from "./calico.ts";
import { certManager } from "./cert_manager.ts";
import { cilium } from "./cilium.ts";
import { gatekeeper } from "./gatekeeper.ts";
import { kubeletCsrApprover } from "./kubelet_csr_approver.ts";
import { kyverno } from "./kyverno.ts";
import { localPathStorage } from "./local_path_storage.ts";
import { metricsServer } from "./metrics_server.ts";
import type { Component } from "./types.ts";

/**
 * Every component Bosun ships. The GitOps engines (flux-operator, argo-cd)
 * come from the gitops module and are passed as `extraComponents`.
 */
export const BUILTIN_COMPONENTS: readonly Component[] = [
  cilium,
  calico,
  localPathStorage,
  kubeletCsrApprover,
  metricsServer,
  certManager,
  kyverno,
  gatekeeper,
];
