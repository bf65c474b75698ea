/**
 * The {@linkcode KeyProvider} seam: each provider wraps and unwraps the data
 * key (or a Shamir share of it) for one kind of master key; the SOPS core
 * never knows which.
 *
 * @module
 */

import type { MasterKeyRecord } from "../metadata.ts";
import type { Runner } from "../../exec/mod.ts";

/** Wraps and unwraps data keys for one master key type. */
export interface KeyProvider {
  /** The master key type handled (`age`, `pgp`, `kms`, …). */
  readonly type: MasterKeyRecord["type"];
  /** Encrypts `dataKey` for `key` and returns the `enc` text to store. */
  encrypt(key: MasterKeyRecord, dataKey: Uint8Array): Promise<string>;
  /** Decrypts the `enc` of `key`; throws when this provider cannot. */
  decrypt(key: MasterKeyRecord): Promise<Uint8Array>;
  /** The identities or credentials this provider would try (for error messages, no secrets). */
  identities(): Promise<string[]>;
}

/** Options of the age provider. */
export interface AgeKeyOptions {
  /**
   * Identities (`AGE-SECRET-KEY-1…` lines or OpenSSH ed25519 private keys), used
   * instead of `SOPS_AGE_KEY`, `SOPS_AGE_KEY_FILE` and the default keys file.
   */
  readonly identities?: readonly string[];
  /** Identity files to read in addition to the environment. */
  readonly identityFiles?: readonly string[];
  /**
   * Passphrase of passphrase-protected (scrypt, `age -p`) identity files.
   * @default the contents of the file named by `BOSUN_AGE_PASSPHRASE_FILE`
   */
  readonly passphrase?: string;
  /** Runs `SOPS_AGE_KEY_CMD` (its output is never logged). @default defaultRunner */
  readonly runner?: Runner;
  /** Environment to read the `SOPS_AGE_*` variables from. @default Deno.env */
  readonly env?: Readonly<Record<string, string>>;
}

/** Options of the PGP provider. */
export interface PgpKeyOptions {
  /**
   * Armored key files (public keys to encrypt, secret keys to decrypt) used
   * with `openpgp`; fingerprints not found there go to the `gpg` keyring.
   */
  readonly keyFiles?: readonly string[];
  /** `GNUPGHOME` for the `gpg` binary. */
  readonly gnupgHome?: string;
  /** Runs `gpg`. @default defaultRunner */
  readonly runner?: Runner;
  /** The gpg executable. @default $SOPS_GPG_EXEC or "gpg" */
  readonly gpgBinary?: string;
}

/** Options of the cloud providers (endpoints are for emulators and tests). */
export interface CloudKeyOptions {
  /** AWS KMS endpoint. @default $AWS_ENDPOINT_URL_KMS, $AWS_ENDPOINT_URL or the regional endpoint */
  readonly awsKmsEndpoint?: string;
  /** AWS STS endpoint (role assumption). @default $AWS_ENDPOINT_URL_STS, $AWS_ENDPOINT_URL or the global endpoint */
  readonly awsStsEndpoint?: string;
  /** GCP KMS endpoint. @default $BOSUN_GCP_KMS_ENDPOINT or the public endpoint */
  readonly gcpKmsEndpoint?: string;
  /** GCP OAuth access token. @default $GOOGLE_OAUTH_ACCESS_TOKEN, else a service account token */
  readonly gcpAccessToken?: string;
  /** Azure access token for Key Vault. @default $AZURE_ACCESS_TOKEN, else client credentials */
  readonly azureAccessToken?: string;
  /** Vault token. @default $VAULT_TOKEN or ~/.vault-token */
  readonly vaultToken?: string;
  /** `fetch` used for every request. @default globalThis.fetch */
  readonly fetch?: typeof fetch;
}

/** All key options accepted by the operations. */
export interface KeyOptions {
  /** age identities. */
  readonly age?: AgeKeyOptions;
  /** PGP key sources. */
  readonly pgp?: PgpKeyOptions;
  /** Cloud endpoints and credentials. */
  readonly cloud?: CloudKeyOptions;
  /** Extra or replacement providers, by type (tests, custom KMS). */
  readonly providers?: readonly KeyProvider[];
}
