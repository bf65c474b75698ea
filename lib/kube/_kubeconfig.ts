import type {
  KubeconfigData,
  MergeKubeconfigOptions,
  RemovedEntries,
  RemoveKubeconfigOptions,
} from "./kubeconfig.ts";
import { KubeconfigError } from "./errors.ts";
export function loadMerged(_paths: string[]): Promise<{ data: KubeconfigData; paths: string[] }> {
  return Promise.reject(new KubeconfigError("not implemented"));
}
export function mergeInto(
  _p: string,
  _f: string | KubeconfigData,
  _o: MergeKubeconfigOptions,
): Promise<string> {
  return Promise.reject(new KubeconfigError("not implemented"));
}
export function removeFrom(
  _p: string,
  _c: string,
  _o: RemoveKubeconfigOptions,
): Promise<RemovedEntries> {
  return Promise.reject(new KubeconfigError("not implemented"));
}
