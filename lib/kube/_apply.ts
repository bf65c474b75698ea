// applyManifests: tiers (CRDs → cluster-scoped → namespaced), bounded
// concurrency, created/configured/unchanged from resourceVersions, prune.

import { silentReporter, type Step } from "../ui/mod.ts";
import type { ApplyOptions } from "./apply.ts";
import { FIELD_MANAGER } from "./apply.ts";
import type { Kube, ResourceInfo } from "./client.ts";
import { KubeApiError, KubeOptionsError, UnknownKindError } from "./errors.ts";
import { type Manifest, readManifests } from "./_manifests.ts";
import { refOf } from "./status.ts";
import type { ApplyAction, ApplyResult, KubeObject, ObjectRef } from "./types.ts";
import { waitAll } from "./_wait.ts";

const CRD = "apiextensions.k8s.io|CustomResourceDefinition";
const groupOf = (apiVersion: string) => apiVersion.includes("/") ? apiVersion.split("/")[0]! : "";
const gk = (apiVersion: string, kind: string) => `${groupOf(apiVersion)}|${kind}`;
const identity = (r: ObjectRef) =>
  `${groupOf(r.apiVersion)}|${r.kind}|${r.namespace ?? ""}|${r.name}`;

const DEFAULT_PRUNE_KINDS = [
  ["v1", "ConfigMap"],
  ["v1", "Secret"],
  ["v1", "Service"],
  ["v1", "ServiceAccount"],
  ["apps/v1", "Deployment"],
  ["apps/v1", "StatefulSet"],
  ["apps/v1", "DaemonSet"],
  ["batch/v1", "Job"],
] as const;

interface Item {
  readonly index: number;
  readonly manifest: Manifest;
  body: KubeObject;
  ref: ObjectRef;
  info?: ResourceInfo;
}

async function pool<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>) {
  let next = 0;
  const errors: unknown[] = [];
  const worker = async () => {
    while (next < items.length && errors.length === 0) {
      const item = items[next++]!;
      try {
        await work(item);
      } catch (error) {
        errors.push(error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (errors.length > 0) throw errors[0];
}

/** Strips server-owned metadata so an object read back from the API can be applied. */
function applyBody(object: KubeObject, namespace: string | undefined): KubeObject {
  const {
    resourceVersion: _rv,
    uid: _uid,
    managedFields: _mf,
    creationTimestamp: _ct,
    generation: _g,
    selfLink: _sl,
    ...metadata
  } = object.metadata;
  const body: KubeObject = { ...object, metadata: { ...metadata } };
  if (namespace === undefined) delete body.metadata.namespace;
  else body.metadata.namespace = namespace;
  delete body.status;
  return body;
}

/** Canonical form for comparing dry-run answers with the live object (ownership ignored). */
function canonical(o: KubeObject): string {
  const { resourceVersion: _rv, managedFields: _mf, ...meta } = o.metadata;
  const { apiVersion: _a, kind: _k, ...rest } = o; // list items carry neither
  return JSON.stringify({ ...rest, metadata: meta });
}

/**
 * Whether a real apply changed the object. A new resourceVersion normally means
 * a change, except:
 * - when the apply set no fields at all (e.g. a bare Namespace): the API then
 *   only records a `before-first-apply` manager for the old fields;
 * - when a controller wrote the object's status between our read and our apply
 *   (a Deployment rolling out): for objects with a `generation`, the spec
 *   changed only if the generation did, and our own labels and annotations
 *   changed only if our managed-fields entry did.
 */
function changed(old: KubeObject, after: KubeObject, manager: string): boolean {
  if (old.metadata.resourceVersion === after.metadata.resourceVersion) return false;
  const owners = (after.metadata.managedFields ?? []) as ManagedFields[];
  const hadOwners = ((old.metadata.managedFields ?? []) as unknown[]).length > 0;
  if (!hadOwners && !owners.some((m) => m.manager === manager)) return false;
  const before = old.metadata.generation;
  const now = after.metadata.generation;
  if (before !== undefined && now !== undefined) {
    if (before !== now) return true;
    return JSON.stringify(appliedBy(old, manager)) !== JSON.stringify(appliedBy(after, manager));
  }
  return true;
}

interface ManagedFields {
  readonly manager?: string;
  readonly operation?: string;
  readonly subresource?: string;
  readonly time?: string;
  readonly fieldsV1?: unknown;
}

/** The managed-fields entry of `manager`'s applies to the main resource. */
function appliedBy(object: KubeObject, manager: string): unknown {
  const entry = ((object.metadata.managedFields ?? []) as ManagedFields[]).find((m) =>
    m.manager === manager && m.operation === "Apply" && !m.subresource
  );
  return entry && { time: entry.time, fieldsV1: entry.fieldsV1 };
}

/** Applies everything; see {@linkcode applyManifests}. */
export async function applyAll(
  kube: Kube,
  input: Parameters<typeof readManifests>[0],
  options: ApplyOptions,
): Promise<ApplyResult[]> {
  checkPrune(options.prune);
  const manifests = await readManifests(input);
  const dryRun = options.dryRun ?? false;
  const concurrency = Math.max(1, options.concurrency ?? 16);
  const defaultNs = options.namespace ?? kube.namespace;
  const reporter = options.reporter ?? silentReporter;
  const step = reporter.step(`${dryRun ? "Validating" : "Applying"} ${manifests.length} object(s)`);
  const results: (ApplyResult | undefined)[] = new Array(manifests.length);
  try {
    const items: Item[] = manifests.map((m, index) => ({
      index,
      manifest: m,
      body: m.object,
      ref: refOf(m.object),
    }));
    const crds = items.filter((i) => gk(i.ref.apiVersion, i.ref.kind) === CRD);
    const rest = items.filter((i) => gk(i.ref.apiVersion, i.ref.kind) !== CRD);
    const ctx: Ctx = { kube, options, dryRun, step, results, total: items.length, done: 0 };

    // Tier 0: CRDs, then wait until Established so their CRs can be applied now.
    for (const i of crds) i.body = applyBody(i.manifest.object, undefined);
    await applyTier(ctx, crds, concurrency, "CustomResourceDefinitions");
    const newKinds = new Map<string, boolean>(); // group|kind of CRDs in this call → namespaced
    for (const i of crds) {
      const spec = i.manifest.object.spec as
        | { group?: string; names?: { kind?: string }; scope?: string }
        | undefined;
      if (spec?.group && spec.names?.kind) {
        newKinds.set(`${spec.group}|${spec.names.kind}`, spec.scope === "Namespaced");
      }
    }
    if (crds.length > 0 && !dryRun) {
      step.update("waiting for CRDs to be Established");
      await waitAll(kube, crds.map((i) => i.ref), {
        timeoutMs: options.crdTimeoutMs ?? 60_000,
        pollIntervalMs: 100,
      });
      kube.invalidateDiscovery();
      // Established can precede discovery by a moment: make sure every served
      // version is discoverable, so the CRDs are usable once this call returns.
      await pool(crds.flatMap((i) => servedKinds(i.manifest.object)), concurrency, async (ref) => {
        await resourceOfNewCrd(kube, ref);
      });
    }

    // Scope of every other object, from discovery (or from its CRD in this call).
    const unvalidated: Item[] = [];
    await pool(rest, concurrency, async (i) => {
      const fromCrd = newKinds.get(gk(i.ref.apiVersion, i.ref.kind));
      try {
        i.info = fromCrd !== undefined && !dryRun
          ? await resourceOfNewCrd(kube, i.ref)
          : await kube.resource(i.ref.apiVersion, i.ref.kind);
      } catch (error) {
        if (!(error instanceof UnknownKindError) || fromCrd === undefined || !dryRun) throw error;
        unvalidated.push(i);
        i.info = {
          apiVersion: i.ref.apiVersion,
          kind: i.ref.kind,
          plural: "",
          namespaced: fromCrd,
        };
      }
      const ns = i.info.namespaced ? i.manifest.object.metadata.namespace || defaultNs : undefined;
      i.body = applyBody(i.manifest.object, ns);
      i.ref = refOf(i.body);
    });
    const applicable = rest.filter((i) => !unvalidated.includes(i));
    for (const i of unvalidated) {
      step.log("warn", `${i.ref.kind} "${i.ref.name}" not validated: its CRD is not installed yet`);
      ctx.results[i.index] = { ref: i.ref, action: "created", object: i.body, dryRun };
    }
    const clusterTier = applicable.filter((i) => !i.info!.namespaced);
    const nsTier = applicable.filter((i) => i.info!.namespaced);
    clusterTier.sort((a, b) =>
      Number(b.ref.kind === "Namespace") - Number(a.ref.kind === "Namespace")
    );
    await applyTier(ctx, clusterTier, concurrency, "cluster-scoped objects");
    await applyTier(ctx, nsTier, concurrency, "namespaced objects");

    const applied = results.filter((r): r is ApplyResult => r !== undefined);
    if (options.prune) applied.push(...await prune(ctx, items, options.prune));
    const counts = new Map<ApplyAction, number>();
    for (const r of applied) counts.set(r.action, (counts.get(r.action) ?? 0) + 1);
    step.succeed([...counts].map(([a, n]) => `${n} ${a}`).join(", ") || "nothing to apply");
    return applied;
  } catch (error) {
    step.fail(error);
    throw error;
  }
}

/** `apiVersion`/`kind` of every served version of a CRD. */
function servedKinds(crd: KubeObject): ObjectRef[] {
  const spec = crd.spec as {
    group?: string;
    names?: { kind?: string };
    versions?: { name?: string; served?: boolean }[];
  } | undefined;
  const kind = spec?.names?.kind;
  if (!spec?.group || !kind) return [];
  return (spec.versions ?? []).filter((v) => v.served !== false && v.name).map((v) => ({
    apiVersion: `${spec.group}/${v.name}`,
    kind,
    name: "",
  }));
}

/** Discovery of a CRD's kind just after it became Established can lag for a moment: retry. */
async function resourceOfNewCrd(kube: Kube, ref: ObjectRef): Promise<ResourceInfo> {
  const deadline = Date.now() + 15_000;
  for (let attempt = 0;; attempt++) {
    try {
      return await kube.resource(ref.apiVersion, ref.kind);
    } catch (error) {
      if (!(error instanceof UnknownKindError) || Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, Math.min(25 * 2 ** attempt, 500)));
      kube.invalidateDiscovery();
    }
  }
}

interface Ctx {
  kube: Kube;
  options: ApplyOptions;
  dryRun: boolean;
  step: Step;
  results: (ApplyResult | undefined)[];
  total: number;
  done: number;
}

/** resourceVersions (or, for dry runs, full objects) of existing objects, one list per kind+namespace. */
async function existing(ctx: Ctx, items: readonly Item[]): Promise<Map<string, KubeObject>> {
  const found = new Map<string, KubeObject>();
  const groups = new Map<string, Item[]>();
  for (const i of items) {
    const key = `${i.ref.apiVersion}|${i.ref.kind}|${i.ref.namespace ?? ""}`;
    groups.set(key, [...(groups.get(key) ?? []), i]);
  }
  await pool([...groups.values()], 8, async (group) => {
    const first = group[0]!;
    if (group.length <= 2) {
      for (const i of group) {
        const obj = await ctx.kube.get(i.ref);
        if (obj) found.set(identity(i.ref), obj);
      }
      return;
    }
    const path = await ctx.kube.pathFor({ ...first.ref, name: "" });
    const wanted = new Set(group.map((i) => i.ref.name));
    const list = await ctx.kube.request<{ items: KubeObject[] }>("GET", path, {
      verb: "list",
      headers: ctx.dryRun ? undefined : {
        accept: "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json",
      },
    });
    for (const o of list.items ?? []) {
      if (!wanted.has(o.metadata.name ?? "")) continue;
      found.set(identity({ ...first.ref, name: o.metadata.name ?? "" }), o);
    }
  });
  return found;
}

async function applyTier(ctx: Ctx, items: readonly Item[], concurrency: number, what: string) {
  if (items.length === 0) return;
  const before = await existing(ctx, items);
  const crdWindow = Date.now() + 15_000;
  await pool(items, concurrency, async (i) => {
    const path = await ctx.kube.pathFor(i.ref);
    const query: Record<string, string | undefined> = {
      fieldManager: ctx.options.fieldManager ?? FIELD_MANAGER,
      force: ctx.options.force ? "true" : undefined,
      dryRun: ctx.dryRun ? "All" : undefined,
      // Like kubectl: unknown or duplicate fields are errors, not silently dropped.
      fieldValidation: "Strict",
    };
    let after: KubeObject;
    for (let attempt = 0;; attempt++) {
      try {
        after = await ctx.kube.request<KubeObject>("PATCH", path, {
          body: i.body,
          query,
          contentType: "application/apply-patch+yaml",
          verb: ctx.dryRun ? "validate" : "apply",
          ref: i.ref,
        });
        break;
      } catch (error) {
        // A just-established CRD's endpoint can lag discovery by a moment.
        const lagging = error instanceof KubeApiError && error.status === 404 &&
          error.reason === "NotFound" && !error.apiMessage.includes(`"${i.ref.name}"`) &&
          Date.now() < crdWindow;
        if (!lagging) throw error;
        await new Promise((r) => setTimeout(r, Math.min(50 * 2 ** attempt, 500)));
      }
    }
    const old = before.get(identity(i.ref));
    let action: ApplyAction;
    if (!old) action = "created";
    else if (ctx.dryRun) action = canonical(old) === canonical(after) ? "unchanged" : "configured";
    else action = changed(old, after, query.fieldManager!) ? "configured" : "unchanged";
    ctx.results[i.index] = { ref: i.ref, action, object: after, dryRun: ctx.dryRun };
    ctx.done++;
    ctx.step.update(`${what}: ${ctx.done}/${ctx.total}`);
  });
}

/**
 * Refuses a prune that would select every object of its kinds: an empty (or blank) selector
 * matches all of them, in every namespace. Checked before anything is applied.
 */
function checkPrune(prune: ApplyOptions["prune"]): void {
  if (prune === undefined) return;
  if (typeof prune.selector !== "string" || prune.selector.trim() === "") {
    throw new KubeOptionsError(
      "prune.selector",
      "is empty, which would prune every object of the pruned kinds in the whole cluster",
      "a label selector that marks this set of objects, such as app.kubernetes.io/part-of=web",
    );
  }
}

async function prune(
  ctx: Ctx,
  items: readonly Item[],
  options: NonNullable<ApplyOptions["prune"]>,
): Promise<ApplyResult[]> {
  const keep = new Set(items.map((i) => identity(i.ref)));
  const kinds = new Map<string, { apiVersion: string; kind: string }>();
  const add = (apiVersion: string, kind: string) =>
    kinds.set(gk(apiVersion, kind), { apiVersion, kind });
  if (options.kinds) { for (const k of options.kinds) add(k.apiVersion, k.kind); }
  else {
    for (const [a, k] of DEFAULT_PRUNE_KINDS) add(a, k);
    for (const i of items) add(i.ref.apiVersion, i.ref.kind);
  }
  const out: ApplyResult[] = [];
  for (const { apiVersion, kind } of kinds.values()) {
    let objects: KubeObject[];
    try {
      objects = await ctx.kube.list(apiVersion, kind, { labelSelector: options.selector });
    } catch (error) {
      if (error instanceof UnknownKindError) continue;
      throw error;
    }
    await pool(objects, 8, async (o) => {
      const ref = refOf(o);
      if (keep.has(identity(ref)) || o.metadata["deletionTimestamp"]) return;
      const path = await ctx.kube.pathFor(ref);
      try {
        await ctx.kube.request("DELETE", path, {
          verb: "prune",
          ref,
          body: ctx.dryRun
            ? { propagationPolicy: "Background", dryRun: ["All"] }
            : { propagationPolicy: "Background" },
        });
      } catch (error) {
        if (error instanceof KubeApiError && error.status === 404) return;
        throw error;
      }
      out.push({ ref, action: "pruned", object: o, dryRun: ctx.dryRun });
    });
  }
  return out;
}
