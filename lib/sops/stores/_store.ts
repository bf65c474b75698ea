/**
 * The store contract shared by every file format, plus the metadata
 * extraction and insertion each format needs.
 *
 * @module
 */

import { Branch, type TreeItem, type TreeValue } from "../_tree.ts";
import {
  flattenBranch,
  metadataFromTree,
  metadataToTree,
  type SopsMetadata,
  unflattenItems,
} from "../metadata.ts";
import { SopsFormatError, SopsStateError } from "../errors.ts";

/** The file formats sops knows. */
export type SopsFormat = "yaml" | "json" | "dotenv" | "ini" | "binary";

/** Options shared by stores. */
export interface StoreOptions {
  /** Indentation of YAML/JSON output (sops `stores.*.indent`). */
  readonly indent?: number | undefined;
}

/** Reads and writes one file format. */
export interface SopsStore {
  /** The format name. */
  readonly format: SopsFormat;
  /** Parses a plain file into branches (one per YAML document). */
  loadPlain(data: Uint8Array, path?: string): Branch[];
  /** Writes plain branches. */
  emitPlain(branches: Branch[]): Uint8Array;
  /** Parses an encrypted file: branches (still encrypted) and metadata. */
  loadEncrypted(data: Uint8Array, path?: string): { branches: Branch[]; metadata: SopsMetadata };
  /** Writes encrypted branches with their metadata. */
  emitEncrypted(branches: Branch[], metadata: SopsMetadata): Uint8Array;
  /** Writes one extracted value. */
  emitValue(value: TreeValue): Uint8Array;
  /** Whether plain branches already carry sops metadata. */
  hasMetadata(branches: readonly Branch[]): boolean;
}

/** How a format embeds the metadata. */
export type MetadataLayout = "nested" | "belowTop" | "full";

/**
 * Splits the metadata out of loaded branches.
 *
 * @throws {SopsStateError} When there is no metadata (the file is not encrypted).
 */
export function extractMetadata(
  branches: Branch[],
  layout: MetadataLayout,
  path?: string,
): { branches: Branch[]; metadata: SopsMetadata } {
  let meta: Branch | undefined;
  if (layout !== "full") {
    branches.forEach((b, bi) => {
      const kept: TreeItem[] = [];
      for (const item of b.items) {
        if (item.key === "sops") {
          if (bi === 0) {
            if (meta) throw new SopsFormatError("Found a duplicate sops entry", { path });
            if (!(item.value instanceof Branch)) {
              throw new SopsFormatError("Found a sops entry that is not a mapping", { path });
            }
            meta = item.value;
          }
        } else kept.push(item);
      }
      b.items = kept;
    });
  } else if (branches[0]) {
    const first = branches[0];
    const kept: TreeItem[] = [];
    const md: TreeItem[] = [];
    for (const item of first.items) {
      if (typeof item.key === "string" && item.key.startsWith("sops_")) {
        md.push({ key: item.key.slice(5), value: item.value });
      } else kept.push(item);
    }
    first.items = kept;
    if (md.length) meta = new Branch(md);
  }
  if (!meta) {
    throw new SopsStateError(
      `${
        path ? `${path} is not encrypted` : "The input is not encrypted"
      }: sops metadata not found`,
      { path },
    );
  }
  if (layout !== "nested") {
    const items = meta.items.map((i) => ({
      key: i.key,
      value: typeof i.value === "string" ? i.value.replaceAll("\\n", "\n") : i.value,
    }));
    meta = unflattenItems(layout === "belowTop" ? items : meta.items);
  }
  return { branches, metadata: metadataFromTree(meta, path) };
}

/**
 * Appends the metadata to every branch, as sops does.
 *
 * @throws {SopsFormatError} When the data already uses the reserved key.
 */
export function insertMetadata(
  branches: readonly Branch[],
  metadata: SopsMetadata,
  layout: MetadataLayout,
): Branch[] {
  const tree = metadataToTree(metadata);
  let md: TreeItem[];
  if (layout === "nested") md = [{ key: "sops", value: tree }];
  else {
    md = flattenBranch(tree, layout === "full" ? "sops_" : "");
    if (layout === "belowTop") {
      md = md.map((i) => ({
        key: i.key,
        value: typeof i.value === "string" ? i.value.replaceAll("\n", "\\n") : i.value,
      }));
    }
    if (layout === "belowTop") md = [{ key: "sops", value: new Branch(md) }];
  }
  return branches.map((b) => {
    for (const item of b.items) {
      if (typeof item.key !== "string") continue;
      if (layout === "full" ? item.key.startsWith("sops_") : item.key === "sops") {
        throw new SopsFormatError(
          `Found the key "${item.key}" in the data, which is reserved for sops metadata`,
        );
      }
    }
    return new Branch([...b.items, ...md]);
  });
}

/** Whether the first branch carries metadata in the given layout. */
export function hasMetadata(branches: readonly Branch[], layout: MetadataLayout): boolean {
  const first = branches[0];
  if (!first) return false;
  return first.items.some((i) =>
    typeof i.key === "string" && (layout === "full" ? i.key.startsWith("sops_") : i.key === "sops")
  );
}
