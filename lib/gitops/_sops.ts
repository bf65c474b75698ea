/**
 * Private: finding the age identities for the in-cluster SOPS decryption Secret.
 *
 * @module
 */

import type { ResolvedConfig } from "../config/mod.ts";
import { expandHome } from "../fs/mod.ts";
import { recipientOfIdentity } from "../sops/keys/_age.ts";
import { GitOpsConfigError } from "./errors.ts";

/** What the caller passed about SOPS keys. */
export interface SopsKeyOptions {
  /** age identities (file content). */
  readonly sopsAgeKey?: string;
  /** A file holding age identities. */
  readonly sopsAgeKeyFile?: string;
}

/**
 * The age identities to put in the cluster, or `undefined` when SOPS is not configured.
 * Explicit options win; with `spec.sops.age` recipients set, `SOPS_AGE_KEY`,
 * `SOPS_AGE_KEY_FILE` and `~/.config/sops/age/keys.txt` are tried in that order.
 * Only the identities whose recipient is listed in `spec.sops.age` are returned (a key file
 * usually holds every key of the user; the cluster gets only this config's); with no recipient
 * configured, every identity of the explicit option or file is returned.
 */
export async function findAgeKeys(
  config: ResolvedConfig,
  options: SopsKeyOptions,
): Promise<string | undefined> {
  if (options.sopsAgeKey) return checked(config, options.sopsAgeKey, "the sopsAgeKey option");
  const file = options.sopsAgeKeyFile ??
    (config.spec.sops.age.length ? Deno.env.get("SOPS_AGE_KEY_FILE") : undefined);
  if (options.sopsAgeKeyFile === undefined && config.spec.sops.age.length === 0) return undefined;
  if (!options.sopsAgeKeyFile) {
    const env = Deno.env.get("SOPS_AGE_KEY");
    if (env) return checked(config, env, "SOPS_AGE_KEY");
  }
  const path = expandHome(file ?? "~/.config/sops/age/keys.txt");
  try {
    return checked(config, await Deno.readTextFile(path), path);
  } catch (cause) {
    if (cause instanceof GitOpsConfigError) throw cause;
    throw new GitOpsConfigError(
      config.metadata.name,
      `spec.sops.age lists recipients but no age identity was found (set SOPS_AGE_KEY_FILE, or create ${path})`,
    );
  }
}

async function checked(config: ResolvedConfig, text: string, where: string): Promise<string> {
  const identities = text.split(/\r?\n/).map((l) => l.trim()).filter((l) =>
    /^AGE-SECRET-KEY-1[0-9A-Z]+$/.test(l)
  );
  if (!identities.length) {
    throw new GitOpsConfigError(
      config.metadata.name,
      `${where} holds no AGE-SECRET-KEY-1… identity`,
    );
  }
  const pairs = await Promise.all(identities.map(async (identity, i) => {
    try {
      return { identity, recipient: await recipientOfIdentity(identity) };
    } catch {
      throw new GitOpsConfigError(
        config.metadata.name,
        `${where}: identity number ${i + 1} is not a valid age X25519 identity`,
      );
    }
  }));
  const wanted = new Set(config.spec.sops.age);
  const kept = wanted.size ? pairs.filter((p) => wanted.has(p.recipient)) : pairs;
  if (!kept.length) {
    throw new GitOpsConfigError(
      config.metadata.name,
      `${where} holds no identity for a recipient of spec.sops.age (${
        [...wanted].join(", ")
      }); its identities are for ${pairs.map((p) => p.recipient).join(", ")}`,
    );
  }
  return kept.map((p) => `# public key: ${p.recipient}\n${p.identity}\n`).join("");
}
