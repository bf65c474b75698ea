// Reading manifests: YAML text, files, directories and objects into a flat
// list of objects, with positions for errors.

import { parseAllDocuments } from "yaml";
import { ManifestError } from "./errors.ts";
import type { KubeObject, ManifestInput, ManifestSource } from "./types.ts";

/** One object to apply and where it came from. */
export interface Manifest {
  readonly object: KubeObject;
  readonly file: string | undefined;
  readonly document: number | undefined;
  readonly line: number | undefined;
}

const SKIP_FILES = new Set(["kustomization.yaml", "kustomization.yml", "Kustomization"]);

/** Parses a YAML stream; documents that are empty are skipped, `kind: List` is expanded. */
export function parseManifests(text: string, file?: string): Manifest[] {
  const out: Manifest[] = [];
  const docs = parseAllDocuments(text, { prettyErrors: true });
  const lineAt = (offset: number) => text.slice(0, offset).split("\n").length;
  for (const [index, doc] of docs.entries()) {
    const error = doc.errors[0];
    if (error) {
      throw new ManifestError(error.message.split("\n")[0] ?? "invalid YAML", {
        file,
        document: index,
        line: error.linePos?.[0]?.line,
      });
    }
    const value = doc.toJS({ maxAliasCount: 100 }) as unknown;
    if (value === null || value === undefined) continue;
    const line = doc.contents?.range ? lineAt(doc.contents.range[0]) : undefined;
    for (const object of expand(value, { file, document: index, line })) {
      out.push({ object, file, document: index, line });
    }
  }
  return out;
}

function expand(
  value: unknown,
  where: { file: string | undefined; document: number; line: number | undefined },
): KubeObject[] {
  const fail = (problem: string): never => {
    throw new ManifestError(problem, where);
  };
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return fail("the document is not a mapping");
  }
  const obj = value as Record<string, unknown>;
  if (typeof obj.kind === "string" && obj.kind.endsWith("List") && Array.isArray(obj.items)) {
    return obj.items.flatMap((item) => expand(item, where));
  }
  if (typeof obj.apiVersion !== "string" || obj.apiVersion === "") {
    return fail("missing apiVersion");
  }
  if (typeof obj.kind !== "string" || obj.kind === "") return fail("missing kind");
  const meta = obj.metadata;
  if (typeof meta !== "object" || meta === null || Array.isArray(meta)) {
    return fail(`${obj.kind} has no metadata`);
  }
  const name = (meta as Record<string, unknown>).name;
  if (typeof name !== "string" || name === "") return fail(`${obj.kind} has no metadata.name`);
  return [obj as KubeObject];
}

async function listDir(dir: string): Promise<string[]> {
  const files: string[] = [];
  const entries: Deno.DirEntry[] = [];
  for await (const e of Deno.readDir(dir)) entries.push(e);
  entries.sort((a, b) => a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  for (const e of entries) {
    if (e.name.startsWith(".")) continue;
    const path = `${dir}/${e.name}`;
    if (e.isDirectory) files.push(...await listDir(path));
    else if (/\.(ya?ml|json)$/.test(e.name) && !SKIP_FILES.has(e.name)) files.push(path);
  }
  return files;
}

async function readFile(file: string): Promise<Manifest[]> {
  let text: string;
  try {
    text = await Deno.readTextFile(file);
  } catch (error) {
    throw new ManifestError(`cannot read it (${(error as Error).message})`, { file });
  }
  return parseManifests(text, file);
}

async function fromSource(source: ManifestSource): Promise<Manifest[]> {
  if (typeof source === "string") return parseManifests(source);
  if ("file" in source && typeof source.file === "string") return await readFile(source.file);
  if ("dir" in source && typeof source.dir === "string") {
    let files: string[];
    try {
      files = await listDir(source.dir.replace(/\/+$/, "") || "/");
    } catch (error) {
      throw new ManifestError(`cannot read directory (${(error as Error).message})`, {
        file: source.dir,
      });
    }
    return (await Promise.all(files.map(readFile))).flat();
  }
  const object = source as KubeObject;
  return expand(object, { file: undefined, document: 0, line: undefined }).map((o) => ({
    object: o,
    file: undefined,
    document: undefined,
    line: undefined,
  }));
}

/** Reads every manifest of an input, in order. */
export async function readManifests(input: ManifestInput): Promise<Manifest[]> {
  const sources: readonly ManifestSource[] = Array.isArray(input)
    ? input as readonly ManifestSource[]
    : [input as ManifestSource];
  return (await Promise.all(sources.map(fromSource))).flat();
}
