/**
 * Server-side dry-run apply of one object, for validation against a live
 * API server (CRD schemas and admission included).
 *
 * @module
 */

import type { FieldProblem } from "./_schema_check.ts";

/** Checks objects with the API server. */
export interface DryRunner {
  /** Problems the server reports, or `undefined` when it does not serve the kind. */
  check(object: Record<string, unknown>): Promise<FieldProblem[] | undefined>;
  /** Releases the connection. */
  close(): void;
}

/** Options selecting the cluster. */
export interface DryRunOptions {
  /** `auto`, `server` or `offline`. */
  readonly mode?: "auto" | "server" | "offline";
  /** Kubeconfig path. */
  readonly kubeconfig?: string;
  /** Context. */
  readonly context?: string;
}

/**
 * Connects to the cluster for `server`/`auto` mode; `undefined` when offline
 * (or `auto` and the cluster does not answer).
 */
export async function dryRunner(options: DryRunOptions): Promise<DryRunner | undefined> {
  const mode = options.mode ?? "auto";
  if (mode === "offline") return undefined;
  const kubeMod = await import("../kube/mod.ts");
  let kube: Awaited<ReturnType<typeof kubeMod.connectKube>>;
  try {
    kube = await kubeMod.connectKube({
      kubeconfig: options.kubeconfig,
      context: options.context,
      requestTimeoutMs: mode === "auto" ? 3000 : 30000,
    });
    await kube.request("GET", "/version", { verb: "reach the API server" });
  } catch (error) {
    if (mode === "server") throw error;
    return undefined;
  }
  const connected = kube;
  const namespaces = new Map<string, boolean>();
  const namespaceExists = async (ns: string) => {
    if (!namespaces.has(ns)) {
      const found = await connected.get({ apiVersion: "v1", kind: "Namespace", name: ns });
      namespaces.set(ns, found !== undefined);
    }
    return namespaces.get(ns)!;
  };
  return {
    async check(object) {
      const apiVersion = String(object.apiVersion);
      const kind = String(object.kind);
      let info;
      try {
        info = await connected.resource(apiVersion, kind);
      } catch (error) {
        if (error instanceof kubeMod.UnknownKindError) return undefined;
        throw error;
      }
      const meta = { ...(object.metadata as Record<string, unknown>) };
      if (info.namespaced) {
        // An object whose namespace the manifests create is checked in the
        // connection's namespace: the dry run does not create namespaces.
        const ns = typeof meta.namespace === "string" ? meta.namespace : connected.namespace;
        meta.namespace = await namespaceExists(ns) ? ns : connected.namespace;
      } else delete meta.namespace;
      const body = { ...object, metadata: meta };
      const ref = {
        apiVersion,
        kind,
        name: String(meta.name ?? ""),
        namespace: info.namespaced ? String(meta.namespace) : undefined,
      };
      try {
        await connected.request("PATCH", await connected.pathFor(ref), {
          body,
          contentType: "application/apply-patch+yaml",
          query: {
            dryRun: "All",
            fieldManager: "bosun-validate",
            fieldValidation: "Strict",
            force: "true",
          },
          verb: "dry-run",
          ref,
        });
        return [];
      } catch (error) {
        if (!(error instanceof kubeMod.KubeApiError)) throw error;
        if (error.causes.length === 0) return [{ field: "", message: error.apiMessage }];
        return error.causes.map((c) => ({ field: c.field ?? "", message: c.message }));
      }
    },
    close: () => connected.close(),
  };
}
