/**
 * Shared measuring helpers for the benchmarks: run a command (or a function)
 * several times in one run and compare medians.
 *
 * @module
 */

import { defaultRunner } from "../lib/exec/mod.ts";

/** Median of a list of numbers. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Runs `fn` `runs` times (after `warmup` unmeasured runs) and returns the median in ms. */
export async function timeIt(
  fn: () => Promise<unknown>,
  runs = 5,
  warmup = 1,
): Promise<number> {
  for (let i = 0; i < warmup; i++) await fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await fn();
    samples.push(performance.now() - started);
  }
  return median(samples);
}

/** Times a command to completion through the process seam. */
export function timeCommand(cmd: string, args: readonly string[], runs = 7): Promise<number> {
  return timeIt(() => defaultRunner.run(cmd, args, { env: { NO_COLOR: "1" } }), runs);
}

/** Prints one comparison line: `name: ours X ms, peer Y ms, ratio R× (goal …)`. */
export function report(
  name: string,
  ours: number,
  peer: number,
  peerName: string,
  goal: string,
): number {
  const ratio = ours / peer;
  console.log(
    `${name}: bosun ${ours.toFixed(1)} ms, ${peerName} ${peer.toFixed(1)} ms → ` +
      `${ratio.toFixed(2)}× ${peerName}'s time (goal: ${goal})`,
  );
  return ratio;
}
