/**
 * SOPS in TypeScript: encrypt, decrypt, edit, rotate and re-key YAML, JSON,
 * dotenv, INI and binary files with age, PGP and cloud KMS keys, byte-compatible
 * with the sops CLI and Flux.
 *
 * @example Encrypt and decrypt with a fresh age key
 * ```ts
 * import assert from "node:assert/strict";
 * import { decryptSecret, encryptSecret, generateAgeKey } from "@bosun/sdk";
 * const key = await generateAgeKey();
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/s.yaml`, "password: hunter2\n");
 * await encryptSecret(`${dir}/s.yaml`, { age: [key.recipient] });
 * const plain = await decryptSecret(`${dir}/s.yaml`, { ageIdentities: [key.identity] });
 * assert.equal(plain, "password: hunter2\n");
 * ```
 *
 * @module
 */

export {
  type DecryptOptions,
  decryptSecret,
  decryptSecretBytes,
  type EncryptionRule,
  type EncryptOptions,
  type EncryptResult,
  encryptSecret,
  KUBERNETES_SECRET_REGEX,
  type ResolvedKeys,
  resolveKeys,
  type RotateOptions,
  rotateSecret,
  setSecretValue,
  type SopsIoOptions,
  unsetSecretValue,
  type UpdateOptions,
  type ValueSelector,
} from "./ops.ts";
export { type EditOptions, type EditResult, editSecret } from "./edit.ts";
export { updateKeys, type UpdateKeysOptions, type UpdateKeysResult } from "./updatekeys.ts";
export {
  explainCreationRules,
  type ExplainOptions,
  formatExplanation,
  type RuleExplanation,
} from "./explain.ts";
export {
  type AgeKeyPair,
  generateAgeKey,
  type GenerateAgeKeyOptions,
  importAgeKey,
  type ImportAgeKeyOptions,
  type ImportAgeKeyResult,
} from "./agekeys.ts";
export type { SopsKeySourceOptions } from "./_core.ts";
export type { CreationRule, KeySpec, SopsConfig } from "./config.ts";
export type { CryptRules } from "./_crypt.ts";
export type { SopsFormat } from "./stores/mod.ts";
export type {
  AgeKeyRecord,
  AzureKvKeyRecord,
  GcpKmsKeyRecord,
  HcKmsKeyRecord,
  KmsKeyRecord,
  MasterKeyRecord,
  PgpKeyRecord,
  SopsMetadata,
  VaultKeyRecord,
} from "./metadata.ts";
export type { CloudKeyOptions, KeyProvider } from "./keys/types.ts";
export * from "./errors.ts";
