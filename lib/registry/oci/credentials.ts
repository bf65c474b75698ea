/**
 * Registry credentials from the Docker config file (`~/.docker/config.json`, or
 * `$DOCKER_CONFIG/config.json`): `auths` entries, `credHelpers` and `credsStore`.
 *
 * @module
 */

import { defaultRunner, type Runner } from "../../exec/mod.ts";

/** Credentials for one registry. */
export interface RegistryCredentials {
  /** User name (empty with an identity token). */
  readonly username: string;
  /** Password or access token. */
  readonly password: string;
  /** OAuth2 refresh token (`identitytoken`), exchanged for access tokens. */
  readonly identityToken?: string;
}

/** Options for {@linkcode dockerCredentials}. */
export interface DockerCredentialsOptions {
  /** The config file. @default `$DOCKER_CONFIG/config.json` or `~/.docker/config.json` */
  readonly configPath?: string;
  /** Runs `docker-credential-<helper>` for `credHelpers`/`credsStore`. @default defaultRunner */
  readonly runner?: Runner;
}

interface DockerConfigFile {
  auths?: Record<
    string,
    { auth?: string; username?: string; password?: string; identitytoken?: string }
  >;
  credHelpers?: Record<string, string>;
  credsStore?: string;
}

/** The path of the Docker config file. */
function configFilePath(): string {
  const dir = Deno.env.get("DOCKER_CONFIG") ??
    `${Deno.env.get("HOME") ?? Deno.env.get("USERPROFILE") ?? "/"}/.docker`;
  return `${dir}/config.json`;
}

function normaliseHost(key: string): string {
  const host = key.replace(/^https?:\/\//, "").replace(/\/.*$/, "");
  return host === "index.docker.io" ? "docker.io" : host;
}

/**
 * Looks up the credentials for a registry in the Docker config file. A missing file or
 * entry yields `undefined` (anonymous access).
 *
 * @param registry The registry host, e.g. `ghcr.io` or `127.0.0.1:5050`.
 * @param options Config path and runner for credential helpers.
 * @returns The credentials, or `undefined`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { dockerCredentials } from "@bosun/sdk";
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/config.json`, JSON.stringify({ auths: { "r.example": { auth: btoa("u:p") } } }));
 * const creds = await dockerCredentials("r.example", { configPath: `${dir}/config.json` });
 * assert.ok(creds?.username === "u" && creds.password === "p");
 * ```
 */
export async function dockerCredentials(
  registry: string,
  options: DockerCredentialsOptions = {},
): Promise<RegistryCredentials | undefined> {
  let config: DockerConfigFile;
  try {
    config = JSON.parse(await Deno.readTextFile(options.configPath ?? configFilePath()));
  } catch {
    return undefined;
  }
  const host = normaliseHost(registry);
  const helper = Object.entries(config.credHelpers ?? {}).find(([k]) => normaliseHost(k) === host)
    ?.[1] ?? (config.credsStore || undefined);
  for (const [key, entry] of Object.entries(config.auths ?? {})) {
    if (normaliseHost(key) !== host) continue;
    if (entry.identitytoken) {
      return { username: entry.username ?? "", password: "", identityToken: entry.identitytoken };
    }
    if (entry.auth) {
      const decoded = atob(entry.auth);
      const colon = decoded.indexOf(":");
      if (colon > 0) {
        return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
      }
    }
    if (entry.username !== undefined && entry.password !== undefined) {
      return { username: entry.username, password: entry.password };
    }
  }
  if (helper) return await fromHelper(helper, registry, options.runner ?? defaultRunner);
  return undefined;
}

async function fromHelper(
  helper: string,
  registry: string,
  runner: Runner,
): Promise<RegistryCredentials | undefined> {
  const result = await runner.run(`docker-credential-${helper}`, ["get"], {
    stdin: registry,
    throwOnError: false,
  }).catch(() => undefined);
  if (!result?.success) return undefined;
  try {
    const parsed = JSON.parse(result.stdout) as { Username?: string; Secret?: string };
    if (!parsed.Secret) return undefined;
    if (parsed.Username === "<token>") {
      return { username: "", password: "", identityToken: parsed.Secret };
    }
    return { username: parsed.Username ?? "", password: parsed.Secret };
  } catch {
    return undefined;
  }
}
