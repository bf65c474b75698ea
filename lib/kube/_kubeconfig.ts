// Kubeconfig load/merge/remove. Edits splice the text of the changed entries
// only, so every other byte of the file (entries, order, comments, style) stays.

import {
  isMap,
  isScalar,
  isSeq,
  type Node,
  parse,
  parseDocument,
  stringify,
  YAMLParseError,
} from "yaml";
import { writeFileAtomic } from "../fs/mod.ts";
import { KubeconfigError } from "./errors.ts";
import type {
  KubeconfigData,
  MergeKubeconfigOptions,
  RemovedEntries,
  RemoveKubeconfigOptions,
} from "./kubeconfig.ts";

type Section = "clusters" | "users" | "contexts";
const SECTIONS: readonly Section[] = ["clusters", "users", "contexts"];
type Named = { name: string; [key: string]: unknown };

async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw new KubeconfigError(`cannot read it (${(error as Error).message})`, { path }, {
      cause: error,
    });
  }
}

function parseData(text: string, path: string | undefined): KubeconfigData {
  let value: unknown;
  try {
    value = parse(text);
  } catch (error) {
    const line = error instanceof YAMLParseError ? error.linePos?.[0]?.line : undefined;
    throw new KubeconfigError(
      `invalid YAML${line ? ` at line ${line}` : ""}: ${(error as Error).message.split("\n")[0]}`,
      { path },
      { cause: error },
    );
  }
  if (value === null || value === undefined) return {};
  if (typeof value !== "object" || Array.isArray(value)) {
    throw new KubeconfigError("the document is not a mapping", { path });
  }
  const data = value as KubeconfigData;
  for (const section of SECTIONS) {
    const list = data[section];
    if (list === null || list === undefined) continue;
    if (!Array.isArray(list)) throw new KubeconfigError(`"${section}" is not a list`, { path });
    for (const [i, entry] of (list as unknown[]).entries()) {
      if (
        typeof entry !== "object" || entry === null || typeof (entry as Named).name !== "string"
      ) {
        throw new KubeconfigError(`${section}[${i}] has no name`, { path });
      }
    }
  }
  return data;
}

/** Loads and merges kubeconfig files with kubectl's first-wins rules. */
export async function loadMerged(
  paths: string[],
): Promise<{ data: KubeconfigData; paths: string[] }> {
  const merged: KubeconfigData = { clusters: [], users: [], contexts: [] };
  const read: string[] = [];
  for (const path of paths) {
    const text = await readIfExists(path);
    if (text === undefined) continue;
    read.push(path);
    const data = resolvePaths(parseData(text, path), dirOf(path));
    for (const section of SECTIONS) {
      const target = merged[section] as Named[];
      for (const entry of (data[section] ?? []) as Named[]) {
        if (!target.some((e) => e.name === entry.name)) target.push(entry);
      }
    }
    if (!merged["current-context"] && data["current-context"]) {
      merged["current-context"] = data["current-context"];
    }
  }
  return { data: merged, paths: read };
}

/** Makes relative file references absolute against the kubeconfig's directory, as kubectl does. */
function resolvePaths(data: KubeconfigData, dir: string): KubeconfigData {
  const abs = (v: unknown) =>
    typeof v === "string" && v !== "" && !v.startsWith("/") && !v.startsWith("~")
      ? `${dir}/${v}`
      : v;
  const fix = (o: Record<string, unknown> | undefined, keys: readonly string[]) => {
    if (!o) return;
    for (const k of keys) if (k in o) o[k] = abs(o[k]);
  };
  for (const c of data.clusters ?? []) fix(c.cluster, ["certificate-authority"]);
  for (const u of data.users ?? []) {
    fix(u.user, ["client-certificate", "client-key", "tokenFile"]);
    const exec = u.user?.exec as Record<string, unknown> | undefined;
    if (typeof exec?.command === "string" && exec.command.includes("/")) fix(exec, ["command"]);
  }
  return data;
}

// ---------------------------------------------------------------- locking

async function withLock<T>(path: string, timeoutMs: number, work: () => Promise<T>): Promise<T> {
  const lock = `${path}.lock`;
  const deadline = Date.now() + timeoutMs;
  let delay = 5;
  for (;;) {
    try {
      const file = await Deno.open(lock, { createNew: true, write: true, mode: 0o600 });
      await file.write(new TextEncoder().encode(`${Deno.pid}\n`));
      file.close();
      break;
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) {
        await Deno.mkdir(dirOf(path), { recursive: true, mode: 0o700 });
        continue;
      }
      if (!(error instanceof Deno.errors.AlreadyExists)) {
        throw new KubeconfigError(`cannot create lock file ${lock}`, { path }, { cause: error });
      }
      const stale = await Deno.stat(lock).then(
        (s) => (s.mtime?.getTime() ?? Date.now()) < Date.now() - 60_000,
        () => false,
      );
      if (stale) {
        await Deno.remove(lock).catch(() => {});
        continue;
      }
      if (Date.now() > deadline) {
        throw new KubeconfigError(
          `another process holds the lock ${lock} (remove it if no kubectl or bosun is running)`,
          { path },
        );
      }
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 2, 100);
    }
  }
  try {
    return await work();
  } finally {
    await Deno.remove(lock).catch(() => {});
  }
}

function dirOf(path: string): string {
  const i = path.lastIndexOf("/");
  return i < 0 ? "." : path.slice(0, i) || "/";
}

async function edit(
  path: string,
  timeoutMs: number,
  change: (text: string) => string,
): Promise<void> {
  await withLock(path, timeoutMs, async () => {
    const before = (await readIfExists(path)) ?? "";
    const after = change(before);
    await writeFileAtomic(path, after, { mode: 0o600 });
  });
}

// ---------------------------------------------------------------- text splicing

function splice(text: string, start: number, end: number, insert: string): string {
  return text.slice(0, start) + insert + text.slice(end);
}

function columnOf(text: string, pos: number): number {
  return pos - (text.lastIndexOf("\n", pos - 1) + 1);
}

/** Serialises a mapping as block YAML whose continuation lines start at `column`. */
function blockAt(value: unknown, column: number): string {
  const body = stringify(value, { lineWidth: 0 }).replace(/\n$/, "");
  const pad = " ".repeat(column);
  return body.split("\n").map((line, i) => (i === 0 || line === "" ? line : pad + line)).join(
    "\n",
  );
}

function range(node: Node): [number, number, number] {
  const r = node.range;
  if (!r) throw new KubeconfigError("internal: YAML node has no source range");
  return r;
}

function rootMap(text: string, path: string) {
  const doc = parseDocument(text);
  const error = doc.errors[0];
  if (error) {
    throw new KubeconfigError(
      `invalid YAML at line ${error.linePos?.[0]?.line ?? "?"}: ${error.message.split("\n")[0]}`,
      { path },
    );
  }
  if (doc.contents === null) return undefined;
  if (!isMap(doc.contents)) throw new KubeconfigError("the document is not a mapping", { path });
  return doc.contents;
}

function findPair(map: NonNullable<ReturnType<typeof rootMap>>, key: string) {
  return map.items.find((p) => isScalar(p.key) && p.key.value === key);
}

/** Returns the text with `entry` set in `section` (replaced in place or appended). */
function upsertEntry(text: string, path: string, section: Section, entry: Named): string {
  const map = rootMap(text, path);
  if (!map) return text;
  if (map.flow) {
    throw new KubeconfigError("flow-style (JSON) kubeconfig files are not supported for editing", {
      path,
    });
  }
  const pair = findPair(map, section);
  const value = pair?.value as Node | null | undefined;
  if (pair && isSeq(value) && !value.flow && value.items.length > 0) {
    const items = value.items as Node[];
    const existing = items.find((it) => isMap(it) && it.get("name") === entry.name);
    if (existing) {
      const [start, end] = range(existing);
      const original = text.slice(start, end);
      const replacement = blockAt(entry, columnOf(text, start)) +
        (original.endsWith("\n") ? "\n" : "");
      return splice(text, start, end, replacement);
    }
    const last = items[items.length - 1]!;
    const [start, end] = range(last);
    const dash = text.lastIndexOf("-", start - 1);
    const dashCol = columnOf(text, dash);
    const itemCol = columnOf(text, start);
    const item = `${" ".repeat(dashCol)}-${" ".repeat(itemCol - dashCol - 1)}${
      blockAt(entry, itemCol)
    }`;
    return text[end - 1] === "\n"
      ? splice(text, end, end, `${item}\n`)
      : splice(text, end, end, `\n${item}`);
  }
  const block = `- ${blockAt(entry, 2)}`;
  if (pair && isScalar(pair.key)) {
    // Key present with null, `[]` or a flow list: replace its value with a block list.
    const keyEnd = range(pair.key as Node)[1];
    const valueEnd = value ? range(value)[1] : keyEnd + 1;
    const keyCol = columnOf(text, range(pair.key as Node)[0]);
    const pad = " ".repeat(keyCol);
    const lines = block.split("\n").map((l) => (l ? pad + l : l)).join("\n");
    const tail = text.slice(valueEnd);
    return text.slice(0, keyEnd) + `:\n${lines}` + (tail.startsWith("\n") ? "" : "\n") + tail;
  }
  const base = text.length === 0 || text.endsWith("\n") ? text : `${text}\n`;
  return `${base}${section}:\n${block}\n`;
}

function setCurrent(text: string, path: string, name: string): string {
  const map = rootMap(text, path);
  if (!map) return text;
  const pair = findPair(map, "current-context");
  const scalar = stringify(name).replace(/\n$/, "");
  if (pair && isScalar(pair.value)) {
    const [start, end] = range(pair.value);
    return splice(text, start, end, scalar);
  }
  if (pair && isScalar(pair.key)) {
    const keyEnd = range(pair.key as Node)[1];
    const valueEnd = pair.value ? range(pair.value as Node)[1] : keyEnd + 1;
    return splice(text, keyEnd, valueEnd, `: ${scalar}`);
  }
  const base = text.length === 0 || text.endsWith("\n") ? text : `${text}\n`;
  return `${base}current-context: ${scalar}\n`;
}

function removeEntry(text: string, path: string, section: Section, name: string): string {
  const map = rootMap(text, path);
  if (!map) return text;
  if (map.flow) {
    throw new KubeconfigError("flow-style (JSON) kubeconfig files are not supported for editing", {
      path,
    });
  }
  const pair = findPair(map, section);
  const value = pair?.value;
  if (!pair || !isSeq(value)) return text;
  const items = value.items as Node[];
  const index = items.findIndex((it) => isMap(it) && it.get("name") === name);
  if (index < 0) return text;
  if (value.flow || items.length === 1) {
    const keyEnd = range(pair.key as Node)[1];
    const valueEnd = range(value)[1];
    const tail = text.slice(valueEnd);
    return text.slice(0, keyEnd) + ": []" + (tail.startsWith("\n") ? "" : "\n") + tail;
  }
  const [start, end] = range(items[index]!);
  const dash = text.lastIndexOf("-", start - 1);
  const lineStart = text.lastIndexOf("\n", dash - 1) + 1;
  let stop = end;
  if (text[stop - 1] !== "\n") {
    const nl = text.indexOf("\n", stop);
    stop = nl < 0 ? text.length : nl + 1;
  }
  return splice(text, lineStart, stop, "");
}

// ---------------------------------------------------------------- public operations

function fragmentData(fragment: string | KubeconfigData): KubeconfigData {
  return typeof fragment === "string" ? parseData(fragment, undefined) : fragment;
}

function skeleton(): string {
  return stringify({
    apiVersion: "v1",
    kind: "Config",
    preferences: {},
    clusters: [],
    users: [],
    contexts: [],
    "current-context": "",
  });
}

/** Merges a fragment's entries into the file at `path`. */
export async function mergeInto(
  path: string,
  fragment: string | KubeconfigData,
  options: MergeKubeconfigOptions,
): Promise<string> {
  const data = fragmentData(fragment);
  const contexts = (data.contexts ?? []) as Named[];
  if (contexts.length === 0 && (data.clusters ?? []).length === 0) {
    throw new KubeconfigError("the kubeconfig to merge has no clusters or contexts", { path });
  }
  const current = data["current-context"] || contexts[0]?.name;
  await edit(path, options.lockTimeoutMs ?? 10_000, (before) => {
    let text = before.trim() === "" ? skeleton() : before;
    parseData(text, path);
    for (const section of SECTIONS) {
      for (const entry of (data[section] ?? []) as Named[]) {
        text = upsertEntry(text, path, section, entry);
      }
    }
    if (options.setCurrentContext && current) text = setCurrent(text, path, current);
    return text;
  });
  return path;
}

/** Removes a context (and its cluster/user when unused) from the file at `path`. */
export async function removeFrom(
  path: string,
  context: string,
  options: RemoveKubeconfigOptions,
): Promise<RemovedEntries> {
  if ((await readIfExists(path)) === undefined) {
    return { context: undefined, cluster: undefined, user: undefined };
  }
  let removed: RemovedEntries = { context: undefined, cluster: undefined, user: undefined };
  await edit(path, options.lockTimeoutMs ?? 10_000, (before) => {
    const data = parseData(before, path);
    const contexts = (data.contexts ?? []) as NonNullable<KubeconfigData["contexts"]>;
    const entry = contexts.find((c) => c.name === context);
    if (!entry) return before;
    const others = contexts.filter((c) => c.name !== context);
    const cluster = entry.context?.cluster;
    const user = entry.context?.user;
    let text = removeEntry(before, path, "contexts", context);
    const dropCluster = cluster && !others.some((c) => c.context?.cluster === cluster)
      ? cluster
      : undefined;
    const dropUser = user && !others.some((c) => c.context?.user === user) ? user : undefined;
    if (dropCluster) text = removeEntry(text, path, "clusters", dropCluster);
    if (dropUser) text = removeEntry(text, path, "users", dropUser);
    if (data["current-context"] === context) text = setCurrent(text, path, "");
    removed = { context, cluster: dropCluster, user: dropUser };
    return text;
  });
  return removed;
}
