/**
 * age key provider: X25519, post-quantum hybrid (`age1pq1…`) and
 * ssh-ed25519 recipients; identities from
 * options, `SOPS_AGE_KEY`, `SOPS_AGE_KEY_FILE`, `SOPS_AGE_SSH_PRIVATE_KEY_FILE`
 * and the per-OS default keys file.
 *
 * @module
 */

import {
  ageDecrypt,
  ageEncryptArmored,
  type AgeIdentity,
  type AgeRecipient,
  decryptIdentityFile,
  isAgeFile,
  parseNativeIdentity,
  parseSshEd25519Identity,
  parseSshEd25519Recipient,
} from "./_age.ts";
import type { MasterKeyRecord } from "../metadata.ts";
import type { AgeKeyOptions, KeyProvider } from "./types.ts";
import { SopsKeyProviderError } from "../errors.ts";
import { defaultRunner } from "../../exec/runner.ts";

/** The default age keys file of the current OS (what sops reads). */
export function defaultAgeKeysFile(
  env: Readonly<Record<string, string>> = Deno.env.toObject(),
): string {
  const home = env.HOME ?? env.USERPROFILE ?? "";
  if (Deno.build.os === "windows") return `${env.APPDATA ?? home}\\sops\\age\\keys.txt`;
  if (Deno.build.os === "darwin") {
    return env.XDG_CONFIG_HOME
      ? `${env.XDG_CONFIG_HOME}/sops/age/keys.txt`
      : `${home}/Library/Application Support/sops/age/keys.txt`;
  }
  return `${env.XDG_CONFIG_HOME || `${home}/.config`}/sops/age/keys.txt`;
}

/** Parses identities out of a keys file (comments and blank lines ignored). */
export async function parseIdentities(
  text: string,
): Promise<{ identities: AgeIdentity[]; skipped: string[] }> {
  const identities: AgeIdentity[] = [];
  const skipped: string[] = [];
  if (text.includes("-----BEGIN OPENSSH PRIVATE KEY-----")) {
    try {
      identities.push(parseSshEd25519Identity(text));
    } catch (e) {
      skipped.push(e instanceof Error ? e.message : String(e));
    }
    return { identities, skipped };
  }
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith("#")) continue;
    if (line.startsWith("AGE-SECRET-KEY-1") || line.startsWith("AGE-SECRET-KEY-PQ-1")) {
      try {
        identities.push(await parseNativeIdentity(line));
      } catch {
        skipped.push(`malformed ${line.slice(0, 18)}… line`);
      }
    } else if (line.startsWith("AGE-PLUGIN-")) {
      skipped.push("plugin identity (not supported)");
    } else skipped.push("unrecognised line");
  }
  return { identities, skipped };
}

/**
 * Parses a recipient: `age1…` (X25519), `age1pq1…` (post-quantum hybrid) or
 * `ssh-ed25519 …`.
 *
 * @throws {SopsKeyProviderError} For ssh-rsa and other unsupported forms.
 */
export function parseAgeRecipient(text: string): AgeRecipient {
  const t = text.trim();
  if (t.startsWith("ssh-ed25519 ")) return parseSshEd25519Recipient(t);
  if (t.startsWith("ssh-rsa ")) {
    throw new SopsKeyProviderError(
      `age:${t.slice(0, 20)}…`,
      "ssh-rsa recipients are not supported",
    );
  }
  if (!/^age1(pq1)?[02-9ac-hj-np-z]+$/.test(t)) {
    throw new SopsKeyProviderError(
      `age:${t}`,
      "not an age recipient (expected age1…, age1pq1… or ssh-ed25519 …)",
    );
  }
  return t;
}

/** The age {@linkcode KeyProvider}. */
export class AgeKeyProvider implements KeyProvider {
  /** Key type. */
  readonly type = "age" as const;
  readonly #options: AgeKeyOptions;
  #loaded: Promise<{ ids: AgeIdentity[]; sources: string[] }> | undefined;

  /** Builds the provider; identities are read on first use. */
  constructor(options: AgeKeyOptions = {}) {
    this.#options = options;
  }

  /** Encrypts the data key to the record's recipient (armored age file). */
  encrypt(key: MasterKeyRecord, dataKey: Uint8Array): Promise<string> {
    if (key.type !== "age") throw new TypeError("AgeKeyProvider: not an age key");
    const recipient = parseAgeRecipient(key.recipient);
    return ageEncryptArmored(dataKey, [recipient]).catch((cause) => {
      throw new SopsKeyProviderError(`age:${key.recipient}`, (cause as Error).message, { cause });
    });
  }

  /** Decrypts the record's stanza with the available identities. */
  async decrypt(key: MasterKeyRecord): Promise<Uint8Array> {
    if (key.type !== "age") throw new TypeError("AgeKeyProvider: not an age key");
    const { ids, sources } = await this.#load();
    if (ids.length === 0) {
      throw new SopsKeyProviderError(
        `age:${key.recipient}`,
        `no age identity found (looked in ${sources.join(", ")})`,
      );
    }
    try {
      return await ageDecrypt(key.enc, ids);
    } catch (cause) {
      throw new SopsKeyProviderError(`age:${key.recipient}`, (cause as Error).message, { cause });
    }
  }

  /** The recipients of the identities found. */
  async identities(): Promise<string[]> {
    const { ids, sources } = await this.#load();
    return ids.length
      ? ids.map((i) => `age:${i.recipient}`)
      : [`age: none in ${sources.join(", ")}`];
  }

  async #keyCmd(cmd: string): Promise<string> {
    const runner = this.#options.runner ?? defaultRunner;
    const r = await runner.run("sh", ["-c", cmd], { throwOnError: false });
    // only the exit code: the output (and stderr) may hold the key
    if (!r.success) {
      throw new SopsKeyProviderError("age", `SOPS_AGE_KEY_CMD exited with code ${r.code}`);
    }
    return r.stdout;
  }

  async #unlock(
    text: string,
    source: string,
    env: Readonly<Record<string, string>>,
  ): Promise<string> {
    let pass = this.#options.passphrase;
    const file = env.BOSUN_AGE_PASSPHRASE_FILE;
    if (pass === undefined && file) {
      try {
        pass = (await Deno.readTextFile(file)).replace(/\r?\n$/, "");
      } catch (cause) {
        throw new SopsKeyProviderError("age", `cannot read BOSUN_AGE_PASSPHRASE_FILE ${file}`, {
          cause,
        });
      }
    }
    if (pass === undefined) {
      throw new SopsKeyProviderError(
        "age",
        `${source} is passphrase-protected: set BOSUN_AGE_PASSPHRASE_FILE to a file holding ` +
          "the passphrase (or pass the passphrase option)",
      );
    }
    try {
      return await decryptIdentityFile(text, pass);
    } catch (cause) {
      throw new SopsKeyProviderError("age", `${source}: ${(cause as Error).message}`, { cause });
    }
  }

  #load(): Promise<{ ids: AgeIdentity[]; sources: string[] }> {
    this.#loaded ??= this.#read();
    return this.#loaded;
  }

  async #read(): Promise<{ ids: AgeIdentity[]; sources: string[] }> {
    const ids: AgeIdentity[] = [];
    const sources: string[] = [];
    const env = this.#options.env ?? Deno.env.toObject();
    const add = async (text: string, source: string) => {
      sources.push(source);
      if (isAgeFile(text)) text = await this.#unlock(text, source, env);
      ids.push(...(await parseIdentities(text)).identities);
    };
    const readIf = async (path: string, source: string, required: boolean) => {
      try {
        await add(await Deno.readTextFile(path), source);
      } catch (cause) {
        if (cause instanceof Deno.errors.NotFound && !required) sources.push(`${source} (absent)`);
        else {
          throw new SopsKeyProviderError(
            "age",
            `cannot read ${source}: ${(cause as Error).message}`,
            {
              cause,
            },
          );
        }
      }
    };
    if (this.#options.identities) {
      for (const [i, t] of this.#options.identities.entries()) await add(t, `identities[${i}]`);
    }
    for (const f of this.#options.identityFiles ?? []) await readIf(f, f, true);
    if (this.#options.identities) return { ids, sources };
    if (env.SOPS_AGE_KEY) await add(env.SOPS_AGE_KEY, "SOPS_AGE_KEY");
    if (env.SOPS_AGE_KEY_CMD) {
      await add(await this.#keyCmd(env.SOPS_AGE_KEY_CMD), "SOPS_AGE_KEY_CMD");
    }
    if (env.SOPS_AGE_KEY_FILE) await readIf(env.SOPS_AGE_KEY_FILE, env.SOPS_AGE_KEY_FILE, true);
    if (env.SOPS_AGE_SSH_PRIVATE_KEY_FILE) {
      await readIf(env.SOPS_AGE_SSH_PRIVATE_KEY_FILE, env.SOPS_AGE_SSH_PRIVATE_KEY_FILE, true);
    } else if (env.HOME) {
      await readIf(`${env.HOME}/.ssh/id_ed25519`, "~/.ssh/id_ed25519", false);
    }
    await readIf(defaultAgeKeysFile(env), defaultAgeKeysFile(env), false);
    return { ids, sources };
  }
}
