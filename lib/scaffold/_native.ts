/**
 * The native distribution config a new repository starts from, rendered by
 * the distribution's provider in lib/cluster (kind.yaml, k3d.yaml, a Talos
 * machine-config patch, the EKS Anywhere cluster spec).
 *
 * @module
 */

import type { ResolvedConfig } from "../config/mod.ts";
import { getProvider } from "../cluster/mod.ts";
import type { TemplateFile } from "../../templates/mod.ts";

const STATE = "/bosun-scaffold";

/** Renders the native config for `config`'s distribution, or undefined when it has none. */
export function renderNativeConfig(config: ResolvedConfig): TemplateFile | undefined {
  const files = getProvider(config.spec.distribution).renderConfig({
    config,
    registries: [],
    routes: [],
    stateDir: STATE,
  });
  const first = files[0];
  if (first === undefined) return undefined;
  const path = first.path.startsWith(`${STATE}/`)
    ? first.path.slice(STATE.length + 1)
    : first.path.slice(first.path.lastIndexOf("/") + 1);
  return { path, content: first.content };
}
