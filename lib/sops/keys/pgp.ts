/**
 * PGP key provider: `openpgp` for keys given as files, the `gpg` binary
 * (through the Runner) for fingerprints in a keyring.
 *
 * @module
 */

import type { MasterKeyRecord } from "../metadata.ts";
import type { KeyProvider, PgpKeyOptions } from "./types.ts";
import { SopsKeyProviderError } from "../errors.ts";
import { defaultRunner } from "../../exec/mod.ts";

type OpenPgp = typeof import("openpgp");
type Key = import("openpgp").Key;

function normFp(fp: string): string {
  return fp.replace(/\s+/g, "").toUpperCase();
}

/** The PGP {@linkcode KeyProvider}. */
export class PgpKeyProvider implements KeyProvider {
  /** Key type. */
  readonly type = "pgp" as const;
  readonly #options: PgpKeyOptions;
  #keys: Promise<{ pgp: OpenPgp; keys: Key[] }> | undefined;

  /** Builds the provider; key files are read on first use. */
  constructor(options: PgpKeyOptions = {}) {
    this.#options = options;
  }

  #load(): Promise<{ pgp: OpenPgp; keys: Key[] }> {
    this.#keys ??= (async () => {
      const pgp = await import("openpgp");
      const keys: Key[] = [];
      for (const f of this.#options.keyFiles ?? []) {
        const text = await Deno.readTextFile(f);
        const blocks = text.match(
          /-----BEGIN PGP (?:PUBLIC|PRIVATE) KEY BLOCK-----[\s\S]*?-----END PGP (?:PUBLIC|PRIVATE) KEY BLOCK-----/g,
        ) ?? [text];
        for (const block of blocks) {
          try {
            keys.push(...await pgp.readKeys({ armoredKeys: block, config: { minRSABits: 1024 } }));
          } catch (cause) {
            throw new SopsKeyProviderError(
              "pgp",
              `cannot read the key file ${f}: ${(cause as Error).message}`,
              {
                cause,
              },
            );
          }
        }
      }
      return { pgp, keys };
    })();
    return this.#keys;
  }

  #find(keys: Key[], fp: string): Key | undefined {
    const want = normFp(fp);
    return keys.find((k) =>
      k.getFingerprint().toUpperCase() === want ||
      k.getFingerprint().toUpperCase().endsWith(want) ||
      k.getSubkeys().some((s) => s.getFingerprint().toUpperCase() === want)
    );
  }

  #gpgEnv(): Record<string, string> | undefined {
    return this.#options.gnupgHome ? { GNUPGHOME: this.#options.gnupgHome } : undefined;
  }

  #gpg(): string {
    return this.#options.gpgBinary ?? Deno.env.get("SOPS_GPG_EXEC") ?? "gpg";
  }

  /** Encrypts the data key for the record's fingerprint. */
  async encrypt(key: MasterKeyRecord, dataKey: Uint8Array): Promise<string> {
    if (key.type !== "pgp") throw new TypeError("PgpKeyProvider: not a PGP key");
    const { pgp, keys } = await this.#load();
    const found = this.#find(keys, key.fp);
    if (found) {
      return await pgp.encrypt({
        message: await pgp.createMessage({ binary: dataKey }),
        encryptionKeys: found.isPrivate() ? found.toPublic() : found,
        format: "armored",
        config: { minRSABits: 1024 },
      });
    }
    const runner = this.#options.runner ?? defaultRunner;
    const fp = normFp(key.fp);
    try {
      const env = this.#gpgEnv();
      const r = await runner.run(this.#gpg(), [
        "--batch",
        "--no-default-recipient",
        "--yes",
        "--encrypt",
        "-a",
        "-r",
        fp,
        "--trusted-key",
        fp.slice(-16),
        "--no-encrypt-to",
      ], { stdin: dataKey, ...(env ? { env } : {}) });
      return r.stdout;
    } catch (cause) {
      throw new SopsKeyProviderError(
        `pgp:${fp}`,
        `gpg could not encrypt: ${(cause as Error).message}`,
        {
          cause,
        },
      );
    }
  }

  /** Decrypts the record's message with a key file or the gpg keyring. */
  async decrypt(key: MasterKeyRecord): Promise<Uint8Array> {
    if (key.type !== "pgp") throw new TypeError("PgpKeyProvider: not a PGP key");
    const { pgp, keys } = await this.#load();
    const secret = keys.filter((k) => k.isPrivate());
    const reasons: string[] = [];
    if (secret.length) {
      try {
        const message = await pgp.readMessage({ armoredMessage: key.enc });
        const { data } = await pgp.decrypt({
          message,
          decryptionKeys: secret as import("openpgp").PrivateKey[],
          format: "binary",
          config: { minRSABits: 1024, allowInsecureDecryptionWithSigningKeys: true },
        });
        return data as Uint8Array;
      } catch (e) {
        reasons.push(`key files: ${(e as Error).message}`);
      }
    }
    const runner = this.#options.runner ?? defaultRunner;
    const dir = await Deno.makeTempDir({ prefix: "bosun-gpg-" });
    try {
      await Deno.chmod(dir, 0o700);
      const out = `${dir}/key`;
      const env = this.#gpgEnv();
      await runner.run(this.#gpg(), ["--batch", "--yes", "--quiet", "-o", out, "-d"], {
        stdin: key.enc,
        ...(env ? { env } : {}),
      });
      return await Deno.readFile(out);
    } catch (cause) {
      reasons.push(`gpg: ${(cause as Error).message.split("\n").slice(-3).join(" ").trim()}`);
      throw new SopsKeyProviderError(`pgp:${key.fp}`, reasons.join("; "), { cause });
    } finally {
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    }
  }

  /** The secret keys from files and a note about the gpg keyring. */
  async identities(): Promise<string[]> {
    const { keys } = await this.#load().catch(() => ({ keys: [] as Key[] }));
    const out = keys.filter((k) => k.isPrivate()).map((k) =>
      `pgp:${k.getFingerprint().toUpperCase()} (file)`
    );
    out.push(`pgp: gpg keyring${this.#options.gnupgHome ? ` ${this.#options.gnupgHome}` : ""}`);
    return out;
  }
}
