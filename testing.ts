/**
 * Test helpers for users of the SDK: a recording {@linkcode RecordingRunner}
 * to stand in for tools that cannot run in a test (Docker, kind, k3d), and a
 * reporter that collects events.
 *
 * @example
 * ```ts
 * import { RecordingRunner } from "@bosun/sdk/testing";
 * const runner = new RecordingRunner();
 * await runner.run("docker", ["ps"]);
 * console.assert(runner.lines[0] === "docker ps");
 * ```
 *
 * @module
 */

export * from "./lib/exec/recording.ts";
export { createJsonReporter, type ReporterEvent } from "./lib/ui/terminal.ts";
