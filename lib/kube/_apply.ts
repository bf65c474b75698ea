import type { Kube } from "./client.ts";
import type { ApplyOptions } from "./apply.ts";
import type { ApplyResult, ManifestInput } from "./types.ts";
import { ManifestError } from "./errors.ts";
export function applyAll(_k: Kube, _i: ManifestInput, _o: ApplyOptions): Promise<ApplyResult[]> {
  return Promise.reject(new ManifestError("not implemented"));
}
