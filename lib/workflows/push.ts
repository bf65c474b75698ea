/**
 * {@linkcode pushWorkflow}: package the manifests directory as an OCI
 * artifact and push it (and its Helm charts) to the local registry.
 *
 * @module
 */

import { defaultRunner, findTool } from "../exec/mod.ts";
import { silentReporter, withStep } from "../ui/mod.ts";
import { isDir, loadWorkflowConfig, under } from "./_common.ts";
import type { WorkflowOptions } from "./types.ts";

/** Options for {@linkcode pushWorkflow}. */
export interface PushWorkflowOptions extends WorkflowOptions {
  /** Also `helm package` + `helm push` every chart under `<source>/charts`. @default true */
  readonly charts?: boolean;
  /** Directory to push instead of `spec.gitops.sourceDirectory` (relative to `baseDir`). */
  readonly dir?: string;
  /** Where to push. @default `localhost:<hostPort>/<source dir>:<spec.gitops.ref>` */
  readonly ref?: string;
}

/** What {@linkcode pushWorkflow} pushed. */
export interface PushWorkflowResult {
  /** The artifact reference (`localhost:5050/k8s:latest`). */
  readonly reference: string;
  /** Its manifest digest. */
  readonly digest: string;
  /** Whether the registry already had identical content. */
  readonly unchanged: boolean;
  /** Files packaged. */
  readonly files: number;
  /** Charts pushed as `oci://localhost:<port>/charts/<name>:<version>`. */
  readonly charts: readonly string[];
}

/**
 * Pushes `spec.gitops.sourceDirectory` to `localhost:<hostPort>/<repository>:<ref>`
 * (Flux or Argo CD artifact flavour per the engine), then each chart under
 * `<source>/charts` to `localhost:<hostPort>/charts`.
 *
 * @param options Config, runner (for helm), reporter.
 * @returns The pushed reference and digest, and the charts.
 * @throws {RegistryUnreachableError} The local registry is not running.
 * @throws {GitOpsConfigError} The local registry is disabled.
 *
 * @example
 * ```ts ignore
 * import { pushWorkflow } from "@bosun/sdk";
 * const { reference, digest } = await pushWorkflow();
 * console.log(`${reference}@${digest}`);
 * ```
 */
export async function pushWorkflow(options: PushWorkflowOptions = {}): Promise<PushWorkflowResult> {
  const { config, baseDir } = await loadWorkflowConfig(options);
  const reporter = options.reporter ?? silentReporter;
  const { pushSource } = await import("../gitops/mod.ts");
  const source = under(baseDir, options.dir ?? config.spec.gitops.sourceDirectory);
  const pushed = await withStep(reporter, `Push ${source}`, async (step) => {
    const r = await pushSource(config, {
      baseDir,
      reporter: step,
      ...(options.dir ? { dir: options.dir } : {}),
      ...(options.ref ? { ref: options.ref } : {}),
    });
    step.update(r.unchanged ? "unchanged" : r.digest);
    return r;
  });
  const charts: string[] = [];
  if (options.charts !== false && await isDir(`${source}/charts`)) {
    const runner = options.runner ?? defaultRunner;
    const host = `localhost:${config.spec.registry.local.hostPort}`;
    for await (const entry of Deno.readDir(`${source}/charts`)) {
      const chart = `${source}/charts/${entry.name}`;
      if (
        !entry.isDirectory || !await Deno.stat(`${chart}/Chart.yaml`).then(() => true, () => false)
      ) {
        continue;
      }
      await withStep(reporter, `Push chart ${entry.name}`, async () => {
        const helm = (await findTool("helm", { runner })).path;
        const tmp = await Deno.makeTempDir({ prefix: "bosun-chart-" });
        try {
          const out = await runner.run(helm, ["package", chart, "--destination", tmp]);
          const tgz = /saved it to: (\S+)/.exec(out.stdout)?.[1] ??
            `${tmp}/${[...Deno.readDirSync(tmp)][0]?.name}`;
          await runner.run(helm, ["push", tgz, `oci://${host}/charts`, "--plain-http"]);
          charts.push(`oci://${host}/charts/${entry.name}`);
        } finally {
          await Deno.remove(tmp, { recursive: true }).catch(() => {});
        }
      });
    }
  }
  return {
    reference: pushed.reference,
    digest: pushed.digest,
    unchanged: pushed.unchanged,
    files: pushed.files,
    charts,
  };
}
