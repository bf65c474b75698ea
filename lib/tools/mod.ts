/**
 * Tools on demand: the pinned, checksum-verified kind, k3d, helm, talosctl,
 * kwokctl and eksctl Bosun drives, found on the machine or fetched into
 * `~/.cache/bosun/tools/<tool>/<version>/`.
 *
 * @example Where a tool would come from
 * ```ts
 * import assert from "node:assert/strict";
 * import { artifactFor, TOOL_CATALOGUE, toolEnvVar } from "@bosun/sdk";
 * assert.equal(toolEnvVar("talosctl"), "BOSUN_TALOSCTL");
 * const helm = artifactFor(TOOL_CATALOGUE.helm!, "darwin/arm64");
 * assert.equal(helm?.member, "darwin-arm64/helm");
 * ```
 *
 * @module
 */

export * from "./catalogue.ts";
export * from "./errors.ts";
export {
  checksumFor,
  type DownloadOptions,
  downloadTool,
  type DownloadToolOptions,
  removeLeftovers,
  withFileLock,
} from "./download.ts";
export * from "./resolve.ts";
