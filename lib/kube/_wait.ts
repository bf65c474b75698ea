// waitForReady: one list + watch loop per (kind, namespace) group, sharing one
// deadline; a failed or ended watch falls back to polling by listing again.

import { silentReporter } from "../ui/mod.ts";
import type { Kube } from "./client.ts";
import { describeRef, KubeApiError, NotReadyError, UnknownKindError } from "./errors.ts";
import { getCondition } from "./helpers.ts";
import { computeStatus } from "./status.ts";
import type { KubeObject, ObjectRef, ObjectStatus } from "./types.ts";
import type { WaitOptions } from "./wait.ts";

function toRef(o: ObjectRef | KubeObject): ObjectRef {
  if ("metadata" in o && typeof o.metadata === "object") {
    const obj = o as KubeObject;
    return {
      apiVersion: obj.apiVersion,
      kind: obj.kind,
      name: obj.metadata.name ?? "",
      namespace: obj.metadata.namespace,
    };
  }
  return o as ObjectRef;
}

const keyOf = (r: ObjectRef) => `${r.apiVersion}|${r.kind}|${r.namespace ?? ""}|${r.name}`;

interface Group {
  apiVersion: string;
  kind: string;
  namespace: string | undefined;
  names: Set<string>;
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => {
      clearTimeout(t);
      resolve();
    }, { once: true });
  });

/** Waits for every object; see {@linkcode waitForReady}. */
export async function waitAll(
  kube: Kube,
  objects: readonly (ObjectRef | KubeObject)[],
  options: WaitOptions,
): Promise<ObjectStatus[]> {
  const refs: ObjectRef[] = [];
  const groups = new Map<string, Group>();
  for (const o of objects) {
    const r = toRef(o);
    // A kind not served yet (its CRD is still being installed) counts as NotFound
    // until it appears; its scope is then taken from the reference.
    const namespaced = await kube.resource(r.apiVersion, r.kind).then(
      (info) => info.namespaced,
      (error) => {
        if (error instanceof UnknownKindError) return r.namespace !== undefined;
        throw error;
      },
    );
    const namespace = namespaced ? r.namespace || kube.namespace : undefined;
    refs.push({ apiVersion: r.apiVersion, kind: r.kind, name: r.name, namespace });
    const gk = `${r.apiVersion}|${r.kind}|${namespace ?? ""}`;
    const g = groups.get(gk) ??
      { apiVersion: r.apiVersion, kind: r.kind, namespace, names: new Set<string>() };
    g.names.add(r.name);
    groups.set(gk, g);
  }
  const statuses = new Map<string, ObjectStatus>();
  const latest = new Map<string, KubeObject>();
  for (const r of refs) statuses.set(keyOf(r), computeStatus(undefined, r));
  const reporter = options.reporter ?? silentReporter;
  const step = reporter.step(`Waiting for ${refs.length} object(s) to be ready`);
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), options.timeoutMs);
  const external = options.signal;
  const onAbort = () => controller.abort();
  external?.addEventListener("abort", onAbort, { once: true });
  let failed = false;

  const pending = () => [...statuses.values()].filter((s) => s.state !== "Current");
  const progress = () => {
    const left = pending();
    step.update(
      `${refs.length - left.length}/${refs.length} ready` +
        (left[0] ? `; waiting for ${describeRef(left[0].ref)} (${left[0].state})` : ""),
    );
  };
  const refOf = (g: Group, name: string): ObjectRef => ({
    apiVersion: g.apiVersion,
    kind: g.kind,
    name,
    namespace: g.namespace,
  });
  const observe = (g: Group, obj: KubeObject | undefined, name: string) => {
    const ref = refOf(g, name);
    const key = keyOf(ref);
    if (!statuses.has(key)) return;
    if (obj) latest.set(key, obj);
    else latest.delete(key);
    const status = computeStatus(obj, ref);
    statuses.set(key, status);
    if (status.state === "Failed") {
      failed = true;
      controller.abort();
    }
    progress();
  };
  const groupDone = (g: Group) =>
    [...g.names].every((n) => statuses.get(keyOf(refOf(g, n)))?.state === "Current");

  const runGroup = async (g: Group) => {
    const signal = controller.signal;
    const interval = options.pollIntervalMs ?? 1000;
    let base: string | undefined;
    while (base === undefined) {
      try {
        base = await kube.pathFor({
          apiVersion: g.apiVersion,
          kind: g.kind,
          name: "",
          namespace: g.namespace,
        });
      } catch (error) {
        if (!(error instanceof UnknownKindError)) throw error;
        for (const n of g.names) {
          const ref = refOf(g, n);
          statuses.set(keyOf(ref), {
            ref,
            state: "NotFound",
            reason: "KindNotServed",
            message: error.message.split(". API groups")[0],
          });
        }
        await sleep(interval, signal);
        if (signal.aborted) return;
        kube.invalidateDiscovery();
      }
    }
    const single = g.names.size === 1 ? [...g.names][0] : undefined;
    const fieldSelector = single ? `metadata.name=${single}` : undefined;
    while (!signal.aborted) {
      let rv: string | undefined;
      try {
        const list = await kube.request<
          { metadata?: { resourceVersion?: string }; items: KubeObject[] }
        >(
          "GET",
          base,
          { query: { fieldSelector }, signal, verb: "list" },
        );
        rv = list.metadata?.resourceVersion;
        const seen = new Set<string>();
        for (const item of list.items ?? []) {
          const name = item.metadata.name ?? "";
          if (!g.names.has(name)) continue;
          seen.add(name);
          observe(g, { ...item, apiVersion: g.apiVersion, kind: g.kind }, name);
        }
        for (const n of g.names) if (!seen.has(n)) observe(g, undefined, n);
      } catch (error) {
        if (signal.aborted) return;
        if (!(error instanceof KubeApiError) || error.status >= 500) {
          await sleep(interval, signal);
          continue;
        }
        throw error;
      }
      if (groupDone(g)) return;
      const watched = await watch(kube, g, base, rv, fieldSelector, signal, observe, groupDone);
      if (watched === "done") return;
      if (watched === "failed") await sleep(interval, signal);
    }
  };

  try {
    const results = await Promise.allSettled([...groups.values()].map(runGroup));
    const error = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
    if (error && !controller.signal.aborted) throw error.reason;
    const left = pending();
    if (left.length > 0 || failed) {
      const detailed = await Promise.all(
        left.map((s) => explain(kube, s, latest.get(keyOf(s.ref)))),
      );
      const err = new NotReadyError({ timeoutMs: options.timeoutMs, pending: detailed });
      step.fail(err);
      throw err;
    }
    step.succeed(`${refs.length} ready`);
    return refs.map((r) => statuses.get(keyOf(r))!);
  } finally {
    clearTimeout(timer);
    external?.removeEventListener("abort", onAbort);
    controller.abort();
  }
}

type WatchEnd = "done" | "ended" | "failed";

async function watch(
  kube: Kube,
  g: Group,
  base: string,
  rv: string | undefined,
  fieldSelector: string | undefined,
  signal: AbortSignal,
  observe: (g: Group, obj: KubeObject | undefined, name: string) => void,
  done: (g: Group) => boolean,
): Promise<WatchEnd> {
  let body: ReadableStream<Uint8Array>;
  try {
    body = await kube.stream(base, {
      query: {
        watch: "1",
        resourceVersion: rv,
        allowWatchBookmarks: "true",
        fieldSelector,
        timeoutSeconds: "60",
      },
      signal,
      verb: "watch",
    });
  } catch {
    return "failed";
  }
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  try {
    for (;;) {
      const { value, done: end } = await reader.read();
      if (end) return "ended";
      buffer += value;
      let nl: number;
      while ((nl = buffer.indexOf("\n")) >= 0) {
        const line = buffer.slice(0, nl).trim();
        buffer = buffer.slice(nl + 1);
        if (!line) continue;
        const event = JSON.parse(line) as { type: string; object: KubeObject };
        if (event.type === "ERROR") return "failed";
        if (event.type === "BOOKMARK") continue;
        const name = event.object.metadata?.name ?? "";
        if (!g.names.has(name)) continue;
        const obj = { ...event.object, apiVersion: g.apiVersion, kind: g.kind };
        observe(g, event.type === "DELETED" ? undefined : obj, name);
        if (done(g)) return "done";
      }
    }
  } catch {
    return signal.aborted ? "ended" : "failed";
  } finally {
    await reader.cancel().catch(() => {});
  }
}

/** Adds the scheduling/container message of a stuck workload's first pod. */
async function explain(
  kube: Kube,
  status: ObjectStatus,
  obj: KubeObject | undefined,
): Promise<ObjectStatus> {
  if (!obj || !["Deployment", "StatefulSet", "DaemonSet"].includes(obj.kind)) return status;
  const selector = ((obj.spec as { selector?: { matchLabels?: Record<string, string> } })?.selector
    ?.matchLabels) ?? {};
  const labelSelector = Object.entries(selector).map(([k, v]) => `${k}=${v}`).join(",");
  if (!labelSelector) return status;
  try {
    const pods = await kube.list("v1", "Pod", { namespace: obj.metadata.namespace, labelSelector });
    for (const pod of pods) {
      const scheduled = getCondition(pod, "PodScheduled");
      let why = scheduled?.status === "False" ? scheduled.message : undefined;
      if (!why) {
        const cs = ((pod.status as {
          containerStatuses?: { state?: { waiting?: { reason?: string; message?: string } } }[];
        })
          ?.containerStatuses ?? []).find((c) => c.state?.waiting);
        const w = cs?.state?.waiting;
        if (w) why = `${w.reason ?? "Waiting"}${w.message ? `: ${w.message}` : ""}`;
      }
      if (why) {
        return {
          ...status,
          message: `${
            status.message ? `${status.message}${status.message.endsWith(".") ? "" : ";"} ` : ""
          }pod ${pod.metadata.name}: ${why}`,
        };
      }
    }
  } catch {
    // best effort: the object's own status is already in the message
  }
  return status;
}
