/**
 * Test helpers for users of the SDK: a recording {@linkcode RecordingRunner}
 * to stand in for tools that cannot run in a test (Docker, kind, k3d), and a
 * reporter that collects events.
 *
 * A recording runner answers only the calls its handler answers; any other call
 * throws {@linkcode UnexpectedCallError}, so a test cannot pass while the code
 * under test runs something nobody expected. Opt in to a default answer with
 * `{ fallback: {} }`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { RecordingRunner } from "@bosun/sdk/testing";
 * const runner = new RecordingRunner((cmd, args) =>
 *   cmd === "docker" && args[0] === "ps" ? { stdout: "" } : undefined
 * );
 * await runner.run("docker", ["ps"]);
 * assert.deepEqual(runner.lines, ["docker ps"]);
 * await assert.rejects(runner.run("docker", ["rm", "-f", "dev-registry"]), /unexpected call/);
 * ```
 *
 * @module
 */

export * from "./lib/exec/recording.ts";
export { createJsonReporter, type ReporterEvent } from "./lib/ui/terminal.ts";
