/**
 * Private: finding the age identities for the in-cluster SOPS decryption Secret.
 *
 * @module
 */

import type { ResolvedConfig } from "../config/mod.ts";
import { expandHome } from "../fs/mod.ts";
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

function checked(config: ResolvedConfig, text: string, where: string): string {
  if (!/^AGE-SECRET-KEY-1[0-9A-Z]+$/m.test(text)) {
    throw new GitOpsConfigError(
      config.metadata.name,
      `${where} holds no AGE-SECRET-KEY-1… identity`,
    );
  }
  return text;
}
