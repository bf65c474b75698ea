/**
 * kstatus rules: is an object ready for its current generation?
 *
 * @module
 */

import { getCondition } from "./helpers.ts";
import type { KubeObject, ObjectRef, ObjectStatus, ReadyState } from "./types.ts";

type Rec = Record<string, unknown>;

/**
 * Computes the readiness of an object by kstatus rules: Deployment,
 * StatefulSet and DaemonSet rollouts complete for the current generation; Job
 * complete (failed Jobs are `Failed`); CRD Established; APIService Available;
 * Pod Ready; otherwise a `Ready` condition whose `observedGeneration` matches
 * (a `Stalled=True` condition is `Failed`), and objects without conditions are
 * ready once they exist.
 *
 * @param object The object as read from the server, or `undefined` when it does not exist.
 * @param ref The reference to report (used when `object` is `undefined`).
 * @returns The state with a reason and message.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { computeStatus } from "@bosun/sdk";
 * const s = computeStatus({ apiVersion: "batch/v1", kind: "Job", metadata: { name: "j", namespace: "d" },
 *   status: { conditions: [{ type: "Complete", status: "True" }] } });
 * assert.equal(s.state, "Current");
 * ```
 */
export function computeStatus(object: KubeObject | undefined, ref?: ObjectRef): ObjectStatus {
  const r: ObjectRef = ref ?? refOf(object!);
  if (!object) return { ref: r, state: "NotFound", reason: "NotFound", message: "does not exist" };
  const [state, reason, message] = evaluate(object);
  return { ref: r, state, reason, message };
}

/**
 * The {@linkcode ObjectRef} of an object.
 *
 * @param object The object.
 * @returns Its apiVersion, kind, name and namespace.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { refOf } from "@bosun/sdk";
 * assert.equal(refOf({ apiVersion: "v1", kind: "Namespace", metadata: { name: "a" } }).name, "a");
 * ```
 */
export function refOf(object: KubeObject): ObjectRef {
  const ref: { apiVersion: string; kind: string; name: string; namespace?: string } = {
    apiVersion: object.apiVersion,
    kind: object.kind,
    name: object.metadata?.name ?? "",
  };
  if (object.metadata?.namespace) ref.namespace = object.metadata.namespace;
  return ref;
}

type Verdict = [ReadyState, string | undefined, string | undefined];

const num = (v: unknown, d = 0): number => typeof v === "number" ? v : d;

function evaluate(obj: KubeObject): Verdict {
  const status = (obj.status ?? {}) as Rec;
  const spec = (obj.spec ?? {}) as Rec;
  const generation = obj.metadata.generation;
  const observed = status.observedGeneration;
  if (obj.metadata["deletionTimestamp"]) return ["InProgress", "Terminating", "is being deleted"];
  if (generation !== undefined && typeof observed === "number" && observed < generation) {
    return [
      "InProgress",
      "NotObserved",
      `generation ${generation} not yet observed (observed ${observed})`,
    ];
  }
  const group = obj.apiVersion.includes("/") ? obj.apiVersion.split("/")[0] : "";
  const key = `${group}/${obj.kind}`;
  switch (key) {
    case "apps/Deployment":
      return deployment(obj, spec, status);
    case "apps/StatefulSet":
      return statefulSet(obj, spec, status);
    case "apps/DaemonSet":
      return daemonSet(obj, status);
    case "batch/Job":
      return job(obj);
    case "apiextensions.k8s.io/CustomResourceDefinition":
      return crd(obj);
    case "apiregistration.k8s.io/APIService":
      return conditionIs(obj, "Available");
    case "/Pod":
      return pod(obj, status);
    case "/Namespace":
      return status.phase === "Terminating"
        ? ["InProgress", "Terminating", "namespace is terminating"]
        : ["Current", undefined, undefined];
    case "/PersistentVolumeClaim":
      return status.phase === "Bound"
        ? ["Current", undefined, undefined]
        : ["InProgress", "NotBound", `phase ${String(status.phase ?? "Pending")}`];
    default:
      return generic(obj);
  }
}

function needsGenerationObserved(obj: KubeObject, status: Rec): Verdict | undefined {
  const g = obj.metadata.generation;
  if (g !== undefined && status.observedGeneration === undefined) {
    return ["InProgress", "NotObserved", `generation ${g} not yet observed`];
  }
  return undefined;
}

function deployment(obj: KubeObject, spec: Rec, status: Rec): Verdict {
  const pending = needsGenerationObserved(obj, status);
  if (pending) return pending;
  const progressing = getCondition(obj, "Progressing");
  const available = getCondition(obj, "Available");
  const detail = (fallback: string) =>
    [available?.status !== "True" ? available?.message : undefined, progressing?.message]
      .filter(Boolean)[0] ?? fallback;
  if (progressing?.reason === "ProgressDeadlineExceeded") {
    return ["InProgress", "ProgressDeadlineExceeded", detail("progress deadline exceeded")];
  }
  if (spec.paused === true) return ["Current", "Paused", "rollout is paused"];
  const want = num(spec.replicas, 1);
  const updated = num(status.updatedReplicas);
  const total = num(status.replicas);
  const availableN = num(status.availableReplicas);
  const reason = available?.status === "False" ? available.reason : "RolloutInProgress";
  if (updated < want) {
    return ["InProgress", reason, detail(`${updated} of ${want} replicas updated`)];
  }
  if (total > updated) {
    return ["InProgress", reason, detail(`${total - updated} old replicas pending termination`)];
  }
  if (availableN < want) {
    return ["InProgress", reason, detail(`${availableN} of ${want} replicas available`)];
  }
  return ["Current", undefined, `${availableN} of ${want} replicas available`];
}

function statefulSet(obj: KubeObject, spec: Rec, status: Rec): Verdict {
  const pending = needsGenerationObserved(obj, status);
  if (pending) return pending;
  const want = num(spec.replicas, 1);
  const ready = num(status.readyReplicas);
  const strategy = (spec.updateStrategy ?? {}) as Rec;
  if (strategy.type === "OnDelete") {
    return ready < want
      ? ["InProgress", "RolloutInProgress", `${ready} of ${want} replicas ready`]
      : ["Current", undefined, undefined];
  }
  const partition = num(((strategy.rollingUpdate ?? {}) as Rec).partition);
  const updated = num(status.updatedReplicas);
  if (partition > 0) {
    if (updated < want - partition) {
      return ["InProgress", "RolloutInProgress", `${updated} of ${want - partition} updated`];
    }
  } else if (status.updateRevision !== status.currentRevision || updated < want) {
    return ["InProgress", "RolloutInProgress", `${updated} of ${want} replicas updated`];
  }
  if (ready < want) {
    return ["InProgress", "RolloutInProgress", `${ready} of ${want} replicas ready`];
  }
  return ["Current", undefined, `${ready} of ${want} replicas ready`];
}

function daemonSet(obj: KubeObject, status: Rec): Verdict {
  const pending = needsGenerationObserved(obj, status);
  if (pending) return pending;
  const desired = num(status.desiredNumberScheduled);
  const updated = num(status.updatedNumberScheduled);
  const available = num(status.numberAvailable);
  if (updated < desired) {
    return ["InProgress", "RolloutInProgress", `${updated} of ${desired} pods updated`];
  }
  if (available < desired) {
    return ["InProgress", "RolloutInProgress", `${available} of ${desired} pods available`];
  }
  return ["Current", undefined, `${available} of ${desired} pods available`];
}

function job(obj: KubeObject): Verdict {
  const failed = getCondition(obj, "Failed");
  if (failed?.status === "True") return ["Failed", failed.reason ?? "Failed", failed.message];
  const complete = getCondition(obj, "Complete");
  if (complete?.status === "True") return ["Current", "Complete", complete.message];
  const suspended = getCondition(obj, "Suspended");
  if (suspended?.status === "True") return ["Current", "Suspended", suspended.message];
  return ["InProgress", "JobInProgress", "job has not completed"];
}

function crd(obj: KubeObject): Verdict {
  const names = getCondition(obj, "NamesAccepted");
  if (names?.status === "False") {
    return ["Failed", names.reason ?? "NamesNotAccepted", names.message];
  }
  return conditionIs(obj, "Established");
}

function pod(obj: KubeObject, status: Rec): Verdict {
  if (status.phase === "Succeeded") return ["Current", "PodCompleted", undefined];
  if (status.phase === "Failed") {
    return ["Failed", "PodFailed", typeof status.message === "string" ? status.message : undefined];
  }
  const scheduled = getCondition(obj, "PodScheduled");
  if (scheduled?.status === "False") {
    return ["InProgress", scheduled.reason ?? "Unschedulable", scheduled.message];
  }
  return conditionIs(obj, "Ready");
}

function conditionIs(obj: KubeObject, type: string): Verdict {
  const c = getCondition(obj, type);
  if (c?.status === "True") return ["Current", c.reason, c.message];
  return ["InProgress", c?.reason ?? `Not${type}`, c?.message ?? `condition ${type} is not True`];
}

function generic(obj: KubeObject): Verdict {
  const stalled = getCondition(obj, "Stalled");
  if (stalled?.status === "True") return ["Failed", stalled.reason ?? "Stalled", stalled.message];
  const ready = getCondition(obj, "Ready");
  if (!ready) {
    const reconciling = getCondition(obj, "Reconciling");
    if (reconciling?.status === "True") {
      return ["InProgress", reconciling.reason ?? "Reconciling", reconciling.message];
    }
    return ["Current", undefined, undefined];
  }
  const g = obj.metadata.generation;
  if (g !== undefined && ready.observedGeneration !== undefined && ready.observedGeneration < g) {
    return [
      "InProgress",
      "NotObserved",
      `Ready condition is for generation ${ready.observedGeneration}, current is ${g}`,
    ];
  }
  if (ready.status === "True") return ["Current", ready.reason, ready.message];
  return ["InProgress", ready.reason ?? "NotReady", ready.message];
}
