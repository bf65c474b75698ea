/**
 * In-memory SOPS operations shared by the file-level API: encrypt a plain
 * document, decrypt and verify an encrypted one, re-encrypt after a change.
 *
 * @module
 */

import { decryptValue, encryptValue, GcmAuthError } from "./_cipher.ts";
import { type CryptRules, decryptTree, encryptTree, IvStash } from "./_crypt.ts";
import type { Branch } from "./_tree.ts";
import {
  macAad,
  type MasterKeyRecord,
  nowRfc3339,
  SOPS_FORMAT_VERSION,
  type SopsMetadata,
} from "./metadata.ts";
import type { SopsStore } from "./stores/mod.ts";
import { KeyServices } from "./keys/mod.ts";
import type { CloudKeyOptions, KeyProvider } from "./keys/types.ts";
import { unwrapDataKey, wrapDataKey } from "./_datakey.ts";
import { SopsMacMismatchError, SopsStateError } from "./errors.ts";
import type { Runner } from "../exec/mod.ts";

/** Where decryption keys come from. Every field is optional; the environment is used otherwise. */
export interface SopsKeySourceOptions {
  /** age identities (`AGE-SECRET-KEY-1…` or OpenSSH ed25519 keys) used instead of `SOPS_AGE_KEY*`. */
  readonly ageIdentities?: readonly string[];
  /** Extra age identity files. */
  readonly ageIdentityFiles?: readonly string[];
  /** Armored PGP key files used with `openpgp` (public to encrypt, secret to decrypt). */
  readonly pgpKeyFiles?: readonly string[];
  /** `GNUPGHOME` for the `gpg` binary. */
  readonly gnupgHome?: string;
  /** Runner for `gpg` and the editor. @default defaultRunner */
  readonly runner?: Runner;
  /** Cloud KMS endpoints and credentials. */
  readonly cloud?: CloudKeyOptions;
  /** Custom providers that replace the built-in ones for their type. */
  readonly providers?: readonly KeyProvider[];
}

/** Builds the provider registry from key source options. */
export function keyServices(o: SopsKeySourceOptions): KeyServices {
  return new KeyServices({
    age: {
      ...(o.ageIdentities ? { identities: o.ageIdentities } : {}),
      ...(o.ageIdentityFiles ? { identityFiles: o.ageIdentityFiles } : {}),
    },
    pgp: {
      ...(o.pgpKeyFiles ? { keyFiles: o.pgpKeyFiles } : {}),
      ...(o.gnupgHome ? { gnupgHome: o.gnupgHome } : {}),
      ...(o.runner ? { runner: o.runner } : {}),
    },
    ...(o.cloud ? { cloud: o.cloud } : {}),
    ...(o.providers ? { providers: o.providers } : {}),
  });
}

/** A decrypted document with everything needed to write it back. */
export interface OpenDocument {
  /** Plain branches (one per YAML document). */
  branches: Branch[];
  /** The metadata. */
  metadata: SopsMetadata;
  /** The data key. */
  dataKey: Uint8Array;
  /** Nonces of the decrypted values (unchanged values re-encrypt identically). */
  stash: IvStash;
}

function cloneGroups(groups: readonly (readonly MasterKeyRecord[])[]): MasterKeyRecord[][] {
  return groups.map((g) => g.map((k) => ({ ...k })));
}

/**
 * Encrypts plain branches with new keys.
 *
 * @throws {SopsStateError} When the branches already carry sops metadata.
 */
export async function encryptDocument(
  store: SopsStore,
  branches: Branch[],
  init: {
    readonly keyGroups: readonly (readonly MasterKeyRecord[])[];
    readonly shamirThreshold?: number | undefined;
    readonly rules: CryptRules;
    readonly services: KeyServices;
    readonly path?: string | undefined;
  },
): Promise<Uint8Array> {
  if (store.hasMetadata(branches)) {
    throw new SopsStateError(
      `Cannot encrypt ${init.path ?? "the input"}: it is already encrypted (it has sops metadata)`,
      { path: init.path },
    );
  }
  const r = init.rules;
  const hasRule = r.unencryptedSuffix || r.encryptedSuffix || r.unencryptedRegex ||
    r.encryptedRegex ||
    r.unencryptedCommentRegex || r.encryptedCommentRegex;
  const metadata: SopsMetadata = {
    ...r,
    unencryptedSuffix: hasRule ? r.unencryptedSuffix : "_unencrypted",
    keyGroups: cloneGroups(init.keyGroups),
    shamirThreshold: init.shamirThreshold,
    lastModified: nowRfc3339(),
    version: SOPS_FORMAT_VERSION,
  };
  const dataKey = crypto.getRandomValues(new Uint8Array(32));
  await wrapDataKey(metadata, dataKey, init.services);
  return seal(store, branches, metadata, dataKey);
}

/** Encrypts values, computes and stores the MAC, and emits the file. */
export function seal(
  store: SopsStore,
  branches: Branch[],
  metadata: SopsMetadata,
  dataKey: Uint8Array,
  stash?: IvStash,
): Uint8Array {
  metadata.lastModified = nowRfc3339();
  const mac = encryptTree(branches, dataKey, metadata, stash);
  metadata.mac = encryptValue(mac, dataKey, macAad(metadata.lastModified));
  metadata.version = SOPS_FORMAT_VERSION;
  return store.emitEncrypted(branches, metadata);
}

/**
 * Loads an encrypted file, unwraps the data key, decrypts and checks the MAC.
 *
 * @throws {SopsMacMismatchError} When the MAC does not match (or is missing, unless `ignoreMac`).
 */
export async function openDocument(
  store: SopsStore,
  data: Uint8Array,
  init: {
    readonly services: KeyServices;
    readonly path?: string | undefined;
    readonly ignoreMac?: boolean | undefined;
  },
): Promise<OpenDocument> {
  const { branches, metadata } = store.loadEncrypted(data, init.path);
  const dataKey = await unwrapDataKey(metadata, init.services, init.path);
  return decryptLoaded(branches, metadata, dataKey, init);
}

/** Decrypts loaded branches with a known data key and verifies the MAC. */
export function decryptLoaded(
  branches: Branch[],
  metadata: SopsMetadata,
  dataKey: Uint8Array,
  init: { readonly path?: string | undefined; readonly ignoreMac?: boolean | undefined },
): OpenDocument {
  const stash = new IvStash();
  const computed = decryptTree(branches, dataKey, metadata, { stash, path: init.path });
  if (!init.ignoreMac) {
    const where = init.path ? ` of ${init.path}` : "";
    if (!metadata.mac) {
      throw new SopsMacMismatchError(
        `Cannot verify the integrity${where}: the file has no MAC (use ignoreMac / --ignore-mac to decrypt anyway)`,
        { path: init.path },
      );
    }
    let stored: unknown;
    try {
      stored = decryptValue(metadata.mac, dataKey, macAad(metadata.lastModified));
    } catch (cause) {
      throw new SopsMacMismatchError(
        `Cannot verify the integrity${where}: the stored MAC does not decrypt${
          cause instanceof GcmAuthError ? " (lastmodified or the MAC was altered)" : ""
        }`,
        { path: init.path, cause },
      );
    }
    if (stored !== computed) {
      throw new SopsMacMismatchError(
        `MAC mismatch${where}: the file was modified outside sops (values, keys or their order changed)`,
        { path: init.path },
      );
    }
  }
  return { branches, metadata, dataKey, stash };
}
