/** Shared helpers for the scaffold tests. */

import { scaffoldProject, type ScaffoldResult } from "../../lib/scaffold/mod.ts";
import type { Distribution, GitOpsEngine } from "../../lib/config/mod.ts";
import { REPO_ROOT } from "../harness/peers.ts";

export const VECTORS = new URL("../../../shared/vectors/", import.meta.url).pathname;
export const DISTRIBUTIONS: readonly Distribution[] = ["Kind", "K3d", "Talos", "EKSAnywhere"];
export const ENGINES: readonly GitOpsEngine[] = ["None", "Flux", "ArgoCD"];

/** Scaffolds into a fresh temp dir with the key file in another temp dir. */
export async function scaffoldTemp(
  distribution: Distribution,
  gitops: GitOpsEngine,
): Promise<{ dir: string; keyFile: string; result: ScaffoldResult; cleanup: () => Promise<void> }> {
  const parent = await Deno.makeTempDir({ prefix: "bosun-scaffold-" });
  const keys = await Deno.makeTempDir({ prefix: "bosun-keys-" });
  const dir = `${parent}/platform`;
  const keyFile = `${keys}/keys.txt`;
  const result = await scaffoldProject(dir, {
    distribution,
    gitops,
    sdk: REPO_ROOT,
    ageKeyFile: keyFile,
  });
  return {
    dir,
    keyFile,
    result,
    cleanup: async () => {
      await Deno.remove(parent, { recursive: true });
      await Deno.remove(keys, { recursive: true });
    },
  };
}

/** Every CRD file of the vectors for Flux and Argo CD. */
export async function vectorCrds(): Promise<string[]> {
  const out: string[] = [];
  for (const group of ["flux", "argocd"]) {
    for await (const e of Deno.readDir(`${VECTORS}crds/${group}`)) {
      if (e.isFile && e.name.endsWith(".yaml")) out.push(`${VECTORS}crds/${group}/${e.name}`);
    }
  }
  return out.sort();
}

/** Directories under `root` holding a kustomization.yaml. */
export async function kustomizationDirs(root: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string) => {
    for await (const e of Deno.readDir(dir)) {
      if (e.isDirectory) await walk(`${dir}/${e.name}`);
      else if (e.name === "kustomization.yaml") out.push(dir);
    }
  };
  await walk(root);
  return out.sort();
}
