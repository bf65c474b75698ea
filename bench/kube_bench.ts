/**
 * Server-side apply of 500 objects (300 ConfigMaps, a CRD and 100 of its CRs,
 * 99 Deployments) to the real test apiserver: `applyManifests` against
 * `kubectl apply --server-side`, measured in one run. Each round uses fresh
 * namespaces and a fresh CRD group, so both sides create everything; a second
 * apply of the same set (nothing changes) is measured too.
 *
 * @module
 */

import { stringify } from "yaml";
import { defaultRunner } from "../lib/exec/mod.ts";
import { applyManifests, connectKube, type KubeObject } from "../lib/kube/mod.ts";
import { requirePeers, useTestEnv } from "../tests/harness/mod.ts";
import { median, report } from "./_measure.ts";

function objects(tag: string): { crd: KubeObject; rest: KubeObject[] } {
  const group = `${tag}.bench.bosun.test`;
  const ns = `bench-${tag}`;
  const crd: KubeObject = {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: { name: `gadgets.${group}` },
    spec: {
      group,
      scope: "Namespaced",
      names: { kind: "Gadget", plural: "gadgets", singular: "gadget", listKind: "GadgetList" },
      versions: [{
        name: "v1",
        served: true,
        storage: true,
        schema: {
          openAPIV3Schema: {
            type: "object",
            properties: {
              spec: { type: "object", properties: { size: { type: "integer" } } },
            },
          },
        },
      }],
    },
  };
  const rest: KubeObject[] = [{ apiVersion: "v1", kind: "Namespace", metadata: { name: ns } }];
  for (let i = 0; i < 300; i++) {
    rest.push({
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: `cm-${i}`, namespace: ns, labels: { app: "bench" } },
      data: { index: String(i), payload: "x".repeat(256) },
    });
  }
  for (let i = 0; i < 100; i++) {
    rest.push({
      apiVersion: `${group}/v1`,
      kind: "Gadget",
      metadata: { name: `g-${i}`, namespace: ns },
      spec: { size: i },
    });
  }
  for (let i = 0; i < 98; i++) {
    rest.push({
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: `web-${i}`, namespace: ns },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: `web-${i}` } },
        template: {
          metadata: { labels: { app: `web-${i}` } },
          spec: {
            containers: [{
              name: "web",
              image: "registry.example/web:1",
              ports: [{ containerPort: 80 }],
            }],
          },
        },
      },
    });
  }
  return { crd, rest };
}

/** Applies 500 objects with Bosun and with kubectl against the real apiserver; prints the ratio. */
export async function benchApply(): Promise<void> {
  const peers = await requirePeers("etcd", "kube-apiserver", "kubectl");
  if (!peers) return;
  const env = await useTestEnv({ mode: "api" });
  const dir = await Deno.makeTempDir({ prefix: "bosun-kube-bench-" });
  const kube = await connectKube({ kubeconfig: env.kubeconfig });
  const kubectl = (args: string[]) =>
    defaultRunner.run(peers.kubectl, [...args, "--kubeconfig", env.kubeconfig]);
  try {
    const ours: number[] = [];
    const theirs: number[] = [];
    const oursAgain: number[] = [];
    const theirsAgain: number[] = [];
    const rounds = 5;
    for (let round = 0; round < rounds; round++) {
      // Bosun: one call, CRD and CRs together.
      const a = objects(`b${round}${crypto.randomUUID().slice(0, 6)}`);
      const all = [a.crd, ...a.rest];
      let t = performance.now();
      const results = await applyManifests(kube, all);
      ours.push(performance.now() - t);
      if (results.length !== 500) {
        throw new TypeError(`expected 500 results, got ${results.length}`);
      }
      t = performance.now();
      const again = await applyManifests(kube, all);
      oursAgain.push(performance.now() - t);
      const changed = again.filter((r) => r.action !== "unchanged").length;
      if (changed > 0) console.log(`  (bosun re-apply: ${changed} objects not unchanged)`);

      // kubectl: the documented workflow — CRD, wait until Established, then the rest.
      const k = objects(`k${round}${crypto.randomUUID().slice(0, 6)}`);
      const crdFile = `${dir}/crd-${round}.yaml`;
      const restFile = `${dir}/rest-${round}.yaml`;
      await Deno.writeTextFile(crdFile, stringify(k.crd));
      await Deno.writeTextFile(restFile, k.rest.map((o) => stringify(o)).join("---\n"));
      t = performance.now();
      await kubectl(["apply", "--server-side", "-f", crdFile]);
      await kubectl([
        "wait",
        "--for=condition=Established",
        `crd/${k.crd.metadata.name}`,
        "--timeout=60s",
      ]);
      await kubectl(["apply", "--server-side", "-f", restFile]);
      theirs.push(performance.now() - t);
      t = performance.now();
      await kubectl(["apply", "--server-side", "-f", crdFile]);
      await kubectl(["apply", "--server-side", "-f", restFile]);
      theirsAgain.push(performance.now() - t);
    }
    const r1 = report(
      "apply 500 objects (create)",
      median(ours),
      median(theirs),
      "kubectl apply --server-side",
      "≤ 0.67× (bosun ≥ 1.5× faster)",
    );
    const r2 = report(
      "apply 500 objects (again, no changes)",
      median(oursAgain),
      median(theirsAgain),
      "kubectl apply --server-side",
      "informational",
    );
    console.log(
      `bosun is ${(1 / r1).toFixed(2)}× faster creating, ${
        (1 / r2).toFixed(2)
      }× faster re-applying (median of ${rounds} rounds)`,
    );
  } finally {
    kube.close();
    await Deno.remove(dir, { recursive: true }).catch(() => {});
    await env.stop();
  }
}

if (import.meta.main) await benchApply();
