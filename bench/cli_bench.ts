/**
 * Start-up of `bosun --help` and `bosun config validate` against
 * `kubectl version --client`, measured in one run.
 *
 * @module
 */

import { requirePeers } from "../tests/harness/peers.ts";
import { report, timeCommand } from "./_measure.ts";

/** Measures CLI start-up against kubectl and prints the ratios. */
export async function benchCli(): Promise<void> {
  const peers = await requirePeers("kubectl");
  if (!peers) return;
  const root = new URL("../", import.meta.url).pathname;
  const deno = Deno.execPath();
  const cli = [`run`, `-A`, `${root}cli.ts`];
  const kubectl = await timeCommand(peers.kubectl, ["version", "--client"]);
  const help = await timeCommand(deno, [...cli, "--help"]);
  const validate = await timeCommand(deno, [
    ...cli,
    "config",
    "validate",
    `${root}examples/configs/kind-cilium-flux.yaml`,
  ]);
  report("bosun --help", help, kubectl, "kubectl version --client", "≤ 1.5×");
  report("bosun config validate", validate, kubectl, "kubectl version --client", "informational");
}
