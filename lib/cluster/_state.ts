/**
 * Where Bosun keeps a cluster's generated files: `$BOSUN_HOME/clusters/<name>`
 * (`~/.bosun` by default).
 *
 * @module
 */

import { expandHome } from "../fs/mod.ts";

/** The state directory of a cluster. */
export function clusterStateDir(cluster: string, override?: string): string {
  if (override !== undefined) return override;
  const home = Deno.env.get("BOSUN_HOME") ?? expandHome("~/.bosun");
  return `${home}/clusters/${cluster}`;
}
