/**
 * Helpers shared by the workflows: loading the config and timing steps.
 *
 * @module
 */

import { findConfigFile, loadConfig, resolveConfig } from "../config/mod.ts";
import type { BosunConfig, ResolvedConfig } from "../config/mod.ts";
import type { Reporter } from "../ui/mod.ts";
import type { LoadedWorkflowConfig, StepTiming, WorkflowOptions } from "./types.ts";

/** Resolves the config of a workflow from a path, an object, or the nearest bosun.yaml. */
export async function loadWorkflowConfig(options: WorkflowOptions): Promise<LoadedWorkflowConfig> {
  const given = options.config;
  if (given === undefined || typeof given === "string") {
    const path = given ?? await findConfigFile();
    if (path === undefined) {
      return { config: resolveConfig({}), baseDir: options.baseDir ?? Deno.cwd(), path: undefined };
    }
    const loaded = await loadConfig(path);
    return { config: loaded.config, baseDir: options.baseDir ?? loaded.baseDir, path };
  }
  const config = resolveConfig(given as BosunConfig | ResolvedConfig);
  return { config, baseDir: options.baseDir ?? Deno.cwd(), path: undefined };
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
