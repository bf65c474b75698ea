/**
 * {@linkcode validateManifests}: kustomize-build every directory with a
 * kustomization (the real `kubectl kustomize`), then check every document —
 * with a server-side dry run when a cluster is given, else against schemas.
 *
 * @module
 */

import { parseAllDocuments } from "yaml";
import { CommandError, defaultRunner, findTool, type Runner } from "../exec/mod.ts";
import { type Reporter, silentReporter } from "../ui/mod.ts";
import { SchemaSet } from "./_schema_check.ts";
import { type DryRunner, dryRunner } from "./_dry_run.ts";

/** One problem found. */
export interface ValidationProblem {
  /** The file, or the kustomization directory the document was built from. */
  readonly file: string;
  /** `Kind/namespace/name`, or `document N` when the document has no identity. */
  readonly document: string;
  /** Dotted field path, empty when the problem is the whole document or file. */
  readonly field: string;
  /** What is wrong. */
  readonly message: string;
  /** `error` fails validation; `warning` (no schema known for a kind) does not. */
  readonly severity: "error" | "warning";
}

/** Options for {@linkcode validateManifests}. */
export interface ValidateOptions {
  /**
   * Where to check documents: `auto` dry-runs against the cluster of
   * `kubeconfig`/`context` when it answers, `server` requires it, `offline`
   * uses schemas only. @default "auto"
   */
  readonly mode?: "auto" | "server" | "offline";
  /** Kubeconfig for `auto`/`server`. @default $KUBECONFIG or ~/.kube/config */
  readonly kubeconfig?: string;
  /** Context for `auto`/`server`. @default the current context */
  readonly context?: string;
  /** CRD files (YAML) whose `openAPIV3Schema` is used for their kinds. */
  readonly crds?: readonly string[];
  /** Runs `kubectl kustomize`. @default defaultRunner */
  readonly runner?: Runner;
  /** Path of kubectl. @default found on PATH */
  readonly kubectl?: string;
  /** Progress. */
  readonly reporter?: Reporter;
}

/** What {@linkcode validateManifests} found. */
export interface ValidationReport {
  /** No errors (warnings allowed). */
  readonly valid: boolean;
  /** Every problem, errors and warnings. */
  readonly problems: readonly ValidationProblem[];
  /** Kustomization directories built. */
  readonly builds: readonly string[];
  /** Plain manifest files checked outside any kustomization. */
  readonly files: readonly string[];
  /** Documents checked. */
  readonly documents: number;
  /** SOPS-encrypted documents recognised. */
  readonly encrypted: number;
  /** How documents were checked. */
  readonly mode: "server" | "offline";
}

/** Validation found errors; `report` holds them all. */
export class ValidationFailedError extends Error {
  /** The full report. */
  readonly report: ValidationReport;

  /**
   * Creates the error from a report.
   *
   * @param report The report with at least one error.
   */
  constructor(report: ValidationReport) {
    const errors = report.problems.filter((p) => p.severity === "error").length;
    super(`Manifests are not valid: ${errors} problem${errors === 1 ? "" : "s"}`);
    this.name = "ValidationFailedError";
    this.report = report;
  }
}

const KUSTOMIZATION_FILES = ["kustomization.yaml", "kustomization.yml", "Kustomization"];

/**
 * Validates a manifest tree (or one file). Every directory with a
 * kustomization is built with `kubectl kustomize`; YAML files outside any
 * kustomization are read directly; Helm chart directories are skipped. Each
 * document is then dry-run on the server (`mode: "server"`, or `auto` when a
 * cluster answers) or checked against schemas. SOPS-encrypted documents are
 * recognised and checked without their `sops` metadata.
 *
 * @param path A directory or a YAML file.
 * @param options Mode, cluster, extra CRDs, runner.
 * @returns The problems, one per field, and what was checked.
 * @throws {ToolNotFoundError} When kubectl is needed and missing.
 *
 * @example
 * ```ts ignore
 * import { validateManifests } from "@bosun/sdk";
 * const report = await validateManifests("k8s");
 * for (const p of report.problems) console.log(`${p.file}: ${p.document}: ${p.field}: ${p.message}`);
 * ```
 */
export async function validateManifests(
  path: string,
  options: ValidateOptions = {},
): Promise<ValidationReport> {
  const reporter = options.reporter ?? silentReporter;
  const runner = options.runner ?? defaultRunner;
  const schemas = new SchemaSet();
  for (const file of options.crds ?? []) {
    for (const doc of parseAllDocuments(await Deno.readTextFile(file))) {
      const value = doc.toJS() as { kind?: string } | null;
      if (value?.kind === "CustomResourceDefinition") schemas.addCrd(value);
    }
  }
  const tree = await scan(path);
  const problems: ValidationProblem[] = [];
  const seen = new Set<string>();
  const add = (p: ValidationProblem) => {
    const key = `${p.document}\u0000${p.field}\u0000${p.message}`;
    if (seen.has(key)) return;
    seen.add(key);
    problems.push(p);
  };

  const server = await dryRunner(options);
  const mode = server ? "server" : "offline";
  let documents = 0;
  let encrypted = 0;
  const checkDocs = async (file: string, text: string) => {
    let index = 0;
    for (const doc of parseAllDocuments(text)) {
      index++;
      if (doc.errors.length > 0) {
        add({
          file,
          document: `document ${index}`,
          field: "",
          message: doc.errors[0]!.message,
          severity: "error",
        });
        continue;
      }
      const value = doc.toJS() as unknown;
      if (value === null || value === undefined) continue;
      documents++;
      const result = await checkDocument(value, index, schemas, server);
      if (result.encrypted) encrypted++;
      for (const p of result.problems) add({ file, ...p });
    }
  };

  let kubectl = options.kubectl;
  if (tree.kustomizations.length > 0 && kubectl === undefined) {
    kubectl = (await findTool("kubectl", { runner })).path;
  }
  for (const dir of tree.kustomizations) {
    const step = reporter.step(`kubectl kustomize ${dir}`);
    try {
      const out = await runner.run(kubectl!, ["kustomize", dir]);
      const before = problems.length;
      await checkDocs(dir, out.stdout);
      const found = problems.length - before;
      if (found === 0) step.succeed();
      else step.fail(new Error(`${found} problem(s)`));
    } catch (error) {
      if (!(error instanceof CommandError)) throw error;
      const message = (error.stderr.trim().split("\n").pop() ?? error.message).replace(
        /^Error: /,
        "",
      );
      add({ file: dir, document: "kustomization", field: "", message, severity: "error" });
      step.fail(error);
    }
  }
  for (const file of tree.files) {
    const text = await Deno.readTextFile(file);
    if (!/^\s*kind:/m.test(text) || !/^\s*apiVersion:/m.test(text)) continue;
    await checkDocs(file, text);
  }
  server?.close();
  return {
    valid: problems.every((p) => p.severity !== "error"),
    problems,
    builds: tree.kustomizations,
    files: tree.files,
    documents,
    encrypted,
    mode,
  };
}

/**
 * Formats a problem as one line: `file: document: field: message`.
 *
 * @param problem The problem.
 * @returns The line.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatProblem } from "@bosun/sdk";
 * const line = formatProblem({
 *   file: "k8s/apps", document: "Deployment/apps/web", field: "spec.replicas",
 *   message: "must be integer", severity: "error",
 * });
 * assert.equal(line, "k8s/apps: Deployment/apps/web: spec.replicas: must be integer");
 * ```
 */
export function formatProblem(problem: ValidationProblem): string {
  const field = problem.field ? `${problem.field}: ` : "";
  const tag = problem.severity === "warning" ? "warning: " : "";
  return `${problem.file}: ${problem.document}: ${field}${tag}${problem.message}`;
}

type DocProblem = Omit<ValidationProblem, "file">;

async function checkDocument(
  value: unknown,
  index: number,
  schemas: SchemaSet,
  server: DryRunner | undefined,
): Promise<{ encrypted: boolean; problems: DocProblem[] }> {
  if (typeof value !== "object" || Array.isArray(value) || value === null) {
    return {
      encrypted: false,
      problems: [{
        document: `document ${index}`,
        field: "",
        message: "is not a Kubernetes object",
        severity: "error",
      }],
    };
  }
  const object = { ...(value as Record<string, unknown>) };
  const meta = (object.metadata ?? {}) as { name?: unknown; namespace?: unknown };
  const kind = typeof object.kind === "string" ? object.kind : undefined;
  const document = kind
    ? [kind, meta.namespace, meta.name].filter((s) => typeof s === "string" && s).join("/")
    : `document ${index}`;
  const problems: DocProblem[] = [];
  if (typeof object.apiVersion !== "string" || kind === undefined) {
    for (const f of ["apiVersion", "kind"]) {
      if (typeof object[f] !== "string") {
        problems.push({
          document,
          field: f,
          message: "required field is missing",
          severity: "error",
        });
      }
    }
    return { encrypted: false, problems };
  }
  const sops = object.sops as Record<string, unknown> | undefined;
  const encrypted = typeof sops === "object" && sops !== null &&
    ("mac" in sops || "lastmodified" in sops);
  if (encrypted) delete object.sops;

  if (server && !encrypted) {
    const answer = await server.check(object);
    if (answer !== undefined) {
      return {
        encrypted,
        problems: answer.map((p) => ({ document, ...p, severity: "error" as const })),
      };
    }
  }
  const found = schemas.check(object);
  if (found === undefined) {
    return {
      encrypted,
      problems: [{
        document,
        field: "",
        message: `no schema known for ${object.apiVersion} ${kind}; not checked`,
        severity: "warning",
      }],
    };
  }
  return {
    encrypted,
    problems: found.map((p) => ({ document, ...p, severity: "error" as const })),
  };
}

interface Tree {
  kustomizations: string[];
  files: string[];
}

async function scan(path: string): Promise<Tree> {
  const tree: Tree = { kustomizations: [], files: [] };
  const info = await Deno.stat(path);
  if (info.isFile) {
    tree.files.push(path);
    return tree;
  }
  await walk(path.replace(/\/+$/, "") || "/", false, tree);
  return tree;
}

async function walk(dir: string, covered: boolean, tree: Tree): Promise<void> {
  const entries: Deno.DirEntry[] = [];
  for await (const entry of Deno.readDir(dir)) entries.push(entry);
  entries.sort((a, b) => a.name.localeCompare(b.name));
  const names = new Set(entries.map((e) => e.name));
  if (names.has("Chart.yaml")) return; // a Helm chart: templates are not manifests
  const isKustomization = KUSTOMIZATION_FILES.some((f) => names.has(f));
  if (isKustomization) tree.kustomizations.push(dir);
  const inside = covered || isKustomization;
  for (const entry of entries) {
    if (entry.name.startsWith(".") || entry.name === "node_modules") continue;
    const child = `${dir}/${entry.name}`;
    if (entry.isDirectory) await walk(child, inside, tree);
    else if (!inside && /\.ya?ml$/.test(entry.name)) tree.files.push(child);
  }
}
