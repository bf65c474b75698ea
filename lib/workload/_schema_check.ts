/**
 * Checks documents against JSON schemas with Ajv: Bosun's minimal schemas for
 * built-in and known custom kinds, plus any CRD's `openAPIV3Schema`.
 *
 * @module
 */

import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import { BUILTIN_SCHEMAS, type JsonSchema, METADATA } from "./_schemas_builtin.ts";
import { CRD_SCHEMAS } from "./_schemas_crds.ts";

/** A schema problem: field path and message. */
export interface FieldProblem {
  /** Dotted field path (`spec.template.spec.containers[0].image`), empty for the whole object. */
  readonly field: string;
  /** What is wrong. */
  readonly message: string;
}

/** Keeps schemas by `apiVersion/Kind` and compiles them on first use. */
export class SchemaSet {
  readonly #ajv = new Ajv({
    strict: false,
    allErrors: true,
    validateFormats: false,
    verbose: true,
  });
  readonly #schemas = new Map<string, JsonSchema>();
  readonly #compiled = new Map<string, ValidateFunction>();

  constructor() {
    for (const [key, schema] of Object.entries({ ...BUILTIN_SCHEMAS, ...CRD_SCHEMAS })) {
      this.#schemas.set(key, schema);
    }
  }

  /** Adds the served versions of a CustomResourceDefinition (replacing Bosun's own schema). */
  addCrd(crd: unknown): number {
    const spec = (crd as { spec?: CrdSpec }).spec;
    if (!spec?.group || !spec.names?.kind) return 0;
    let added = 0;
    for (const version of spec.versions ?? []) {
      const schema = version.schema?.openAPIV3Schema;
      if (!version.served || !schema) continue;
      const key = `${spec.group}/${version.name}/${spec.names.kind}`;
      this.#schemas.set(key, { allOf: [schema, { properties: { metadata: METADATA } }] });
      this.#compiled.delete(key);
      added++;
    }
    return added;
  }

  /** Whether a schema is known for the kind. */
  has(apiVersion: string, kind: string): boolean {
    return this.#schemas.has(`${apiVersion}/${kind}`);
  }

  /** Checks one object; `undefined` when no schema is known for its kind. */
  check(object: Record<string, unknown>): FieldProblem[] | undefined {
    const key = `${object.apiVersion}/${object.kind}`;
    const schema = this.#schemas.get(key);
    if (!schema) return undefined;
    let validate = this.#compiled.get(key);
    if (!validate) {
      validate = this.#ajv.compile(schema);
      this.#compiled.set(key, validate);
    }
    if (validate(object)) return [];
    return describe(validate.errors ?? []);
  }
}

interface CrdSpec {
  group?: string;
  names?: { kind?: string };
  versions?: {
    name: string;
    served?: boolean;
    schema?: { openAPIV3Schema?: JsonSchema };
  }[];
}

function fieldOf(instancePath: string): string {
  let out = "";
  for (const part of instancePath.split("/").slice(1)) {
    const seg = part.replace(/~1/g, "/").replace(/~0/g, "~");
    out += /^\d+$/.test(seg) ? `[${seg}]` : out === "" ? seg : `.${seg}`;
  }
  return out;
}

function join(field: string, key: string): string {
  return field === "" ? key : `${field}.${key}`;
}

/** Turns Ajv errors into one problem per field, collapsing anyOf/oneOf branches. */
function describe(errors: readonly ErrorObject[]): FieldProblem[] {
  const groups = errors.filter((e) => e.keyword === "anyOf" || e.keyword === "oneOf");
  const kept = errors.filter((e) =>
    !groups.some((g) => e !== g && e.schemaPath.startsWith(`${g.schemaPath}/`))
  );
  const out: FieldProblem[] = [];
  const seen = new Set<string>();
  for (const e of kept) {
    const field = fieldOf(e.instancePath);
    const params = e.params as Record<string, unknown>;
    let problem: FieldProblem;
    if (e.keyword === "additionalProperties") {
      problem = { field: join(field, String(params.additionalProperty)), message: "unknown field" };
    } else if (e.keyword === "required") {
      problem = {
        field: join(field, String(params.missingProperty)),
        message: "required field is missing",
      };
    } else if (e.keyword === "enum") {
      const allowed = (params.allowedValues as unknown[]).map((v) => JSON.stringify(v));
      problem = { field, message: `must be one of ${allowed.join(", ")}` };
    } else if (e.keyword === "anyOf" || e.keyword === "oneOf") {
      const alts = ((e.schema as JsonSchema[] | undefined) ?? []).map((s) => describeSchema(s));
      problem = {
        field,
        message: `must match ${e.keyword === "oneOf" ? "exactly " : ""}one of: ${alts.join("; ")}`,
      };
    } else {
      problem = { field, message: e.message ?? e.keyword };
    }
    const key = `${problem.field}\u0000${problem.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push(problem);
    }
  }
  return out;
}

function describeSchema(schema: JsonSchema): string {
  if (Array.isArray(schema.required)) return `has ${schema.required.join(", ")}`;
  if (typeof schema.type === "string") return schema.type;
  return "a schema";
}
