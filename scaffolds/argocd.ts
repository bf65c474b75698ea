/**
 * The `argocd` scaffold: the root Application `argocd/bosun` syncing
 * `clusters/local` from the local registry, and an Application for the chart.
 *
 * @module
 */

import {
  argoChartApplicationTemplate,
  argoRootApplicationTemplate,
  kustomizationFileTemplate,
} from "../templates/mod.ts";
import { toYaml } from "../lib/workload/mod.ts";
import { layout } from "./_common.ts";
import type { Scaffold } from "./types.ts";

/** A repository reconciled by Argo CD. */
export const argocdScaffold: Scaffold = {
  name: "argocd",
  engine: "ArgoCD",
  description: "Argo CD: root Application syncing clusters/local, Application for the chart",
  files: (context) => {
    const source = {
      cluster: context.cluster,
      sourceDirectory: context.sourceDirectory,
      ref: context.ref,
    };
    const chartApp = argoChartApplicationTemplate(context.app.name, {
      ...source,
      namespace: context.app.namespace,
    });
    return layout(context, "ArgoCD", {
      clusterFiles: [
        { path: "argocd/bosun.yaml", content: toYaml(argoRootApplicationTemplate(source)) },
        { path: `argocd/${context.app.name}-chart.yaml`, content: toYaml(chartApp) },
        kustomizationFileTemplate("argocd", ["bosun.yaml", `${context.app.name}-chart.yaml`]),
      ],
      clusterResources: ["argocd", "../../infrastructure", "../../apps/overlays/local"],
    });
  },
};
