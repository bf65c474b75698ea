/**
 * `pushSource`: push a cluster's source directory to its local registry, laid out for
 * its GitOps engine.
 *
 * @module
 */

import { type ClusterLike, toConfig } from "./_target.ts";
import { pushArtifact, type PushArtifactOptions, type PushResult } from "../registry/oci/push.ts";
import { gitOpsSource } from "./source.ts";

/** Options for {@linkcode pushSource}. */
export interface PushSourceOptions extends Omit<PushArtifactOptions, "flavor"> {
  /** Directory to push. @default `spec.gitops.sourceDirectory`, relative to `baseDir` */
  readonly dir?: string;
  /** Where to push. @default `localhost:<hostPort>/<repository>:<spec.gitops.ref>` */
  readonly ref?: string;
  /** Directory the config's relative paths start from. @default the current directory */
  readonly baseDir?: string;
}

/**
 * Packages the cluster's source directory and pushes it to the local registry under the
 * tag the engine follows (Argo CD layout when the engine is ArgoCD, Flux layout otherwise).
 *
 * @param cluster The resolved config, or a cluster (the handle `createCluster` returns).
 * @param options Directory, reference, annotations, reporter.
 * @returns The tag and digest (give the digest to `reconcile` to wait for exactly it).
 * @throws {ArtifactSourceError} The directory is missing or empty.
 * @throws {RegistryUnreachableError} The local registry is not running.
 *
 * @example
 * ```ts ignore
 * import { loadConfig, pushSource, reconcile } from "@bosun/sdk";
 * const { config, baseDir } = await loadConfig();
 * const pushed = await pushSource(config, { baseDir });
 * await reconcile(config, { digest: pushed.digest });
 * ```
 */
export async function pushSource(
  cluster: ClusterLike,
  options: PushSourceOptions = {},
): Promise<PushResult> {
  const config = toConfig(cluster);
  const source = gitOpsSource(config);
  const rel = options.dir ?? source.directory;
  const dir = rel.startsWith("/") || !options.baseDir ? rel : `${options.baseDir}/${rel}`;
  const { dir: _d, ref: _r, baseDir: _b, ...rest } = options;
  return await pushArtifact(dir, options.ref ?? source.pushRef, {
    ...rest,
    flavor: config.spec.gitops.engine === "ArgoCD" ? "argocd" : "flux",
  });
}
