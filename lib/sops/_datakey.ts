/**
 * Wrapping and unwrapping the data key across key groups (with Shamir
 * splitting when there are several groups).
 *
 * @module
 */

import { describeKey, type MasterKeyRecord, nowRfc3339, type SopsMetadata } from "./metadata.ts";
import type { KeyServices } from "./keys/mod.ts";
import { shamirCombine, shamirSplit } from "./_shamir.ts";
import { type KeyAttempt, SopsDecryptKeyError, SopsError, SopsKeyProviderError } from "./errors.ts";

/** Key types tried first when decrypting, as in sops. */
const ORDER: readonly string[] = ["age", "pgp"];

/**
 * Wraps `dataKey` for every master key of every group (in place).
 *
 * @throws {SopsKeyProviderError} When a key cannot be used.
 */
export async function wrapDataKey(
  metadata: SopsMetadata,
  dataKey: Uint8Array,
  services: KeyServices,
): Promise<void> {
  const groups = metadata.keyGroups;
  if (groups.length === 0 || groups.every((g) => g.length === 0)) {
    throw new SopsError("Cannot encrypt: no master keys were given");
  }
  let parts: Uint8Array[];
  if (groups.length === 1) parts = [dataKey];
  else {
    const threshold = metadata.shamirThreshold || groups.length;
    metadata.shamirThreshold = threshold;
    parts = shamirSplit(dataKey, groups.length, threshold);
  }
  await Promise.all(groups.map(async (group, i) => {
    if (group.length === 0) throw new SopsError("Cannot encrypt: an empty key group was given");
    for (const key of group) {
      const provider = await services.provider(key.type);
      key.enc = await provider.encrypt(key, parts[i]!);
      if ("createdAt" in key) key.createdAt = nowRfc3339();
    }
  }));
}

/**
 * Recovers the data key from the metadata.
 *
 * @throws {SopsDecryptKeyError} Naming the recipients and identities tried.
 */
export async function unwrapDataKey(
  metadata: SopsMetadata,
  services: KeyServices,
  path?: string,
): Promise<Uint8Array> {
  const attempts: KeyAttempt[] = [];
  const parts: Uint8Array[] = [];
  for (const group of metadata.keyGroups) {
    const order = [...group].sort((a, b) => rank(a) - rank(b));
    for (const key of order) {
      try {
        const provider = await services.provider(key.type);
        const part = await provider.decrypt(key);
        parts.push(part);
        break;
      } catch (e) {
        attempts.push({
          key: describeKey(key),
          reason: e instanceof SopsKeyProviderError ? e.reason : (e as Error).message,
        });
      }
    }
  }
  const groups = metadata.keyGroups.length;
  const need = groups > 1 ? (metadata.shamirThreshold || groups) : 1;
  if (parts.length >= need) {
    if (groups <= 1) return parts[0]!;
    try {
      return shamirCombine(parts.slice(0, Math.max(need, 2)));
    } catch (cause) {
      throw new SopsError(`Cannot combine the Shamir shares of ${path ?? "the file"}`, { cause });
    }
  }
  const identities: string[] = [];
  for (const p of await services.created()) {
    identities.push(...await p.identities().catch(() => []));
  }
  throw new SopsDecryptKeyError({
    recipients: metadata.keyGroups.flat().map(describeKey),
    identitiesTried: identities,
    attempts,
    path,
    detail: groups > 1
      ? `${parts.length} of the required ${need} key groups could be decrypted`
      : "no master key could decrypt it",
  });
}

function rank(k: MasterKeyRecord): number {
  const i = ORDER.indexOf(k.type);
  return i < 0 ? ORDER.length : i;
}
