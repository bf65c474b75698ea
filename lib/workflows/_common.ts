/**
 * Helpers shared by the workflows: loading the config and timing steps.
 *
 * @module
 */

import { findConfigFile, loadConfig, resolveConfig } from "../config/mod.ts";
import type { BosunConfig, ResolvedConfig } from "../config/mod.ts";
import { pinKubeTarget } from "../cluster/target.ts";
import type { Reporter } from "../ui/mod.ts";
import type { LoadedWorkflowConfig, StepTiming, WorkflowOptions } from "./types.ts";

/**
 * Resolves the config of a workflow from a path, an object, or the nearest bosun.yaml, with
 * its kubeconfig path (absolute, relative ones against `baseDir`) and context pinned, so
 * that every step of the workflow reaches the same file and context.
 */
export async function loadWorkflowConfig(options: WorkflowOptions): Promise<LoadedWorkflowConfig> {
  const given = options.config;
  let loaded: LoadedWorkflowConfig;
  if (given === undefined || typeof given === "string") {
    const path = given ?? await findConfigFile();
    if (path === undefined) {
      loaded = {
        config: resolveConfig({}),
        baseDir: options.baseDir ?? Deno.cwd(),
        path: undefined,
      };
    } else {
      const file = await loadConfig(path);
      loaded = { config: file.config, baseDir: options.baseDir ?? file.baseDir, path };
    }
  } else {
    const config = resolveConfig(given as BosunConfig | ResolvedConfig);
    loaded = { config, baseDir: options.baseDir ?? Deno.cwd(), path: undefined };
  }
  return { ...loaded, config: pinKubeTarget(loaded.config, loaded.baseDir) };
}

/** What the first push of `up` will do: push a directory, or why it is skipped. */
export type FirstPush =
  | { readonly directory: string; readonly skipped?: undefined }
  | { readonly directory?: undefined; readonly skipped: string };

/** Whether `up` pushes the source directory (and waits for the engine): the one rule. */
export async function firstPush(
  config: ResolvedConfig,
  baseDir: string,
  push: boolean | undefined,
): Promise<FirstPush> {
  const directory = under(baseDir, config.spec.gitops.sourceDirectory);
  if (config.spec.gitops.engine === "None") return { skipped: "no GitOps engine" };
  if (push === false) return { skipped: "push disabled" };
  if (!await isDir(directory)) return { skipped: `${directory} does not exist` };
  return { directory };
}

/** Records the duration of each step. */
export class Timings {
  readonly steps: StepTiming[] = [];
  readonly #started = performance.now();

  /** Runs `work` as the step `name`, recording its time; rethrows failures. */
  async run<T>(name: string, work: () => Promise<T>, note?: (value: T) => string): Promise<T> {
    const started = performance.now();
    try {
      const value = await work();
      const n = note?.(value);
      this.steps.push({
        name,
        status: "ok",
        durationMs: performance.now() - started,
        ...(n ? { note: n } : {}),
      });
      return value;
    } catch (error) {
      this.steps.push({ name, status: "failed", durationMs: performance.now() - started });
      throw error;
    }
  }

  /** Records a skipped step. */
  skip(name: string, reason: string, reporter?: Reporter): void {
    this.steps.push({ name, status: "skipped", durationMs: 0, note: reason });
    reporter?.step(name).skip(reason);
  }

  /** Milliseconds since the workflow started. */
  get totalMs(): number {
    return performance.now() - this.#started;
  }
}

/** Whether a directory exists. */
export async function isDir(path: string): Promise<boolean> {
  try {
    return (await Deno.stat(path)).isDirectory;
  } catch {
    return false;
  }
}

/** Resolves `path` against `baseDir` unless it is absolute. */
export function under(baseDir: string, path: string): string {
  return path.startsWith("/") ? path : `${baseDir}/${path}`;
}

/** The resolved config type, re-exported for the workflow files. */
export type { ResolvedConfig };
