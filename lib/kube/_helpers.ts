import type { Kube } from "./client.ts";
import type { SecretSpec, UpsertSecretOptions } from "./helpers.ts";
import type { ApplyResult } from "./types.ts";
import { KubeApiError } from "./errors.ts";
export function applySecret(
  _k: Kube,
  _s: SecretSpec,
  _o: UpsertSecretOptions,
): Promise<ApplyResult> {
  return Promise.reject(
    new KubeApiError({ verb: "apply", status: 0, apiMessage: "not implemented" }),
  );
}
