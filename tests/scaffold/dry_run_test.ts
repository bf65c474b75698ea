import assert from "node:assert/strict";
import { applyManifests, connectKube } from "../../lib/kube/mod.ts";
import { validateManifests } from "../../lib/workload/mod.ts";
import { requirePeers } from "../harness/peers.ts";
import { useTestEnv } from "../harness/mod.ts";
import { ENGINES, scaffoldTemp, vectorCrds } from "./_helpers.ts";

const peers = await requirePeers("kube-apiserver", "etcd", "kubectl");

Deno.test({
  name: "scaffolded GitOps objects pass a server-side dry run against a real apiserver",
  ignore: !peers,
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async (t) => {
    const env = await useTestEnv({ mode: "api" });
    try {
      const kube = await connectKube({ kubeconfig: env.kubeconfig });
      try {
        const crds = (await vectorCrds()).map((file) => ({ file }));
        await applyManifests(kube, crds);
      } finally {
        kube.close();
      }
      for (const gitops of ENGINES) {
        await t.step(`${gitops}`, async () => {
          const s = await scaffoldTemp("Kind", gitops);
          try {
            const report = await validateManifests(`${s.dir}/k8s`, {
              mode: "server",
              kubeconfig: env.kubeconfig,
              kubectl: peers!.kubectl,
            });
            assert.equal(report.mode, "server");
            assert.deepEqual(report.problems, []);
            assert.ok(report.documents >= 5);

            // The server, not a bundled schema, judged the custom resources: break one.
            if (gitops !== "None") {
              const file = gitops === "Flux"
                ? `${s.dir}/k8s/clusters/local/apps.yaml`
                : `${s.dir}/k8s/clusters/local/argocd/bosun.yaml`;
              const text = await Deno.readTextFile(file);
              const broken = gitops === "Flux"
                ? text.replace("prune: true", "prune: sometimes")
                : text.replace("project: default", "project: default\n  colour: blue");
              await Deno.writeTextFile(file, broken);
              const bad = await validateManifests(`${s.dir}/k8s/clusters/local`, {
                mode: "server",
                kubeconfig: env.kubeconfig,
                kubectl: peers!.kubectl,
              });
              assert.equal(bad.valid, false);
              const fields = bad.problems.map((p) => `${p.document} ${p.field} ${p.message}`);
              const expected = gitops === "Flux" ? /spec\.prune/ : /colour/;
              assert.ok(fields.some((f) => expected.test(f)), fields.join("\n"));
            }
          } finally {
            await s.cleanup();
          }
        });
      }
    } finally {
      await env.stop();
    }
  },
});
