/**
 * Resolving a tool the same way for every tool: an explicit path (option or
 * `BOSUN_<TOOL>`), then PATH when its version is recent enough, then the cache
 * `~/.cache/bosun/tools/<tool>/<version>/`, then a verified download (unless
 * offline), then `go install` for the tools that allow it.
 *
 * @module
 */

import { CommandError, findTool, type Runner, ToolNotFoundError } from "../exec/mod.ts";
import { defaultRunner, isExecutable, which } from "../exec/mod.ts";
import type { Reporter, Step } from "../ui/mod.ts";
import {
  type Artifact,
  artifactFor,
  currentPlatform,
  type Platform,
  TOOL_CATALOGUE,
  type ToolSpec,
} from "./catalogue.ts";
import { downloadTool, removeLeftovers, withFileLock } from "./download.ts";
import { ToolDownloadError } from "./errors.ts";

/** Where a resolved tool came from. */
export type ToolSource = "explicit" | "path" | "cache" | "download" | "go-install";

/** A tool ready to run. */
export interface ResolvedTool {
  /** The tool's name. */
  readonly name: string;
  /** Its version: the one it reported (explicit, PATH) or the pinned one (cache, download, go). */
  readonly version: string;
  /** Which route found it. */
  readonly source: ToolSource;
  /** Absolute path of the executable. */
  readonly path: string;
}

/** Options for {@linkcode resolveTool}. */
export interface ResolveToolOptions {
  /** An explicit path (from config); wins over `BOSUN_<TOOL>` and everything else. */
  readonly path?: string;
  /** Minimum version accepted from PATH or an explicit path. @default the catalogue's */
  readonly minVersion?: string;
  /** Environment to read `BOSUN_<TOOL>`, `BOSUN_OFFLINE`, `HOME`, `XDG_CACHE_HOME` from. @default Deno.env */
  readonly env?: (name: string) => string | undefined;
  /** PATH to search. @default the env's PATH */
  readonly searchPath?: string;
  /** Cache root. @default `$XDG_CACHE_HOME/bosun/tools`, else `~/.cache/bosun/tools` */
  readonly cacheDir?: string;
  /** Allow downloads. @default true unless `BOSUN_OFFLINE=1` */
  readonly download?: boolean;
  /** Allow `go install` for the tools that support it. @default true */
  readonly goInstall?: boolean;
  /** Extra environment for `go install` (`GOFLAGS`, `GOTOOLCHAIN`, `GOPROXY`). */
  readonly goEnv?: Readonly<Record<string, string>>;
  /** Platform to fetch for. @default the running one */
  readonly platform?: Platform;
  /** The catalogue to resolve from (tests point URLs at a local server). @default TOOL_CATALOGUE */
  readonly catalogue?: Readonly<Record<string, ToolSpec>>;
  /** HTTP client for downloads (a custom CA). */
  readonly client?: Deno.HttpClient;
  /** Called once per HTTP request with its URL. */
  readonly onRequest?: (url: string) => void;
  /** Give up on a download when no byte arrives for this long, in milliseconds. @default 60_000 */
  readonly idleTimeoutMs?: number;
  /** Runs the version checks and `go install`. @default defaultRunner */
  readonly runner?: Runner;
  /** Where to say which source was used and to show downloads. */
  readonly reporter?: Reporter | Step;
}

/** The env var naming an explicit path for a tool: `BOSUN_KIND`, `BOSUN_TALOSCTL`. */
export function toolEnvVar(name: string): string {
  return `BOSUN_${name.toUpperCase().replace(/[^A-Z0-9]/g, "_")}`;
}

/** The default cache root: `$XDG_CACHE_HOME/bosun/tools`, else `$HOME/.cache/bosun/tools`. */
export function defaultToolCacheDir(
  env: (name: string) => string | undefined = Deno.env.get,
): string {
  const xdg = env("XDG_CACHE_HOME");
  const home = env("HOME") ?? env("USERPROFILE") ?? ".";
  return `${xdg ? xdg : `${home}/.cache`}/bosun/tools`;
}

/** Whether downloads are off in this environment (`BOSUN_OFFLINE` set to anything but `0`/empty). */
export function isOffline(env: (name: string) => string | undefined = Deno.env.get): boolean {
  const v = env("BOSUN_OFFLINE");
  return v !== undefined && v !== "" && v !== "0" && v.toLowerCase() !== "false";
}

/** Cache paths of one tool version: `<cacheDir>/<tool>/<version>/<binary>`. */
function cachePaths(root: string, spec: ToolSpec, artifact: Artifact | undefined) {
  const dir = `${root}/${spec.name}/${spec.version}`;
  const binary = artifact?.binary ?? spec.name;
  return {
    root,
    dir,
    binary: `${dir}/${binary}`,
    lock: `${root}/${spec.name}/.${spec.version}.lock`,
  };
}

/**
 * The cached executable of the pinned version, when present.
 *
 * @param name The tool.
 * @param options Cache root, platform and catalogue.
 * @returns Its path, or `undefined`.
 */
export async function cachedTool(
  name: string,
  options: Pick<ResolveToolOptions, "cacheDir" | "platform" | "catalogue" | "env"> = {},
): Promise<string | undefined> {
  const spec = specFor(name, options.catalogue);
  const platform = options.platform ?? currentPlatform();
  const artifact = platform === undefined ? undefined : artifactFor(spec, platform);
  const paths = cachePaths(options.cacheDir ?? defaultToolCacheDir(options.env), spec, artifact);
  return await isExecutable(paths.binary) ? paths.binary : undefined;
}

function specFor(name: string, catalogue = TOOL_CATALOGUE): ToolSpec {
  const spec = catalogue[name];
  if (spec === undefined) {
    throw new TypeError(
      `Unknown tool ${JSON.stringify(name)}: the catalogue has ${
        Object.keys(catalogue).join(", ")
      }`,
    );
  }
  return spec;
}

function installHint(spec: ToolSpec): string {
  return `Run \`bosun tools install ${spec.name}\` (needs network; BOSUN_OFFLINE=1 forbids it), ` +
    `set ${toolEnvVar(spec.name)}=/path/to/${spec.name}, or install it by hand: ${spec.manual}`;
}

/**
 * Finds or fetches a catalogue tool, in the order explicit path, PATH, cache,
 * download, `go install`, and reports which source it used.
 *
 * @param name A catalogue tool (`kind`, `k3d`, `helm`, `talosctl`, `kwokctl`, `eksctl`).
 * @param options Explicit path, cache, offline switch, HTTP client, reporter.
 * @returns The tool's path, version and source.
 * @throws {TypeError} For a name the catalogue does not have.
 * @throws {ToolNotFoundError} When an explicit path is missing or too old, or every route
 *   failed; the message says how to install it (and carries the download error as cause).
 *
 * @example
 * ```ts ignore
 * import { resolveTool } from "@bosun/sdk";
 * const kind = await resolveTool("kind");
 * console.log(kind.source, kind.path); // "cache" /home/me/.cache/bosun/tools/kind/0.33.0/kind
 * ```
 */
export async function resolveTool(
  name: string,
  options: ResolveToolOptions = {},
): Promise<ResolvedTool> {
  const spec = specFor(name, options.catalogue);
  const env = options.env ?? ((k: string) => Deno.env.get(k));
  const runner = options.runner ?? defaultRunner;
  const minVersion = options.minVersion ?? spec.minVersion;
  const report = (tool: ResolvedTool): ResolvedTool => {
    options.reporter?.log("info", `${tool.name} ${tool.version} (${tool.source}): ${tool.path}`);
    return tool;
  };
  const check = {
    minVersion,
    versionArgs: spec.versionArgs,
    versionPattern: spec.versionPattern,
    hint: installHint(spec),
    runner,
  };

  const fromEnv = env(toolEnvVar(name)) || undefined;
  const explicit = options.path ?? fromEnv;
  if (explicit !== undefined) {
    if (!(await isExecutable(explicit))) {
      const origin = options.path !== undefined ? "the configured path" : toolEnvVar(name);
      throw new ToolNotFoundError({
        tool: name,
        minimum: minVersion,
        hint: `${origin} is ${JSON.stringify(explicit)}, which is not an executable file: ` +
          `fix it, or ${options.path !== undefined ? "remove it" : "unset it"} to let Bosun look ` +
          "on PATH, in its cache and on the tool's release page",
      });
    }
    const found = await findTool(name, { ...check, path: explicit });
    return report({
      name,
      version: found.version ?? spec.version,
      source: "explicit",
      path: found.path,
    });
  }

  const searchPath = options.searchPath ?? env("PATH") ?? "";
  const onPath = await which(name, searchPath);
  if (onPath !== undefined) {
    try {
      const found = await findTool(name, { ...check, path: onPath });
      return report({
        name,
        version: found.version ?? spec.version,
        source: "path",
        path: found.path,
      });
    } catch (err) {
      if (!(err instanceof ToolNotFoundError)) throw err;
      options.reporter?.log(
        "info",
        `${err.message.split(". ")[0]} on PATH (${onPath}); using the pinned ${spec.version}`,
      );
    }
  }

  const platform = options.platform ?? currentPlatform();
  const artifact = platform === undefined ? undefined : artifactFor(spec, platform);
  const paths = cachePaths(options.cacheDir ?? defaultToolCacheDir(env), spec, artifact);
  const cached = async (): Promise<ResolvedTool | undefined> =>
    await isExecutable(paths.binary)
      ? { name, version: spec.version, source: "cache", path: paths.binary }
      : undefined;
  const hit = await cached();
  if (hit) return report(hit);

  const download = options.download ?? !isOffline(env);
  const go = options.goInstall !== false && spec.goPackage !== undefined
    ? await which("go", searchPath)
    : undefined;
  if (!download && go === undefined) {
    throw new ToolNotFoundError({
      tool: name,
      minimum: minVersion,
      hint:
        `Downloads are off (BOSUN_OFFLINE / --no-download) and nothing is cached in ${paths.dir}. ` +
        installHint(spec),
    });
  }

  await Deno.mkdir(`${paths.root}/${spec.name}`, { recursive: true });
  return report(
    await withFileLock(paths.lock, async () => {
      const again = await cached(); // another resolution finished while we waited
      if (again) return again;
      let failure: unknown;
      if (download && artifact !== undefined && spec.checksum !== undefined) {
        const step = options.reporter?.step(`Download ${name} ${spec.version}`);
        try {
          const path = await downloadTool(spec, {
            artifact,
            dir: paths.dir,
            ...(options.client ? { client: options.client } : {}),
            ...(options.onRequest ? { onRequest: options.onRequest } : {}),
            ...(options.idleTimeoutMs ? { idleTimeoutMs: options.idleTimeoutMs } : {}),
          });
          step?.succeed("sha256 verified");
          return { name, version: spec.version, source: "download" as const, path };
        } catch (err) {
          step?.fail(err);
          if (!(err instanceof ToolDownloadError)) throw err;
          failure = err;
        }
      }
      const reasons: string[] = [];
      if (failure instanceof ToolDownloadError) reasons.push(failure.summary);
      if (go !== undefined && spec.goPackage !== undefined) {
        try {
          const path = await goInstall(spec, go, paths.dir, runner, options);
          return { name, version: spec.version, source: "go-install" as const, path };
        } catch (err) {
          if (!(err instanceof CommandError)) throw err;
          const said = err.stderr.trim().split("\n").slice(-3).join(" | ");
          reasons.push(`\`go install ${spec.goPackage}@v${spec.version}\` failed: ${said}`);
        }
      }
      const why = reasons.length > 0
        ? reasons.join("; ")
        : !download
        ? "downloads are off (BOSUN_OFFLINE / --no-download)"
        : artifact === undefined
        ? `no release artifact for ${platform ?? `${Deno.build.os}/${Deno.build.arch}`}`
        : "its project publishes no checksum, so it is never downloaded, and Go is not installed";
      throw new ToolNotFoundError({
        tool: name,
        minimum: minVersion,
        hint: `Cannot fetch it: ${why}. ${installHint(spec)}`,
      });
    }),
  );
}

/** `go install <pkg>@v<version>` with GOBIN in a temp dir of the cache, then an atomic rename. */
async function goInstall(
  spec: ToolSpec,
  go: string,
  dir: string,
  runner: Runner,
  options: ResolveToolOptions,
): Promise<string> {
  const step = options.reporter?.step(`go install ${spec.goPackage}@v${spec.version}`);
  await Deno.mkdir(dir, { recursive: true });
  await removeLeftovers(dir);
  const gobin = await Deno.makeTempDir({ dir, prefix: ".gobin-" });
  try {
    await runner.run(go, ["install", `${spec.goPackage}@v${spec.version}`], {
      env: { ...options.goEnv, GOBIN: gobin },
      timeoutMs: 15 * 60_000,
    });
    const exe = Deno.build.os === "windows" ? ".exe" : "";
    const target = `${dir}/${spec.name}${exe}`;
    await Deno.rename(`${gobin}/${spec.name}${exe}`, target);
    step?.succeed();
    return target;
  } catch (err) {
    step?.fail(err);
    throw err;
  } finally {
    await Deno.remove(gobin, { recursive: true }).catch(() => {});
    await Deno.remove(dir).catch(() => {});
  }
}

/** One row of {@linkcode listTools}. */
export interface ToolStatus {
  /** The tool's name. */
  readonly name: string;
  /** The pinned version. */
  readonly pinned: string;
  /** What resolution without downloading found, or `undefined` when nothing is there. */
  readonly resolved: ResolvedTool | undefined;
  /** Why nothing was found, when `resolved` is `undefined`. */
  readonly missing: string | undefined;
}

/**
 * Resolves every catalogue tool without downloading or `go install`, for `bosun tools list`.
 *
 * @param options As for {@linkcode resolveTool}; `download` and `goInstall` are forced off.
 * @returns One row per tool, in catalogue order.
 */
export async function listTools(options: ResolveToolOptions = {}): Promise<ToolStatus[]> {
  const catalogue = options.catalogue ?? TOOL_CATALOGUE;
  const rows: ToolStatus[] = [];
  for (const spec of Object.values(catalogue)) {
    try {
      const resolved = await resolveTool(spec.name, {
        ...options,
        download: false,
        goInstall: false,
      });
      rows.push({ name: spec.name, pinned: spec.version, resolved, missing: undefined });
    } catch (err) {
      if (!(err instanceof ToolNotFoundError)) throw err;
      rows.push({
        name: spec.name,
        pinned: spec.version,
        resolved: undefined,
        missing: err.message,
      });
    }
  }
  return rows;
}
