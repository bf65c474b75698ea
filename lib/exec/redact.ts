/**
 * Redaction of secrets in argv, environment and output.
 *
 * @module
 */

/** The text that replaces a secret. */
export const REDACTED = "***";

const SECRET_FLAG =
  /^(--?[\w-]*(?:password|passwd|token|secret|key-data|api-key|apikey)[\w-]*)=(.+)$/i;

/**
 * Replaces every occurrence of each secret in `text` with `***`, and the value of
 * `--password=…`-style flags.
 *
 * @param text The text to clean.
 * @param secrets Literal values to hide; empty strings are ignored.
 * @returns The text with every secret replaced.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { redact } from "@bosun/sdk";
 * assert.equal(redact("login -p hunter2", ["hunter2"]), "login -p ***");
 * ```
 */
export function redact(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) {
    if (secret.length < 3) continue;
    out = out.split(secret).join(REDACTED);
  }
  return out;
}

/**
 * Redacts an argv for display: literal secrets and the values of flags whose
 * name says they hold one (`--password=…`, `--token=…`).
 *
 * @param argv The command and its arguments.
 * @param secrets Literal values to hide.
 * @returns A copy safe to show.
 */
export function redactArgv(argv: readonly string[], secrets: readonly string[] = []): string[] {
  const out: string[] = [];
  let hideNext = false;
  for (const arg of argv) {
    if (hideNext) {
      out.push(REDACTED);
      hideNext = false;
      continue;
    }
    const flag = SECRET_FLAG.exec(arg);
    if (flag) {
      out.push(`${flag[1]}=${REDACTED}`);
      continue;
    }
    if (/^--?[\w-]*(?:password|passwd|token|secret)$/i.test(arg)) hideNext = true;
    out.push(redact(arg, secrets));
  }
  return out;
}
