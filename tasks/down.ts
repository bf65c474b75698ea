/**
 * `deno task down`: deletes the cluster of bosun.yaml and what belongs to it.
 * Until the workflow lands, this checks what the main job needs and says how
 * to get what is missing.
 *
 * @module
 */

import { defaultRunner, findTool } from "../lib/exec/mod.ts";
import { loadConfig } from "../lib/config/mod.ts";

const { config, path } = await loadConfig();
const cli = {
  Kind: "kind",
  K3d: "k3d",
  Talos: "talosctl",
  EKSAnywhere: "eksctl",
}[config.spec.distribution];
console.log(
  `Config: ${path ?? "defaults (no bosun.yaml found)"}; distribution ${config.spec.distribution}`,
);
let missing = false;
for (const tool of ["docker", cli]) {
  try {
    await findTool(tool);
  } catch (error) {
    missing = true;
    console.error(`✗ ${error instanceof Error ? error.message : error}`);
  }
}
if (!missing) {
  const server = await defaultRunner.run("docker", ["version", "--format", "{{.Server.Version}}"], {
    throwOnError: false,
    timeoutMs: 10_000,
  }).catch(() => undefined);
  if (!server?.success) {
    missing = true;
    console.error(
      "✗ The Docker daemon is not reachable: start Docker (or set DOCKER_HOST) and retry.",
    );
  }
}
Deno.exit(missing ? 3 : 0);
