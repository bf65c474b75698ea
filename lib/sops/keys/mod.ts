/**
 * Key provider registry: age and PGP are built in; the cloud providers are
 * loaded with a dynamic `import()` only when a file uses them.
 *
 * @module
 */

import type { MasterKeyRecord } from "../metadata.ts";
import type { KeyOptions, KeyProvider } from "./types.ts";

export type * from "./types.ts";

/** Finds (and lazily creates) the provider for each master key type. */
export class KeyServices {
  readonly #options: KeyOptions;
  readonly #cache = new Map<string, Promise<KeyProvider>>();

  /** Builds the registry from key options. */
  constructor(options: KeyOptions = {}) {
    this.#options = options;
    for (const p of options.providers ?? []) this.#cache.set(p.type, Promise.resolve(p));
  }

  /** The provider for a key type. */
  provider(type: MasterKeyRecord["type"]): Promise<KeyProvider> {
    let p = this.#cache.get(type);
    if (!p) {
      p = this.#create(type);
      this.#cache.set(type, p);
    }
    return p;
  }

  /** Every provider created so far (for listing identities tried). */
  async created(): Promise<KeyProvider[]> {
    return await Promise.all(this.#cache.values());
  }

  async #create(type: MasterKeyRecord["type"]): Promise<KeyProvider> {
    const o = this.#options;
    switch (type) {
      case "age": {
        const { AgeKeyProvider } = await import("./age.ts");
        return new AgeKeyProvider(o.age);
      }
      case "pgp": {
        const { PgpKeyProvider } = await import("./pgp.ts");
        return new PgpKeyProvider(o.pgp);
      }
      case "kms": {
        const { AwsKmsKeyProvider } = await import("./aws.ts");
        return new AwsKmsKeyProvider(o.cloud);
      }
      case "gcp_kms": {
        const { GcpKmsKeyProvider } = await import("./cloud.ts");
        return new GcpKmsKeyProvider(o.cloud);
      }
      case "azure_kv": {
        const { AzureKeyVaultKeyProvider } = await import("./cloud.ts");
        return new AzureKeyVaultKeyProvider(o.cloud);
      }
      case "hc_vault": {
        const { VaultTransitKeyProvider } = await import("./cloud.ts");
        return new VaultTransitKeyProvider(o.cloud);
      }
      case "hckms": {
        const { SopsKeyProviderError } = await import("../errors.ts");
        const fail = (): never => {
          throw new SopsKeyProviderError("hckms", "Huawei Cloud KMS is not supported by Bosun");
        };
        return {
          type: "hckms",
          encrypt: () => Promise.resolve(fail()),
          decrypt: () => Promise.resolve(fail()),
          identities: () => Promise.resolve([]),
        };
      }
    }
  }
}
