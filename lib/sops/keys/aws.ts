/**
 * AWS KMS key provider over the plain HTTP API (SigV4 signed fetch): key ARN,
 * optional role assumed through STS, encryption context, profiles from the
 * shared credentials file. Endpoints follow `AWS_ENDPOINT_URL_KMS` /
 * `AWS_ENDPOINT_URL`, so emulators work.
 *
 * @module
 */

import { hmac } from "@noble/hashes/hmac.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex } from "@noble/hashes/utils.js";
import type { MasterKeyRecord } from "../metadata.ts";
import type { CloudKeyOptions, KeyProvider } from "./types.ts";
import { SopsKeyProviderError } from "../errors.ts";
import { fromB64, postJson, toB64 } from "./_http.ts";

const enc = new TextEncoder();

/** AWS credentials. */
export interface AwsCredentials {
  /** Access key id. */
  readonly accessKeyId: string;
  /** Secret access key. */
  readonly secretAccessKey: string;
  /** Session token. */
  readonly sessionToken?: string | undefined;
}

/** Signs a request with AWS Signature Version 4; returns the headers to send. */
export function signV4(
  req: { method: string; url: string; headers: Record<string, string>; body: string },
  creds: AwsCredentials,
  region: string,
  service: string,
  now: Date = new Date(),
): Record<string, string> {
  const url = new URL(req.url);
  const amzDate = now.toISOString().replace(/[:-]|\.\d{3}/g, "");
  const date = amzDate.slice(0, 8);
  const headers: Record<string, string> = {
    ...req.headers,
    host: url.host,
    "x-amz-date": amzDate,
  };
  if (creds.sessionToken) headers["x-amz-security-token"] = creds.sessionToken;
  const names = Object.keys(headers).map((h) => h.toLowerCase()).sort();
  const lower: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) lower[k.toLowerCase()] = v.trim();
  const canonicalHeaders = names.map((n) => `${n}:${lower[n]}\n`).join("");
  const signed = names.join(";");
  const query = [...url.searchParams].sort().map(([k, v]) =>
    `${encodeURIComponent(k)}=${encodeURIComponent(v)}`
  ).join("&");
  const canonical = [
    req.method,
    url.pathname || "/",
    query,
    canonicalHeaders,
    signed,
    bytesToHex(sha256(enc.encode(req.body))),
  ].join("\n");
  const scope = `${date}/${region}/${service}/aws4_request`;
  const toSign = ["AWS4-HMAC-SHA256", amzDate, scope, bytesToHex(sha256(enc.encode(canonical)))]
    .join("\n");
  let k = hmac(sha256, enc.encode(`AWS4${creds.secretAccessKey}`), enc.encode(date));
  k = hmac(sha256, k, enc.encode(region));
  k = hmac(sha256, k, enc.encode(service));
  k = hmac(sha256, k, enc.encode("aws4_request"));
  const sig = bytesToHex(hmac(sha256, k, enc.encode(toSign)));
  return {
    ...headers,
    authorization:
      `AWS4-HMAC-SHA256 Credential=${creds.accessKeyId}/${scope}, SignedHeaders=${signed}, Signature=${sig}`,
  };
}

async function profileCredentials(profile: string): Promise<AwsCredentials | undefined> {
  const file = Deno.env.get("AWS_SHARED_CREDENTIALS_FILE") ??
    `${Deno.env.get("HOME") ?? ""}/.aws/credentials`;
  let text: string;
  try {
    text = await Deno.readTextFile(file);
  } catch {
    return undefined;
  }
  let cur = "";
  const found: Record<string, string> = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    const sec = /^\[(.+)\]$/.exec(line);
    if (sec) {
      cur = sec[1]!.trim();
      continue;
    }
    const kv = /^([^=]+?)\s*=\s*(.*)$/.exec(line);
    if (kv && cur === profile) found[kv[1]!] = kv[2]!;
  }
  if (!found.aws_access_key_id || !found.aws_secret_access_key) return undefined;
  return {
    accessKeyId: found.aws_access_key_id,
    secretAccessKey: found.aws_secret_access_key,
    sessionToken: found.aws_session_token,
  };
}

/** The AWS KMS {@linkcode KeyProvider}. */
export class AwsKmsKeyProvider implements KeyProvider {
  /** Key type. */
  readonly type = "kms" as const;
  readonly #options: CloudKeyOptions;
  /** Builds the provider. */
  constructor(options: CloudKeyOptions = {}) {
    this.#options = options;
  }

  async #creds(
    key: Extract<MasterKeyRecord, { type: "kms" }>,
    region: string,
  ): Promise<AwsCredentials> {
    const env = Deno.env.toObject();
    const profile = key.awsProfile || env.AWS_PROFILE;
    let creds: AwsCredentials | undefined;
    if (profile) creds = await profileCredentials(profile);
    if (!creds && env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) {
      creds = {
        accessKeyId: env.AWS_ACCESS_KEY_ID,
        secretAccessKey: env.AWS_SECRET_ACCESS_KEY,
        sessionToken: env.AWS_SESSION_TOKEN,
      };
    }
    creds ??= await profileCredentials("default");
    if (!creds) {
      throw new SopsKeyProviderError(
        `kms:${key.arn}`,
        "no AWS credentials (set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or a profile)",
      );
    }
    if (!key.role) return creds;
    const endpoint = this.#options.awsStsEndpoint ?? env.AWS_ENDPOINT_URL_STS ??
      env.AWS_ENDPOINT_URL ?? "https://sts.amazonaws.com";
    const body = new URLSearchParams({
      Action: "AssumeRole",
      Version: "2011-06-15",
      RoleArn: key.role,
      RoleSessionName: `sops@bosun`,
    }).toString();
    const url = `${endpoint.replace(/\/$/, "")}/`;
    const headers = signV4(
      {
        method: "POST",
        url,
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body,
      },
      creds,
      region === "" ? "us-east-1" : region,
      "sts",
    );
    const res = await (this.#options.fetch ?? fetch)(url, { method: "POST", headers, body });
    const xml = await res.text();
    const tag = (n: string) => new RegExp(`<${n}>([^<]*)</${n}>`).exec(xml)?.[1];
    if (!res.ok || !tag("AccessKeyId")) {
      throw new SopsKeyProviderError(
        `kms:${key.arn}`,
        `cannot assume role ${key.role}: HTTP ${res.status}`,
      );
    }
    return {
      accessKeyId: tag("AccessKeyId")!,
      secretAccessKey: tag("SecretAccessKey")!,
      sessionToken: tag("SessionToken"),
    };
  }

  async #call(
    key: Extract<MasterKeyRecord, { type: "kms" }>,
    action: "Encrypt" | "Decrypt",
    payload: Record<string, unknown>,
  ): Promise<Record<string, unknown>> {
    const m = /^arn:aws[\w-]*:kms:([^:]+):/.exec(key.arn);
    if (!m) throw new SopsKeyProviderError(`kms:${key.arn}`, "the ARN has no region");
    const region = m[1]!;
    const env = Deno.env.toObject();
    const endpoint = this.#options.awsKmsEndpoint ?? env.AWS_ENDPOINT_URL_KMS ??
      env.AWS_ENDPOINT_URL ?? `https://kms.${region}.amazonaws.com`;
    const url = `${endpoint.replace(/\/$/, "")}/`;
    const body = JSON.stringify(payload);
    const creds = await this.#creds(key, region);
    const headers = signV4(
      {
        method: "POST",
        url,
        headers: {
          "content-type": "application/x-amz-json-1.1",
          "x-amz-target": `TrentService.${action}`,
        },
        body,
      },
      creds,
      region,
      "kms",
    );
    return await postJson(this.#options.fetch ?? fetch, `kms:${key.arn}`, url, { headers, body });
  }

  /** Encrypts with KMS `Encrypt`; returns the base64 ciphertext blob. */
  async encrypt(key: MasterKeyRecord, dataKey: Uint8Array): Promise<string> {
    if (key.type !== "kms") throw new TypeError("AwsKmsKeyProvider: not a kms key");
    const out = await this.#call(key, "Encrypt", {
      KeyId: key.arn,
      Plaintext: toB64(dataKey),
      ...(key.context ? { EncryptionContext: key.context } : {}),
    });
    return String(out.CiphertextBlob);
  }

  /** Decrypts with KMS `Decrypt`. */
  async decrypt(key: MasterKeyRecord): Promise<Uint8Array> {
    if (key.type !== "kms") throw new TypeError("AwsKmsKeyProvider: not a kms key");
    const out = await this.#call(key, "Decrypt", {
      CiphertextBlob: key.enc,
      KeyId: key.arn,
      ...(key.context ? { EncryptionContext: key.context } : {}),
    });
    return fromB64(String(out.Plaintext));
  }

  /** Where credentials come from. */
  identities(): Promise<string[]> {
    const env = Deno.env.toObject();
    return Promise.resolve([
      `kms: ${
        env.AWS_PROFILE
          ? `profile ${env.AWS_PROFILE}`
          : env.AWS_ACCESS_KEY_ID
          ? "AWS_ACCESS_KEY_ID"
          : "default profile"
      }`,
    ]);
  }
}
