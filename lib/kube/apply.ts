/**
 * Server-side apply in dependency order: CRDs (then wait until Established),
 * Namespaces and other cluster-scoped objects, then namespaced objects.
 *
 * @module
 */

import type { Reporter } from "../ui/mod.ts";
import type { Kube } from "./client.ts";
import type { ApplyResult, ManifestInput } from "./types.ts";
import { applyAll } from "./_apply.ts";

/** The field manager Bosun applies with. */
export const FIELD_MANAGER = "bosun";

/** Pruning: delete objects carrying a label that are no longer in the manifests. */
export interface PruneOptions {
  /**
   * Label selector that marks objects owned by this set, e.g. `app.kubernetes.io/part-of=web`.
   * Must not be empty: an empty selector would match every object of the pruned kinds.
   */
  readonly selector: string;
  /**
   * Kinds to look for (`apiVersion`/`kind` pairs). @default the kinds in the
   * manifests plus ConfigMap, Secret, Service, Deployment, StatefulSet, DaemonSet, Job
   */
  readonly kinds?: readonly { readonly apiVersion: string; readonly kind: string }[];
}

/** Options for {@linkcode applyManifests}. */
export interface ApplyOptions {
  /** Server dry run: the real API validates (CRD schemas included), nothing is persisted. @default false */
  readonly dryRun?: boolean;
  /** Take ownership of fields managed by others (`force=true`). @default false */
  readonly force?: boolean;
  /** Delete labelled objects that are not in the manifests. */
  readonly prune?: PruneOptions | undefined;
  /** Namespace for namespaced objects that set none. @default the connection's namespace */
  readonly namespace?: string | undefined;
  /** Requests in flight at once within a tier. @default 16 */
  readonly concurrency?: number;
  /** Field manager. @default "bosun" */
  readonly fieldManager?: string;
  /** How long to wait for new CRDs to become Established. @default 60000 */
  readonly crdTimeoutMs?: number;
  /** Progress. @default silentReporter */
  readonly reporter?: Reporter | undefined;
}

/**
 * Applies manifests with server-side apply (field manager `bosun`), in order:
 * CRDs first (waiting until each is Established, so custom resources in the
 * same call succeed), then Namespaces and other cluster-scoped objects, then
 * namespaced objects. Objects within a tier are applied concurrently.
 *
 * @param kube The connection.
 * @param input YAML text, objects, `{ file }`, `{ dir }` or a list of those.
 * @param options Dry run, force, prune, namespace, concurrency, reporter.
 * @returns One result per object, in input order (then pruned objects):
 *   `created`, `configured`, `unchanged` (same resourceVersion) or `pruned`.
 * @throws {ManifestError} Invalid YAML (file, document index, line) or a document that is not an object.
 * @throws {UnknownKindError} A kind the server does not serve; names the API groups that exist.
 * @throws {KubeApiError} The API rejected an object; field paths and message unchanged.
 * @throws {KubeOptionsError} `prune.selector` is empty (checked before anything is applied).
 *
 * @example
 * ```ts ignore
 * import { applyManifests, connectKube } from "@bosun/sdk";
 * const kube = await connectKube();
 * const results = await applyManifests(kube, { dir: "k8s/base" });
 * for (const r of results) console.log(r.action, r.ref.kind, r.ref.name);
 * ```
 */
export async function applyManifests(
  kube: Kube,
  input: ManifestInput,
  options: ApplyOptions = {},
): Promise<ApplyResult[]> {
  return await applyAll(kube, input, options);
}
