/**
 * Tool checks shared by the lifecycle functions.
 *
 * @module
 */

import { findTool, type Runner } from "../exec/mod.ts";
import type { ClusterProvider } from "./types.ts";

/** Checks the provider's CLI and Docker (installed, recent enough). */
export async function checkTools(provider: ClusterProvider, runner: Runner): Promise<void> {
  const t = provider.tool;
  await findTool(t.name, {
    minVersion: t.minVersion,
    versionArgs: t.versionArgs,
    ...(t.versionPattern ? { versionPattern: t.versionPattern } : {}),
    runner,
  });
  // 24.0: `docker network rm --force` (no error for a missing network), which undo relies on.
  await findTool("docker", {
    minVersion: "24.0.0",
    versionArgs: ["version", "--format", "{{.Client.Version}}"],
    runner,
  });
}
