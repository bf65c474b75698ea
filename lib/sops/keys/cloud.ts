/**
 * GCP KMS, Azure Key Vault and HashiCorp Vault transit key providers over
 * their REST APIs with `fetch` (no SDKs).
 *
 * @module
 */

import type { MasterKeyRecord } from "../metadata.ts";
import type { CloudKeyOptions, KeyProvider } from "./types.ts";
import { SopsKeyProviderError } from "../errors.ts";
import { fromB64, postJson, toB64, toB64Url } from "./_http.ts";

const enc = new TextEncoder();

async function form(
  fetcher: typeof fetch,
  keyName: string,
  url: string,
  params: Record<string, string>,
): Promise<Record<string, unknown>> {
  return await postJson(fetcher, keyName, url, {
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(params).toString(),
  });
}

async function signRs256(pem: string, data: string): Promise<string> {
  const b64 = pem.replace(/-----[^-]+-----/g, "").replace(/\s+/g, "");
  const der = new Uint8Array(fromB64(b64));
  const key = await crypto.subtle.importKey(
    "pkcs8",
    der,
    { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const sig = await crypto.subtle.sign("RSASSA-PKCS1-v1_5", key, enc.encode(data));
  return toB64Url(new Uint8Array(sig));
}

/** The GCP KMS {@linkcode KeyProvider}. */
export class GcpKmsKeyProvider implements KeyProvider {
  /** Key type. */
  readonly type = "gcp_kms" as const;
  readonly #options: CloudKeyOptions;
  #token: Promise<string> | undefined;
  /** Builds the provider. */
  constructor(options: CloudKeyOptions = {}) {
    this.#options = options;
  }

  #getToken(name: string): Promise<string> {
    this.#token ??= (async () => {
      const direct = this.#options.gcpAccessToken ?? Deno.env.get("GOOGLE_OAUTH_ACCESS_TOKEN");
      if (direct) return direct;
      const credText = Deno.env.get("GOOGLE_CREDENTIALS") ??
        await Deno.readTextFile(
          Deno.env.get("GOOGLE_APPLICATION_CREDENTIALS") ??
            `${Deno.env.get("HOME")}/.config/gcloud/application_default_credentials.json`,
        ).catch(() => undefined);
      if (!credText) {
        throw new SopsKeyProviderError(
          name,
          "no GCP credentials (set GOOGLE_OAUTH_ACCESS_TOKEN or GOOGLE_APPLICATION_CREDENTIALS)",
        );
      }
      const cred = JSON.parse(credText) as Record<string, string>;
      const f = this.#options.fetch ?? fetch;
      const tokenUri = cred.token_uri ?? "https://oauth2.googleapis.com/token";
      if (cred.type === "authorized_user") {
        const r = await form(f, name, tokenUri, {
          grant_type: "refresh_token",
          client_id: cred.client_id ?? "",
          client_secret: cred.client_secret ?? "",
          refresh_token: cred.refresh_token ?? "",
        });
        return String(r.access_token);
      }
      const now = Math.floor(Date.now() / 1000);
      const head = toB64Url(enc.encode(JSON.stringify({ alg: "RS256", typ: "JWT" })));
      const claims = toB64Url(enc.encode(JSON.stringify({
        iss: cred.client_email,
        scope: "https://www.googleapis.com/auth/cloudkms",
        aud: tokenUri,
        iat: now,
        exp: now + 3600,
      })));
      const jwt = `${head}.${claims}.${await signRs256(
        cred.private_key ?? "",
        `${head}.${claims}`,
      )}`;
      const r = await form(f, name, tokenUri, {
        grant_type: "urn:ietf:params:oauth:grant-type:jwt-bearer",
        assertion: jwt,
      });
      return String(r.access_token);
    })();
    return this.#token;
  }

  async #call(key: Extract<MasterKeyRecord, { type: "gcp_kms" }>, op: string, body: unknown) {
    const name = `gcp_kms:${key.resourceId}`;
    const endpoint = this.#options.gcpKmsEndpoint ?? Deno.env.get("BOSUN_GCP_KMS_ENDPOINT") ??
      "https://cloudkms.googleapis.com";
    return await postJson(
      this.#options.fetch ?? fetch,
      name,
      `${endpoint.replace(/\/$/, "")}/v1/${key.resourceId}:${op}`,
      {
        headers: {
          "content-type": "application/json",
          authorization: `Bearer ${await this.#getToken(name)}`,
        },
        body: JSON.stringify(body),
      },
    );
  }

  /** `cryptoKeys.encrypt`; returns the base64 ciphertext. */
  async encrypt(key: MasterKeyRecord, dataKey: Uint8Array): Promise<string> {
    if (key.type !== "gcp_kms") throw new TypeError("GcpKmsKeyProvider: not a gcp_kms key");
    const r = await this.#call(key, "encrypt", { plaintext: toB64(dataKey) });
    return String(r.ciphertext);
  }
  /** `cryptoKeys.decrypt`. */
  async decrypt(key: MasterKeyRecord): Promise<Uint8Array> {
    if (key.type !== "gcp_kms") throw new TypeError("GcpKmsKeyProvider: not a gcp_kms key");
    const r = await this.#call(key, "decrypt", { ciphertext: key.enc });
    return fromB64(String(r.plaintext));
  }
  /** Credential source. */
  identities(): Promise<string[]> {
    return Promise.resolve([
      Deno.env.get("GOOGLE_OAUTH_ACCESS_TOKEN")
        ? "gcp_kms: GOOGLE_OAUTH_ACCESS_TOKEN"
        : "gcp_kms: application credentials",
    ]);
  }
}

/** The Azure Key Vault {@linkcode KeyProvider} (RSA-OAEP-256 encrypt/decrypt). */
export class AzureKeyVaultKeyProvider implements KeyProvider {
  /** Key type. */
  readonly type = "azure_kv" as const;
  readonly #options: CloudKeyOptions;
  #token: Promise<string> | undefined;
  /** Builds the provider. */
  constructor(options: CloudKeyOptions = {}) {
    this.#options = options;
  }

  #getToken(name: string): Promise<string> {
    this.#token ??= (async () => {
      const direct = this.#options.azureAccessToken ?? Deno.env.get("AZURE_ACCESS_TOKEN");
      if (direct) return direct;
      const env = Deno.env.toObject();
      if (!env.AZURE_CLIENT_ID || !env.AZURE_CLIENT_SECRET || !env.AZURE_TENANT_ID) {
        throw new SopsKeyProviderError(
          name,
          "no Azure credentials (set AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET)",
        );
      }
      const authority = (env.AZURE_AUTHORITY_HOST ?? "https://login.microsoftonline.com").replace(
        /\/$/,
        "",
      );
      const r = await form(
        this.#options.fetch ?? fetch,
        name,
        `${authority}/${env.AZURE_TENANT_ID}/oauth2/v2.0/token`,
        {
          grant_type: "client_credentials",
          client_id: env.AZURE_CLIENT_ID,
          client_secret: env.AZURE_CLIENT_SECRET,
          scope: "https://vault.azure.net/.default",
        },
      );
      return String(r.access_token);
    })();
    return this.#token;
  }

  async #call(key: Extract<MasterKeyRecord, { type: "azure_kv" }>, op: string, value: string) {
    const name = `azure_kv:${key.vaultUrl}/keys/${key.name}/${key.version}`;
    const path = `${key.vaultUrl.replace(/\/$/, "")}/keys/${encodeURIComponent(key.name)}/${
      encodeURIComponent(key.version)
    }/${op}?api-version=7.4`;
    return await postJson(this.#options.fetch ?? fetch, name, path, {
      headers: {
        "content-type": "application/json",
        authorization: `Bearer ${await this.#getToken(name)}`,
      },
      body: JSON.stringify({ alg: "RSA-OAEP-256", value }),
    });
  }

  /** Key Vault `encrypt`; returns unpadded base64url, as sops stores it. */
  async encrypt(key: MasterKeyRecord, dataKey: Uint8Array): Promise<string> {
    if (key.type !== "azure_kv") {
      throw new TypeError("AzureKeyVaultKeyProvider: not an azure_kv key");
    }
    const r = await this.#call(key, "encrypt", toB64Url(dataKey));
    return toB64Url(fromB64(String(r.value)));
  }
  /** Key Vault `decrypt`. */
  async decrypt(key: MasterKeyRecord): Promise<Uint8Array> {
    if (key.type !== "azure_kv") {
      throw new TypeError("AzureKeyVaultKeyProvider: not an azure_kv key");
    }
    const r = await this.#call(key, "decrypt", key.enc);
    return fromB64(String(r.value));
  }
  /** Credential source. */
  identities(): Promise<string[]> {
    return Promise.resolve(["azure_kv: AZURE_* client credentials"]);
  }
}

/** The HashiCorp Vault transit {@linkcode KeyProvider}. */
export class VaultTransitKeyProvider implements KeyProvider {
  /** Key type. */
  readonly type = "hc_vault" as const;
  readonly #options: CloudKeyOptions;
  /** Builds the provider. */
  constructor(options: CloudKeyOptions = {}) {
    this.#options = options;
  }

  async #token(name: string): Promise<string> {
    const t = this.#options.vaultToken ?? Deno.env.get("VAULT_TOKEN") ??
      await Deno.readTextFile(`${Deno.env.get("HOME")}/.vault-token`).then((s) => s.trim()).catch(
        () => undefined,
      );
    if (!t) {
      throw new SopsKeyProviderError(name, "no Vault token (set VAULT_TOKEN or ~/.vault-token)");
    }
    return t;
  }

  async #call(key: Extract<MasterKeyRecord, { type: "hc_vault" }>, op: string, body: unknown) {
    const name = `hc_vault:${key.vaultAddress}/v1/${key.enginePath}/keys/${key.keyName}`;
    const url = `${key.vaultAddress.replace(/\/$/, "")}/v1/${key.enginePath}/${op}/${key.keyName}`;
    const r = await postJson(this.#options.fetch ?? fetch, name, url, {
      headers: { "content-type": "application/json", "x-vault-token": await this.#token(name) },
      body: JSON.stringify(body),
    });
    return (r.data ?? {}) as Record<string, unknown>;
  }

  /** Transit `encrypt`; returns `vault:v1:…`. */
  async encrypt(key: MasterKeyRecord, dataKey: Uint8Array): Promise<string> {
    if (key.type !== "hc_vault") throw new TypeError("VaultTransitKeyProvider: not a hc_vault key");
    const r = await this.#call(key, "encrypt", { plaintext: toB64(dataKey) });
    return String(r.ciphertext);
  }
  /** Transit `decrypt`. */
  async decrypt(key: MasterKeyRecord): Promise<Uint8Array> {
    if (key.type !== "hc_vault") throw new TypeError("VaultTransitKeyProvider: not a hc_vault key");
    const r = await this.#call(key, "decrypt", { ciphertext: key.enc });
    return fromB64(String(r.plaintext));
  }
  /** Token source. */
  identities(): Promise<string[]> {
    return Promise.resolve([
      Deno.env.get("VAULT_TOKEN") ? "hc_vault: VAULT_TOKEN" : "hc_vault: ~/.vault-token",
    ]);
  }
}

/**
 * Parses an `hc_vault_transit_uri` (`https://vault:8200/v1/transit/keys/name`).
 *
 * @throws {TypeError} When the URI has no `/v1/<engine>/keys/<name>` path.
 */
export function parseVaultUri(
  uri: string,
): { vaultAddress: string; enginePath: string; keyName: string } {
  const u = new URL(uri);
  const m = /^\/v1\/(.+)\/keys\/([^/]+)\/?$/.exec(u.pathname);
  if (!m) {
    throw new TypeError(
      `Cannot parse the Vault URI ${uri}: expected https://vault.example.com:8200/v1/transit/keys/keyName`,
    );
  }
  return { vaultAddress: u.origin, enginePath: m[1]!, keyName: m[2]! };
}

/**
 * Parses an Azure Key Vault key URL (`https://<vault>.vault.azure.net/keys/<name>/<version>`).
 *
 * @throws {TypeError} When the URL has no `/keys/<name>/<version>` path.
 */
export function parseAzureKeyUrl(url: string): { vaultUrl: string; name: string; version: string } {
  const u = new URL(url);
  const m = /^\/keys\/([^/]+)(?:\/([^/]*))?\/?$/.exec(u.pathname);
  if (!m) throw new TypeError(`Cannot parse the Azure Key Vault key URL ${url}`);
  return { vaultUrl: u.origin, name: m[1]!, version: m[2] ?? "" };
}
