/**
 * The `flux` scaffold: a FluxInstance syncing `clusters/local` from the local
 * registry, Flux Kustomizations per layer, and a HelmRelease for the chart.
 *
 * @module
 */

import {
  chartReleaseTemplate,
  fluxInstanceTemplate,
  fluxLayersTemplate,
  kustomizationFileTemplate,
} from "../templates/mod.ts";
import { toYaml } from "../lib/workload/mod.ts";
import { layout } from "./_common.ts";
import type { Scaffold } from "./types.ts";

/** A repository reconciled by Flux (flux-operator's FluxInstance). */
export const fluxScaffold: Scaffold = {
  name: "flux",
  engine: "Flux",
  description: "Flux: FluxInstance, Kustomizations per layer, HelmRelease for the chart",
  files: (context) => {
    const source = {
      cluster: context.cluster,
      sourceDirectory: context.sourceDirectory,
      ref: context.ref,
    };
    const [infrastructure, apps] = fluxLayersTemplate();
    return layout(context, "Flux", {
      overlayExtras: [{
        path: `${context.app.name}-helmrelease.yaml`,
        content: toYaml(chartReleaseTemplate(context.app.name, source)),
      }],
      clusterFiles: [
        { path: "flux-system/fluxinstance.yaml", content: toYaml(fluxInstanceTemplate(source)) },
        kustomizationFileTemplate("flux-system", ["fluxinstance.yaml"]),
        { path: "infrastructure.yaml", content: toYaml(infrastructure) },
        { path: "apps.yaml", content: toYaml(apps) },
      ],
      clusterResources: ["flux-system", "infrastructure.yaml", "apps.yaml"],
    });
  },
};
