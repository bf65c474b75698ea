/**
 * Where each real test peer (kube-apiserver, etcd, helm, sops, …) lives and how to get it.
 *
 * - Go-built peers come from the tool modules under `tools/` and are cached by
 *   `tools/build-peers.sh` under `$BOSUN_PEERS_CACHE` (default `~/.cache/bosun/peers`)
 *   as `<group>-<version>/bin/<name>`; the version is read from the committed go.mod.
 * - helm and kubectl come from an npm package (`kubectl-layer` group of the same script).
 * - age, age-keygen, gpg and docker-registry come from Debian packages (on PATH).
 * - `BOSUN_PEER_<NAME>` (for example `BOSUN_PEER_KUBE_APISERVER`) overrides any path.
 *
 * @module
 */

import { defaultRunner, isExecutable, type Runner, which } from "../../lib/exec/mod.ts";
import { type Reporter, silentReporter } from "../../lib/ui/mod.ts";

/** Every peer the harness knows. */
export const PEER_NAMES = [
  "kube-apiserver",
  "kube-controller-manager",
  "kube-scheduler",
  "etcd",
  "kwok",
  "helm",
  "kubectl",
  "sops",
  "oras",
  "age",
  "age-keygen",
  "gpg",
  "docker-registry",
  "moto_server",
  "zsh",
  "fish",
] as const;

/** The name of a real peer program. */
export type PeerName = typeof PEER_NAMES[number];

/** How a peer is obtained. */
type Source =
  | {
    readonly kind: "build";
    readonly group: string;
    readonly dir: string;
    readonly module: string;
  }
  | { readonly kind: "npm"; readonly group: string }
  | { readonly kind: "pip"; readonly group: string }
  | { readonly kind: "apt"; readonly pkg: string };

const K8S = {
  kind: "build",
  group: "kubernetes",
  dir: "k8s",
  module: "k8s.io/kubernetes",
} as const;
const LAYER = { kind: "npm", group: "kubectl-layer" } as const;

const SOURCES: Readonly<Record<PeerName, Source>> = {
  "kube-apiserver": K8S,
  "kube-controller-manager": K8S,
  "kube-scheduler": K8S,
  etcd: { kind: "build", group: "etcd", dir: "etcd", module: "go.etcd.io/etcd/server/v3" },
  kwok: { kind: "build", group: "kwok", dir: "kwok", module: "sigs.k8s.io/kwok" },
  sops: { kind: "build", group: "sops", dir: "sops", module: "github.com/getsops/sops/v3" },
  oras: { kind: "build", group: "oras", dir: "oras", module: "oras.land/oras" },
  helm: LAYER,
  kubectl: LAYER,
  age: { kind: "apt", pkg: "age" },
  "age-keygen": { kind: "apt", pkg: "age" },
  gpg: { kind: "apt", pkg: "gnupg" },
  "docker-registry": { kind: "apt", pkg: "docker-registry" },
  moto_server: { kind: "pip", group: "moto" },
  zsh: { kind: "apt", pkg: "zsh" },
  fish: { kind: "apt", pkg: "fish" },
};

/** Which test groups each peer gates, for the "could not run" summary. */
const TEST_GROUPS: Readonly<Record<string, readonly PeerName[]>> = {
  "live cluster tests (api mode)": ["kube-apiserver", "etcd"],
  "live cluster tests (full mode)": [
    "kube-apiserver",
    "etcd",
    "kube-controller-manager",
    "kube-scheduler",
    "kwok",
  ],
  "registry tests": ["docker-registry", "oras"],
  "helm tests": ["helm"],
  "kubectl tests": ["kubectl"],
  "sops interop tests": ["sops", "age", "age-keygen", "gpg"],
  "AWS KMS emulator tests": ["moto_server"],
  "shell completion tests": ["zsh", "fish"],
};

/** Raised when a required peer is missing under `CI=true`, or cannot be provisioned there. */
export class PeerMissingError extends Error {
  /** The peers that are missing. */
  readonly peers: readonly string[];
  /** How to get them. */
  readonly hint: string;

  /**
   * @param peers The missing peers.
   * @param hint How to provision them.
   */
  constructor(peers: readonly string[], hint: string) {
    super(`Cannot run the tests that need ${peers.join(", ")}: not installed. ${hint}`);
    this.name = "PeerMissingError";
    this.peers = peers;
    this.hint = hint;
  }
}

/** The repository root (two levels above this file). */
export const REPO_ROOT: string = new URL("../../", import.meta.url).pathname.replace(/\/$/, "");

/** The peers cache directory. */
export function peersCacheDir(): string {
  const home = Deno.env.get("HOME") ?? "/tmp";
  return Deno.env.get("BOSUN_PEERS_CACHE") ?? `${home}/.cache/bosun/peers`;
}

/** True when running under CI (`CI=true`). */
export function isCI(): boolean {
  return Deno.env.get("CI") === "true";
}

const versionCache = new Map<string, string>();

/**
 * The version a Go tool module pins (read from tools/<dir>/go.mod, no Go needed) or the npm
 * layer version (read from tools/build-peers.sh).
 *
 * @param name A peer name.
 * @returns The version, or `undefined` for Debian peers.
 */
export function peerVersion(name: PeerName): string | undefined {
  const src = SOURCES[name];
  if (src.kind === "apt") return undefined;
  const key = src.kind === "build" ? `${src.dir}:${src.module}` : src.group;
  const hit = versionCache.get(key);
  if (hit !== undefined) return hit;
  let version: string | undefined;
  if (src.kind === "build") {
    const text = Deno.readTextFileSync(`${REPO_ROOT}/tools/${src.dir}/go.mod`);
    const escaped = src.module.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
    const m = new RegExp(`^\\s*(?:require\\s+)?${escaped}\\s+(v\\S+)`, "m").exec(text);
    version = m?.[1];
  } else {
    const text = Deno.readTextFileSync(`${REPO_ROOT}/tools/build-peers.sh`);
    const variable = src.kind === "pip" ? "MOTO_VERSION" : "KUBECTL_LAYER_VERSION";
    version = new RegExp(`^${variable}=(\\S+)`, "m").exec(text)?.[1];
  }
  if (version === undefined) throw new TypeError(`Cannot find the pinned version of ${name}`);
  versionCache.set(key, version);
  return version;
}

/** The directory holding a cached group's binaries (it may not exist yet). */
function groupBinDir(group: string, version: string): string {
  return `${peersCacheDir()}/${group}-${version}/bin`;
}

/** The cache directory of a built peer group (`…/<group>-<version>`), or undefined for Debian peers. */
export function peerGroupDir(name: PeerName): string | undefined {
  const src = SOURCES[name];
  if (src.kind === "apt") return undefined;
  return `${peersCacheDir()}/${src.group}-${peerVersion(name)}`;
}

/**
 * Finds a peer: `BOSUN_PEER_<NAME>`, then the version-keyed cache, then PATH.
 *
 * @param name The peer.
 * @returns Its absolute path, or `undefined` when it is not installed.
 */
export async function peerPath(name: PeerName): Promise<string | undefined> {
  const override = Deno.env.get(`BOSUN_PEER_${name.toUpperCase().replaceAll("-", "_")}`);
  if (override) return await isExecutable(override) ? override : undefined;
  const src = SOURCES[name];
  if (src.kind !== "apt") {
    const cached = `${groupBinDir(src.group, peerVersion(name)!)}/${name}`;
    if (await isExecutable(cached)) {
      // kwok also needs its stage file next to the binary.
      if (name !== "kwok" || await exists(`${peerGroupDir(name)}/stages.yaml`)) return cached;
    }
    // Control-plane binaries must be the pinned build: never take another version from PATH.
    if (src.kind === "build" && src.group !== "sops" && src.group !== "oras") return undefined;
    // moto is pinned too: a stray global install could be any version.
    if (src.kind === "pip") return undefined;
  }
  return await which(name);
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}

function howToGet(names: readonly PeerName[]): string {
  const build = new Set<string>();
  const apt = new Set<string>();
  for (const n of names) {
    const s = SOURCES[n];
    if (s.kind === "apt") apt.add(s.pkg);
    else build.add(s.group);
  }
  const parts: string[] = [];
  if (build.size) parts.push(`run tools/build-peers.sh ${[...build].join(" ")}`);
  if (apt.size) parts.push(`apt-get install ${[...apt].join(" ")}`);
  return `Provision with \`deno task test\` (it installs missing peers) or ${parts.join(" and ")}.`;
}

/**
 * Resolves the peers a test needs. Outside CI a missing peer prints why and yields `undefined`
 * (the caller ignores its tests); under `CI=true` it throws.
 *
 * @param names The peers needed.
 * @returns Their paths by name, or `undefined` when one is missing (outside CI).
 * @throws {PeerMissingError} Under `CI=true` when a peer is missing.
 *
 * @example
 * ```ts ignore
 * const peers = await requirePeers("sops", "age");
 * Deno.test({ name: "sops decrypts", ignore: !peers, fn: async () => {} });
 * ```
 */
export async function requirePeers<N extends PeerName>(
  ...names: N[]
): Promise<Record<N, string> | undefined> {
  const found: Partial<Record<N, string>> = {};
  const missing: N[] = [];
  for (const n of names) {
    const p = await peerPath(n);
    if (p === undefined) missing.push(n);
    else found[n] = p;
  }
  if (missing.length === 0) return found as Record<N, string>;
  const error = new PeerMissingError(missing, howToGet(missing));
  if (isCI()) throw error;
  console.warn(`[peers] skipping tests: ${error.message}`);
  return undefined;
}

/** What {@linkcode provisionPeers} achieved. */
export interface ProvisionResult {
  /** Peers available afterwards, with their paths. */
  readonly available: Readonly<Partial<Record<PeerName, string>>>;
  /** Peers still missing, with the reason. */
  readonly missing: readonly { readonly name: PeerName; readonly reason: string }[];
  /** Test groups that cannot run, with the peers they lack. */
  readonly blockedGroups: readonly string[];
}

/** Options for {@linkcode provisionPeers}. */
export interface ProvisionOptions {
  /** Progress output. @default silentReporter */
  readonly reporter?: Reporter;
  /** Process runner. @default defaultRunner */
  readonly runner?: Runner;
  /** Only these peers. @default all of {@linkcode PEER_NAMES} */
  readonly names?: readonly PeerName[];
  /** Throw when a peer cannot be provisioned. @default CI=true */
  readonly strict?: boolean;
}

async function findGo(): Promise<string | undefined> {
  const envGo = Deno.env.get("GO");
  if (envGo && await isExecutable(envGo)) return envGo;
  return await which("go") ??
    (await isExecutable("/usr/local/go/bin/go") ? "/usr/local/go/bin/go" : undefined);
}

/**
 * Installs or builds every missing peer: Debian packages with apt-get (when root), Go peers
 * with tools/build-peers.sh, helm/kubectl from npm. Reuses the caches; says what it does.
 *
 * @param options Reporter, runner, subset and strictness.
 * @returns What is available and what is not (and which test groups that blocks).
 * @throws {PeerMissingError} When `strict` (default under CI) and a peer cannot be provisioned.
 *
 * @example
 * ```ts ignore
 * const result = await provisionPeers({ reporter });
 * ```
 */
export async function provisionPeers(options: ProvisionOptions = {}): Promise<ProvisionResult> {
  const reporter = options.reporter ?? silentReporter;
  const runner = options.runner ?? defaultRunner;
  const names = options.names ?? PEER_NAMES;
  const strict = options.strict ?? isCI();
  const reasons = new Map<PeerName, string>();

  const missingNow = async () => {
    const out: PeerName[] = [];
    for (const n of names) if (await peerPath(n) === undefined) out.push(n);
    return out;
  };
  const initial = await missingNow();

  // Debian packages.
  const aptPkgs = [
    ...new Set(initial.flatMap((n) => {
      const s = SOURCES[n];
      return s.kind === "apt" ? [s.pkg] : [];
    })),
  ];
  if (aptPkgs.length) {
    const aptGet = await which("apt-get");
    const why = aptGet === undefined
      ? "apt-get is not available"
      : Deno.uid() !== 0
      ? "not root, so apt-get cannot install"
      : undefined;
    if (why === undefined) {
      const step = reporter.step(`Installing Debian packages: ${aptPkgs.join(" ")}`);
      try {
        const env = { DEBIAN_FRONTEND: "noninteractive" };
        await runner.run("apt-get", ["update", "-qq"], { env, timeoutMs: 600_000 });
        await runner.run("apt-get", ["install", "-y", "-qq", ...aptPkgs], {
          env,
          timeoutMs: 900_000,
        });
        step.succeed();
      } catch (e) {
        step.fail(e);
        for (const n of initial) {
          if (SOURCES[n].kind === "apt") reasons.set(n, `apt-get failed: ${e}`);
        }
      }
    } else {
      for (const n of initial) {
        const s = SOURCES[n];
        if (s.kind === "apt") reasons.set(n, `${why} (apt-get install ${s.pkg})`);
      }
    }
  }

  // Built (Go) and npm groups, through the one build script.
  const groups = [
    ...new Set(initial.flatMap((n) => {
      const s = SOURCES[n];
      return s.kind === "apt" ? [] : [s.group];
    })),
  ];
  const go = await findGo();
  const npm = await which("npm");
  const bash = await which("bash");
  const runnable = groups.filter((g) => {
    const needsGo = g !== LAYER.group && g !== "moto";
    const why = bash === undefined
      ? "bash is not available"
      : needsGo && go === undefined
      ? "Go is not installed (needed to build it from tools/)"
      : g === LAYER.group && npm === undefined
      ? "npm is not installed (needed to fetch helm/kubectl)"
      : undefined;
    if (why !== undefined) {
      for (const n of initial) {
        const s = SOURCES[n];
        if (s.kind !== "apt" && s.group === g) reasons.set(n, why);
      }
    }
    return why === undefined;
  });
  for (const g of runnable) {
    const step = reporter.step(`Building test peer group ${g} (cached under ${peersCacheDir()})`);
    const started = performance.now();
    try {
      await runner.run(bash!, [`${REPO_ROOT}/tools/build-peers.sh`, g], {
        env: go ? { GO: go } : {},
      });
      step.succeed(`${Math.round((performance.now() - started) / 1000)} s`);
    } catch (e) {
      step.fail(e);
      for (const n of initial) {
        const s = SOURCES[n];
        if (s.kind !== "apt" && s.group === g) reasons.set(n, `build failed: ${e}`);
      }
    }
  }

  const available: Partial<Record<PeerName, string>> = {};
  const missing: { name: PeerName; reason: string }[] = [];
  for (const n of names) {
    const p = await peerPath(n);
    if (p !== undefined) available[n] = p;
    else missing.push({ name: n, reason: reasons.get(n) ?? "still missing after provisioning" });
  }
  const blockedGroups = Object.entries(TEST_GROUPS)
    .filter(([, need]) => need.some((n) => missing.some((m) => m.name === n)))
    .map(([group, need]) =>
      `${group}: missing ${need.filter((n) => missing.some((m) => m.name === n)).join(", ")}`
    );
  if (missing.length) {
    for (const m of missing) reporter.log("warn", `peer ${m.name} unavailable: ${m.reason}`);
    for (const g of blockedGroups) reporter.log("warn", `will not run ${g}`);
    if (strict) {
      throw new PeerMissingError(
        missing.map((m) => m.name),
        missing.map((m) => `${m.name}: ${m.reason}`).join("; "),
      );
    }
  }
  return { available, missing, blockedGroups };
}
