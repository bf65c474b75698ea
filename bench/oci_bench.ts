/**
 * OCI push benchmark: a 1,000-file manifest tree pushed to the real registry with
 * `pushArtifact` and with `oras push`, in one run; prints the ratio (goal: no slower than oras).
 *
 * @module
 */

import { defaultRunner } from "../lib/exec/mod.ts";
import { pushArtifact } from "../lib/registry/oci/mod.ts";
import { requirePeers, useRegistry } from "../tests/harness/mod.ts";
import { report, timeIt } from "./_measure.ts";

async function manifestTree(root: string, files: number): Promise<void> {
  for (let i = 0; i < files; i++) {
    const dir = `${root}/app-${String(i % 40).padStart(2, "0")}/${
      i % 3 === 0 ? "base" : "overlays/dev"
    }`;
    await Deno.mkdir(dir, { recursive: true });
    const doc = [
      "apiVersion: apps/v1",
      "kind: Deployment",
      "metadata:",
      `  name: web-${i}`,
      `  labels: { app: web-${i}, tier: frontend }`,
      "spec:",
      `  replicas: ${1 + (i % 3)}`,
      "  template:",
      "    spec:",
      "      containers:",
      `        - name: web\n          image: ghcr.io/example/web:${i}.0.0`,
      "          ports: [{ containerPort: 8080 }]",
      "",
    ].join("\n");
    await Deno.writeTextFile(`${dir}/deploy-${i}.yaml`, doc);
  }
}

/** Runs the benchmark and prints `bosun X ms, oras Y ms → ratio`. */
export async function benchPush(): Promise<number | undefined> {
  const peers = await requirePeers("docker-registry", "oras");
  if (!peers) {
    console.log("oci push: skipped (docker-registry or oras missing)");
    return undefined;
  }
  const reg = await useRegistry();
  const work = await Deno.makeTempDir({ prefix: "bosun-oci-bench-" });
  try {
    await manifestTree(`${work}/k8s`, 1000);
    let n = 0;
    // A fresh repository per push, so both tools really upload every blob.
    const ours = await timeIt(async () => {
      await pushArtifact(`${work}/k8s`, `${reg.host}/bench-bosun-${n++}/k8s:latest`);
    }, 7);
    const oras = await timeIt(async () => {
      await defaultRunner.run(
        peers.oras,
        ["push", "--plain-http", `${reg.host}/bench-oras-${n++}/k8s:latest`, "k8s"],
        { cwd: work },
      );
    }, 7);
    return report("oci push (1,000 files)", ours, oras, "oras push", "≤ 1.0×");
  } finally {
    await Deno.remove(work, { recursive: true });
    await reg.stop();
  }
}

if (import.meta.main) await benchPush();
