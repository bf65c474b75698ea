/**
 * The contract of a whole-repository scaffold.
 *
 * @module
 */

import type { AppTemplateOptions, DenoJsonOptions, TemplateFile } from "../templates/mod.ts";

/** Everything a scaffold needs to lay out a repository. */
export interface ScaffoldContext {
  /** Cluster name. */
  readonly cluster: string;
  /** Distribution (`Kind`, `K3d`, `Talos`, `EKSAnywhere`). */
  readonly distribution: string;
  /** The manifests directory (`gitops.sourceDirectory`). */
  readonly sourceDirectory: string;
  /** The tag the GitOps engine follows. */
  readonly ref: string;
  /** The example application. */
  readonly app: Required<AppTemplateOptions>;
  /** The native distribution config written next to bosun.yaml, if any. */
  readonly nativeConfig?: string;
  /** How the repository's deno.json imports the SDK. */
  readonly denoJson: DenoJsonOptions;
}

/** A repository layout. */
export interface Scaffold {
  /** Scaffold name. */
  readonly name: string;
  /** The GitOps engine it is laid out for. */
  readonly engine: "None" | "Flux" | "ArgoCD";
  /** One line for `--help`. */
  readonly description: string;
  /** The files, except bosun.yaml, the native config and .sops.yaml (they need I/O). */
  files(context: ScaffoldContext): TemplateFile[];
}
