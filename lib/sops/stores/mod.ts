/**
 * File formats: pick a store by name or by file extension.
 *
 * @module
 */

import { YamlStore } from "./yaml.ts";
import { BinaryStore, JsonStore } from "./json.ts";
import { DotenvStore, IniStore } from "./flat.ts";
import type { SopsFormat, SopsStore, StoreOptions } from "./_store.ts";
import { SopsFormatError } from "../errors.ts";

export type { SopsFormat, SopsStore, StoreOptions } from "./_store.ts";

const FORMATS: readonly SopsFormat[] = ["yaml", "json", "dotenv", "ini", "binary"];

/**
 * The format sops would use for a path, from its extension (binary otherwise).
 *
 * @param path A file path.
 * @returns The format.
 */
export function formatForPath(path: string): SopsFormat {
  const p = path.toLowerCase();
  if (p.endsWith(".yaml") || p.endsWith(".yml")) return "yaml";
  if (p.endsWith(".json")) return "json";
  if (p.endsWith(".env")) return "dotenv";
  if (p.endsWith(".ini")) return "ini";
  return "binary";
}

/**
 * Parses a format name as given on the command line.
 *
 * @throws {SopsFormatError} For an unknown format.
 */
export function parseFormat(name: string): SopsFormat {
  const n = name.toLowerCase();
  if (n === "yml") return "yaml";
  if (n === "env") return "dotenv";
  if ((FORMATS as readonly string[]).includes(n)) return n as SopsFormat;
  throw new SopsFormatError(
    `Unsupported format "${name}": use one of ${FORMATS.join(", ")}`,
  );
}

/** Builds the store for a format. */
export function storeFor(format: SopsFormat, options: StoreOptions = {}): SopsStore {
  switch (format) {
    case "yaml":
      return new YamlStore(options);
    case "json":
      return new JsonStore(options);
    case "binary":
      return new BinaryStore(options);
    case "dotenv":
      return new DotenvStore();
    case "ini":
      return new IniStore();
  }
}
