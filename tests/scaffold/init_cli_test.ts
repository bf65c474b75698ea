import assert from "node:assert/strict";
import { defaultRunner } from "../../lib/exec/mod.ts";
import { REPO_ROOT, requirePeers } from "../harness/peers.ts";

const peers = await requirePeers("kubectl");

const COMBOS = [["K3d", "Flux"], ["Kind", "ArgoCD"], ["Talos", "None"]] as const;

for (const [distribution, gitops] of COMBOS) {
  Deno.test({
    name: `bosun init --distribution ${distribution} --gitops ${gitops}, then deno task validate`,
    ignore: !peers,
    fn: async () => {
      const parent = await Deno.makeTempDir({ prefix: "bosun-init-cli-" });
      const dir = `${parent}/platform`;
      const kubectlDir = peers!.kubectl.slice(0, peers!.kubectl.lastIndexOf("/"));
      const env = {
        SOPS_AGE_KEY_FILE: `${parent}/keys/keys.txt`,
        PATH: `${kubectlDir}:${Deno.env.get("PATH") ?? ""}`,
        KUBECONFIG: `${parent}/no-kubeconfig`,
        NO_COLOR: "1",
      };
      try {
        const init = await defaultRunner.run(Deno.execPath(), [
          "run",
          "-A",
          `${REPO_ROOT}/cli.ts`,
          "init",
          dir,
          "--distribution",
          distribution,
          "--gitops",
          gitops,
          "--sdk",
          REPO_ROOT,
        ], { env });
        assert.match(init.stdout, /created +bosun\.yaml/);
        assert.match(init.stdout, /created +\.sops\.yaml/);
        const validate = await defaultRunner.run(Deno.execPath(), ["task", "validate"], {
          cwd: dir,
          env,
        });
        assert.match(validate.stdout, /✓ \d+ documents from \d+ kustomizations/);
        assert.match(validate.stdout, / 0 errors/);

        // A broken manifest makes the task fail with one line naming file, document, field.
        const deployment = `${dir}/k8s/apps/base/hello/deployment.yaml`;
        const text = await Deno.readTextFile(deployment);
        await Deno.writeTextFile(deployment, text.replace("replicas: 1", "replicas: many"));
        const bad = await defaultRunner.run(Deno.execPath(), ["task", "validate"], {
          cwd: dir,
          env,
          throwOnError: false,
        });
        assert.equal(bad.code, 1);
        assert.match(
          bad.stdout,
          /k8s\/apps\/base\/hello: Deployment\/hello: spec\.replicas: must be integer/,
        );
      } finally {
        await Deno.remove(parent, { recursive: true });
      }
    },
  });
}
