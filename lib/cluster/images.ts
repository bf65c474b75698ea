/**
 * {@linkcode loadImages}: side-load images from the local Docker engine into a cluster's nodes.
 *
 * @module
 */

import { defaultRunner } from "../exec/mod.ts";
import { silentReporter } from "../ui/mod.ts";
import { type ClusterInput, providerInput, resolveClusterInput } from "./_input.ts";
import { checkTools } from "./_tools.ts";
import { ClusterError, ClusterInputError } from "./errors.ts";
import type { ClusterOptions } from "./lifecycle.ts";
import { getProvider } from "./providers.ts";

/** What {@linkcode loadImages} loaded. */
export interface LoadImagesResult {
  /** The cluster. */
  readonly cluster: string;
  /** The images, as given. */
  readonly images: readonly string[];
}

/**
 * Copies images from the local Docker engine into every node of the cluster, so pods can run
 * an image that was never pushed anywhere (`imagePullPolicy: IfNotPresent` or `Never`). Kind
 * uses `kind load docker-image`, K3d `k3d image import`; Talos and EKS Anywhere nodes cannot
 * take images this way, and the error says to push to the local registry instead.
 *
 * @param input A config, the short form, or a cluster handle.
 * @param images Image references present in the local Docker engine.
 * @param options Runner and reporter.
 * @returns What was loaded.
 * @throws {ClusterInputError} No image given, or an image the local engine does not have.
 * @throws {ClusterError} The cluster does not exist, or its distribution cannot side-load.
 *
 * @example
 * ```ts ignore
 * import { loadImages } from "@bosun/sdk";
 * await loadImages({ name: "dev", distribution: "Kind" }, ["my-app:dev"]);
 * ```
 */
export async function loadImages(
  input: ClusterInput,
  images: readonly string[],
  options: ClusterOptions = {},
): Promise<LoadImagesResult> {
  const config = resolveClusterInput(input);
  const provider = getProvider(config.spec.distribution);
  const name = config.metadata.name;
  const runner = options.runner ?? defaultRunner;
  const top = (options.reporter ?? silentReporter).step(
    `Load ${images.join(", ")} into ${config.spec.distribution} cluster ${name}`,
  );
  try {
    if (images.length === 0) {
      throw new ClusterInputError({
        operation: "load images into",
        cluster: name,
        field: "images",
        value: [],
        reason: "name at least one image present in the local Docker engine",
      });
    }
    const pinput = await providerInput(config, options);
    await checkTools(provider, runner);
    const ctx = { runner, stateDir: pinput.stateDir, reporter: top };
    if (!(await provider.exists(name, ctx))) {
      throw new ClusterError({
        operation: "load images into",
        cluster: name,
        reason: "it does not exist",
      });
    }
    const missing: string[] = [];
    for (const image of images) {
      const r = await runner.run("docker", ["image", "inspect", "--format", "{{.Id}}", image], {
        throwOnError: false,
        timeoutMs: 30_000,
      });
      if (!r.success) missing.push(image);
    }
    if (missing.length > 0) {
      throw new ClusterInputError({
        operation: "load images into",
        cluster: name,
        field: "images",
        value: missing,
        reason: `not in the local Docker engine: ${missing.join(", ")} ` +
          `(docker pull or docker build it first)`,
      });
    }
    await provider.loadImages(name, images, ctx);
    top.succeed();
    return { cluster: name, images };
  } catch (error) {
    top.fail(error);
    throw error;
  }
}
