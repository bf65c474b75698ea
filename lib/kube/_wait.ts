import type { Kube } from "./client.ts";
import type { WaitOptions } from "./wait.ts";
import type { KubeObject, ObjectRef, ObjectStatus } from "./types.ts";
import { NotReadyError } from "./errors.ts";
export function waitAll(
  _k: Kube,
  _i: readonly (ObjectRef | KubeObject)[],
  o: WaitOptions,
): Promise<ObjectStatus[]> {
  return Promise.reject(new NotReadyError({ timeoutMs: o.timeoutMs, pending: [] }));
}
