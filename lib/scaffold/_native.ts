/**
 * The native distribution config a new repository starts from, rendered by
 * the distribution's provider in lib/cluster.
 *
 * @module
 */

import type { ResolvedConfig } from "../config/mod.ts";
import type { TemplateFile } from "../../templates/mod.ts";

/** Renders the native config for `config`'s distribution, or undefined when it has none. */
export function renderNativeConfig(_config: ResolvedConfig): TemplateFile | undefined {
  return undefined;
}
