/**
 * Finding external tools on PATH, checking their version, and saying how to
 * install them when they are missing.
 *
 * @module
 */

import { CommandError, ToolNotFoundError } from "./errors.ts";
import { defaultRunner, type Runner } from "./runner.ts";

/** A tool found on the machine. */
export interface Tool {
  /** The tool's name. */
  readonly name: string;
  /** Absolute path of the executable. */
  readonly path: string;
  /** The version it reported, without a leading `v`, or `undefined` when not asked. */
  readonly version: string | undefined;
}

/** Options for {@linkcode findTool}. */
export interface FindToolOptions {
  /** Minimum version, compared numerically part by part (`"0.20.0"`). */
  readonly minVersion?: string;
  /** Arguments that make the tool print its version. @default ["--version"] */
  readonly versionArgs?: readonly string[];
  /** Pattern whose first group is the version. @default the first `x.y[.z]` */
  readonly versionPattern?: RegExp;
  /** How to install the tool, shown when it is missing. */
  readonly hint?: string;
  /** An explicit path to use instead of searching PATH (for example from an env var). */
  readonly path?: string;
  /** The runner used to ask the version. @default defaultRunner */
  readonly runner?: Runner;
  /** PATH to search. @default Deno.env.get("PATH") */
  readonly searchPath?: string;
}

/**
 * Install hints for the tools Bosun drives. The tools of Bosun's catalogue
 * (lib/tools: kind, k3d, helm, talosctl, kwokctl, eksctl) can be fetched,
 * pinned and checksum-verified, with `bosun tools install <name>`; `findTool`
 * itself still searches only PATH (or an explicit path).
 */
export const INSTALL_HINTS: Readonly<Record<string, string>> = {
  docker: "Install Docker Engine or Docker Desktop: https://docs.docker.com/get-docker/",
  kind: "Install kind: `bosun tools install kind` fetches the pinned, verified one " +
    "(`bosun tools path kind` prints where; put that directory on PATH), or " +
    "`go install sigs.k8s.io/kind@v0.33.0` (https://kind.sigs.k8s.io/)",
  k3d: "Install k3d: `bosun tools install k3d` fetches the pinned, verified one " +
    "(`bosun tools path k3d` prints where; put that directory on PATH), or see " +
    "https://k3d.io/#installation",
  talosctl: "Install talosctl: `bosun tools install talosctl` fetches the pinned, verified one " +
    "(`bosun tools path talosctl` prints where; put that directory on PATH), or see " +
    "https://www.talos.dev/latest/talos-guides/install/talosctl/",
  eksctl: "Install eksctl and its anywhere plugin: `bosun tools install eksctl` fetches eksctl " +
    "itself (pinned, verified); the plugin: https://anywhere.eks.amazonaws.com/docs/",
  helm: "Install Helm 3.x or 4.x: `bosun tools install helm` fetches the pinned, verified one " +
    "(`bosun tools path helm` prints where; put that directory on PATH), or see " +
    "https://helm.sh/docs/intro/install/",
  kwokctl: "Install kwokctl: `bosun tools install kwokctl` (go install of the pinned version), " +
    "or `go install sigs.k8s.io/kwok/cmd/kwokctl@v0.8.0`",
  kubectl: "Install kubectl: https://kubernetes.io/docs/tasks/tools/",
  gpg: "Install GnuPG (`apt-get install gnupg`, `brew install gnupg`).",
  age: "Install age (`apt-get install age`, `brew install age`).",
  sops: "Install sops: `go install github.com/getsops/sops/v3/cmd/sops@latest`",
  oras: "Install oras: `go install oras.land/oras/cmd/oras@latest`",
};

/**
 * Looks a program up on PATH (or at an explicit path) and, when `minVersion`
 * is given, checks the version it reports.
 *
 * @param name The executable's name.
 * @param options Version requirement, hint and search path.
 * @returns The tool's path and version.
 * @throws {ToolNotFoundError} When the tool is missing, too old, or prints no version it can read.
 *
 * @example
 * ```ts ignore
 * import { findTool } from "@bosun/sdk";
 * const kind = await findTool("kind", { minVersion: "0.20.0" });
 * ```
 */
export async function findTool(name: string, options: FindToolOptions = {}): Promise<Tool> {
  const hint = options.hint ?? INSTALL_HINTS[name] ?? `Install ${name} and put it on PATH.`;
  const path = options.path ?? await which(name, options.searchPath);
  if (path === undefined) {
    throw new ToolNotFoundError({ tool: name, minimum: options.minVersion, hint });
  }
  if (options.minVersion === undefined && options.versionPattern === undefined) {
    return { name, path, version: undefined };
  }
  const runner = options.runner ?? defaultRunner;
  let text: string;
  try {
    const out = await runner.run(path, options.versionArgs ?? ["--version"], {
      throwOnError: false,
      timeoutMs: 15_000,
    });
    text = `${out.stdout}\n${out.stderr}`;
  } catch (cause) {
    if (cause instanceof CommandError) {
      throw new ToolNotFoundError({ tool: name, minimum: options.minVersion, hint });
    }
    throw cause;
  }
  const match = (options.versionPattern ?? /v?(\d+\.\d+(?:\.\d+)?)/).exec(text);
  const version = match?.[1];
  if (version === undefined) {
    throw new ToolNotFoundError({
      tool: name,
      minimum: options.minVersion,
      unreadableVersion: {
        command: [name, ...(options.versionArgs ?? ["--version"])].join(" "),
        output: text.trim(),
      },
      hint,
    });
  }
  if (options.minVersion !== undefined && compareVersions(version, options.minVersion) < 0) {
    throw new ToolNotFoundError({ tool: name, found: version, minimum: options.minVersion, hint });
  }
  return { name, path, version };
}

/**
 * Compares two dotted versions numerically (`"1.10.0" > "1.9.9"`); a leading `v`
 * and any suffix after `-` or `+` are ignored.
 *
 * @returns A negative number, zero or a positive number.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { compareVersions } from "@bosun/sdk";
 * assert.ok(compareVersions("v1.10.0", "1.9.9") > 0);
 * ```
 */
export function compareVersions(a: string, b: string): number {
  const parts = (v: string) => v.replace(/^v/, "").split(/[-+]/)[0]!.split(".").map(Number);
  const pa = parts(a);
  const pb = parts(b);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * Finds an executable on PATH.
 *
 * @param name The executable's name; returned as is when it contains a `/`.
 * @param searchPath The PATH to search. @default Deno.env.get("PATH")
 * @returns The absolute path, or `undefined` when nothing executable is found.
 */
export async function which(name: string, searchPath?: string): Promise<string | undefined> {
  if (name.includes("/")) return await isExecutable(name) ? name : undefined;
  const dirs = (searchPath ?? Deno.env.get("PATH") ?? "").split(":").filter(Boolean);
  for (const dir of dirs) {
    const candidate = `${dir}/${name}`;
    if (await isExecutable(candidate)) return candidate;
  }
  return undefined;
}

/**
 * Whether a path is a regular file with an execute bit set (for anyone). No PATH lookup:
 * a name without a `/` is taken relative to the working directory; see {@linkcode which}.
 *
 * @param path The file.
 * @returns `true` for an executable file; `false` for a directory, a plain file, or nothing there.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isExecutable } from "@bosun/sdk";
 * assert.ok(await isExecutable(Deno.execPath()));
 * assert.ok(!(await isExecutable("/")));
 * ```
 */
export async function isExecutable(path: string): Promise<boolean> {
  try {
    const info = await Deno.stat(path);
    return info.isFile && ((info.mode ?? 0o111) & 0o111) !== 0;
  } catch {
    return false;
  }
}
