// upsertSecret: server-side apply of a Secret built from plain values.

import { encodeBase64 } from "./_base64.ts";
import { applyManifests } from "./apply.ts";
import type { Kube } from "./client.ts";
import { ensureNamespace, type SecretSpec, type UpsertSecretOptions } from "./helpers.ts";
import type { ApplyResult, KubeObject } from "./types.ts";

/** Builds and applies the Secret; values are base64-encoded and never logged. */
export async function applySecret(
  kube: Kube,
  secret: SecretSpec,
  options: UpsertSecretOptions,
): Promise<ApplyResult> {
  const dryRun = options.dryRun ?? false;
  if (options.createNamespace) await ensureNamespace(kube, secret.namespace, { dryRun });
  const data: Record<string, string> = {};
  const encoder = new TextEncoder();
  for (const [key, value] of Object.entries(secret.data)) {
    data[key] = encodeBase64(typeof value === "string" ? encoder.encode(value) : value);
  }
  const metadata: KubeObject["metadata"] = { name: secret.name, namespace: secret.namespace };
  if (secret.labels) metadata.labels = { ...secret.labels };
  if (secret.annotations) metadata.annotations = { ...secret.annotations };
  const object: KubeObject = {
    apiVersion: "v1",
    kind: "Secret",
    metadata,
    type: secret.type ?? "Opaque",
    data,
  };
  const [result] = await applyManifests(kube, object, { dryRun, force: true });
  return result!;
}
