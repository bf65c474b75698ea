/**
 * The `bosun.yaml` config model: types, defaults, validation with field paths,
 * the JSON schema, and loading and saving.
 *
 * @module
 */

export * from "./types.ts";
export { configJsonSchema } from "./schema.ts";
export * from "./load.ts";
