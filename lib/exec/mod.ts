/**
 * The process seam: {@linkcode Runner}, {@linkcode CommandError}, tool lookup
 * and redaction. `Deno.Command` is used nowhere else in Bosun.
 *
 * @module
 */

export * from "./errors.ts";
export * from "./redact.ts";
export * from "./runner.ts";
export * from "./tools.ts";
export * from "./interrupt.ts";
