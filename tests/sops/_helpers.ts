/**
 * Shared helpers of the SOPS tests: vector paths, a throwaway gpg keyring and
 * running the real sops binary through the process seam.
 *
 * @module
 */

import { defaultRunner, type RunResult } from "../../lib/exec/mod.ts";

/** The shared SOPS vectors. */
export const VECTORS = new URL("../../../shared/vectors/sops/", import.meta.url).pathname;
/** The sops functional-tests PGP key (two secret keys). */
export const PGP_KEY_FILE = `${VECTORS}getsops-sops/keys/pgp/sops_functional_tests_key.asc`;
/** Fingerprint of functional-tests key 1 (secret available). */
export const PGP_FP1 = "FBC7B9E2A4F9289AC0C1D4843D16CEE4A27381B4";
/** Fingerprint of functional-tests key 2 (RSA-1024, secret available). */
export const PGP_FP2 = "D7229043384BCC60326C6FB9D8720D957C3D3074";
/** The first age identity of the sops test keys. */
export const AGE_KEYS_FILE = `${VECTORS}getsops-sops/keys/age/keys.txt`;

/** Creates a temporary GNUPGHOME holding the functional-tests keys. */
export async function gpgHome(gpg: string): Promise<string> {
  const home = await Deno.makeTempDir({ prefix: "bosun-gnupg-" });
  await Deno.chmod(home, 0o700);
  await defaultRunner.run(gpg, ["--batch", "--import", PGP_KEY_FILE], { env: { GNUPGHOME: home } });
  // Trust the imported keys so encryption to them needs no prompt.
  await defaultRunner.run(gpg, ["--batch", "--import-ownertrust"], {
    env: { GNUPGHOME: home },
    stdin: `${PGP_FP1}:6:\n${PGP_FP2}:6:\n`,
  });
  return home;
}

/** Runs sops with an environment made only of what the test gives (plus PATH and HOME). */
export function sops(
  bin: string,
  args: readonly string[],
  env: Record<string, string>,
  throwOnError = true,
): Promise<RunResult> {
  return defaultRunner.run(bin, args, {
    env: {
      SOPS_AGE_KEY_FILE: "/nonexistent",
      ...env,
    },
    throwOnError,
  });
}

/** Whether two byte arrays are equal. */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** Hex to bytes. */
export function hex(s: string): Uint8Array {
  return Uint8Array.from(s.match(/../g)!.map((h) => parseInt(h, 16)));
}
