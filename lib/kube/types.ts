/**
 * Plain data types shared by the kube module: objects, references, apply
 * results and readiness states.
 *
 * @module
 */

/** Object metadata as Bosun reads and writes it (the fields it uses; others pass through). */
export interface KubeObjectMeta {
  /** Object name. */
  name?: string;
  /** Namespace for namespaced kinds. */
  namespace?: string;
  /** Labels. */
  labels?: Record<string, string>;
  /** Annotations. */
  annotations?: Record<string, string>;
  /** Server-assigned version of this object, changes on every write. */
  resourceVersion?: string;
  /** Spec generation, bumped by the server when the spec changes. */
  generation?: number;
  /** Server-assigned id. */
  uid?: string;
  /** Any other metadata field. */
  [key: string]: unknown;
}

/** A Kubernetes object of any kind, as JSON. */
export interface KubeObject {
  /** `group/version`, or `v1` for the core group. */
  apiVersion: string;
  /** The kind, e.g. `Deployment`. */
  kind: string;
  /** Metadata. */
  metadata: KubeObjectMeta;
  /** Any other top-level field (`spec`, `status`, `data`, …). */
  [key: string]: unknown;
}

/** Identifies one object. */
export interface ObjectRef {
  /** `group/version`, or `v1`. */
  readonly apiVersion: string;
  /** The kind. */
  readonly kind: string;
  /** The name. */
  readonly name: string;
  /** The namespace, for namespaced kinds. */
  readonly namespace?: string | undefined;
}

/** One status condition (`status.conditions[]`). */
export interface Condition {
  /** Condition type, e.g. `Ready`, `Available`, `Established`. */
  readonly type: string;
  /** `"True"`, `"False"` or `"Unknown"`. */
  readonly status: string;
  /** Machine-readable reason. */
  readonly reason?: string;
  /** Human-readable message. */
  readonly message?: string;
  /** The generation this condition was computed for. */
  readonly observedGeneration?: number;
  /** When the status last changed. */
  readonly lastTransitionTime?: string;
}

/** A source of manifests for {@linkcode applyManifests}. */
export type ManifestSource =
  | string
  | KubeObject
  | { readonly file: string }
  | { readonly dir: string };

/** Manifests: YAML text, objects, a file, a directory, or a list of those. */
export type ManifestInput = ManifestSource | readonly ManifestSource[];

/** What server-side apply did to one object. */
export type ApplyAction = "created" | "configured" | "unchanged" | "pruned";

/** The outcome for one object of {@linkcode applyManifests}. */
export interface ApplyResult {
  /** The object. */
  readonly ref: ObjectRef;
  /** `created` (did not exist), `configured` (changed), `unchanged` (same resourceVersion), `pruned`. */
  readonly action: ApplyAction;
  /** The object as the server returned it (after apply), or the last state for `pruned`. */
  readonly object: KubeObject;
  /** Whether this was a server dry run (nothing persisted). */
  readonly dryRun: boolean;
}

/** kstatus state of one object. */
export type ReadyState = "Current" | "InProgress" | "Failed" | "NotFound";

/** The readiness of one object, as computed by {@linkcode computeStatus}. */
export interface ObjectStatus {
  /** The object. */
  readonly ref: ObjectRef;
  /** `Current` means ready. */
  readonly state: ReadyState;
  /** Short machine-readable reason (condition reason or a kstatus-style reason). */
  readonly reason?: string | undefined;
  /** Human-readable detail, taken from the object's status where possible. */
  readonly message?: string | undefined;
}
