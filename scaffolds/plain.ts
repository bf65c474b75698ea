/**
 * The `plain` scaffold: no GitOps engine; `clusters/local` is applied directly.
 *
 * @module
 */

import { layout } from "./_common.ts";
import type { Scaffold } from "./types.ts";

/** A repository applied with `kubectl apply -k` (no GitOps engine). */
export const plainScaffold: Scaffold = {
  name: "plain",
  engine: "None",
  description: "kustomize tree and Helm chart, applied without a GitOps engine",
  files: (context) =>
    layout(context, "None", {
      clusterFiles: [],
      clusterResources: ["../../infrastructure", "../../apps/overlays/local"],
    }),
};
