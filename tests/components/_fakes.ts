/** Test helpers: components whose install sleeps a known time (no cluster needed). */
import type { Component, ComponentPhase } from "../../lib/components/mod.ts";

/** What a sleeping component saw. */
export interface Trace {
  readonly events: string[];
  readonly aborted: Set<string>;
}

/** A component that sleeps `ms` (or fails after it when `fail` is set). */
export function sleeper(
  trace: Trace,
  name: string,
  ms: number,
  opts: { phase?: ComponentPhase; dependsOn?: string[]; fail?: string } = {},
): Component {
  return {
    name,
    phase: opts.phase ?? "addon",
    dependsOn: opts.dependsOn ?? [],
    enabled: () => true,
    plan: () => ({
      name,
      phase: opts.phase ?? "addon",
      dependsOn: opts.dependsOn ?? [],
      source: { type: "manifest", chart: `test://${name}`, sha256: "0" },
      release: name,
      version: "1.0.0",
      namespace: "default",
      values: {},
    }),
    async install(ctx) {
      trace.events.push(`start ${name}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, ms);
        ctx.signal.addEventListener("abort", () => {
          clearTimeout(t);
          trace.aborted.add(name);
          resolve();
        }, { once: true });
      });
      trace.events.push(`end ${name}`);
      if (ctx.signal.aborted) throw new DOMException("cancelled", "AbortError");
      if (opts.fail !== undefined) throw new TypeError(opts.fail);
      return { changed: true, note: `slept ${ms}ms` };
    },
  };
}
