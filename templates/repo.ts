/**
 * Repository-level templates: `.sops.yaml`, `.gitignore`, the CI workflow,
 * `deno.json` and the README.
 *
 * @module
 */

import { stringify } from "yaml";
import type { TemplateFile } from "./types.ts";

/** Options for {@linkcode sopsConfigTemplate}. */
export interface SopsConfigOptions {
  /** age recipients. */
  readonly age: readonly string[];
  /** PGP fingerprints. */
  readonly pgp?: readonly string[];
  /** Files the rule applies to. @default "k8s/.*\\.ya?ml$" */
  readonly pathRegex?: string;
}

/**
 * `.sops.yaml`: one creation rule encrypting the `data` and `stringData` of
 * Secrets under `k8s/` for the given recipients.
 *
 * @param options Recipients and path pattern.
 * @returns The file.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { sopsConfigTemplate } from "./repo.ts";
 * assert.ok(sopsConfigTemplate({ age: ["age1xyz"] }).content.includes("age1xyz"));
 * ```
 */
export function sopsConfigTemplate(options: SopsConfigOptions): TemplateFile {
  const rule = {
    path_regex: options.pathRegex ?? "k8s/.*\\.ya?ml$",
    encrypted_regex: "^(data|stringData)$",
    ...(options.age.length ? { age: options.age.join(",") } : {}),
    ...(options.pgp?.length ? { pgp: options.pgp.join(",") } : {}),
  };
  return { path: ".sops.yaml", content: stringify({ creation_rules: [rule] }) };
}

/**
 * `.gitignore` for a Bosun repository: kubeconfigs, decrypted secrets, caches.
 *
 * @returns The file.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { gitignoreTemplate } from "./repo.ts";
 * assert.ok(gitignoreTemplate().content.includes("*.dec.yaml"));
 * ```
 */
export function gitignoreTemplate(): TemplateFile {
  const lines = [
    "# Bosun state and caches",
    ".bosun/",
    "# kubeconfigs and age keys never belong in the repository",
    "kubeconfig",
    "*.kubeconfig",
    "keys.txt",
    "*.agekey",
    "# decrypted secrets",
    "*.dec.yaml",
    "*.dec.json",
    "# packaged charts",
    "*.tgz",
    "",
  ];
  return { path: ".gitignore", content: lines.join("\n") };
}

/** Options for {@linkcode ciWorkflowTemplate}. */
export interface CiWorkflowOptions {
  /** Whether the workflow also creates a cluster and runs `deno task up`. @default true */
  readonly cluster?: boolean;
  /** The distribution, whose CLI the cluster job installs. @default "Kind" */
  readonly distribution?: string;
}

/** How CI installs each distribution's CLI. */
const CLI_INSTALL: Readonly<Record<string, Record<string, unknown>>> = {
  Kind: { name: "Install kind", uses: "helm/kind-action@v1", with: { install_only: true } },
  K3d: {
    name: "Install k3d",
    run: "curl -fsSL https://raw.githubusercontent.com/k3d-io/k3d/main/install.sh | bash",
  },
  Talos: { name: "Install talosctl", run: "curl -fsSL https://talos.dev/install | sh" },
  EKSAnywhere: {
    name: "Install eksctl anywhere",
    run: "brew install aws/tap/eks-anywhere",
  },
};

/**
 * A GitHub Actions workflow: validate the manifests on every push, then create
 * a cluster with `deno task up`, check its status and tear it down.
 *
 * @param options Whether to add the cluster job.
 * @returns The file (`.github/workflows/ci.yaml`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ciWorkflowTemplate } from "./repo.ts";
 * assert.ok(ciWorkflowTemplate().content.includes("deno task validate"));
 * ```
 */
export function ciWorkflowTemplate(options: CiWorkflowOptions = {}): TemplateFile {
  const setup = [
    { uses: "actions/checkout@v4" },
    { uses: "denoland/setup-deno@v2", with: { "deno-version": "v2.x" } },
    { uses: "azure/setup-kubectl@v4" },
    { uses: "azure/setup-helm@v4" },
  ];
  const jobs: Record<string, unknown> = {
    validate: {
      "runs-on": "ubuntu-latest",
      steps: [...setup, { name: "Validate manifests", run: "deno task validate" }],
    },
  };
  if (options.cluster ?? true) {
    jobs.cluster = {
      "runs-on": "ubuntu-latest",
      needs: "validate",
      steps: [
        ...setup,
        CLI_INSTALL[options.distribution ?? "Kind"] ?? CLI_INSTALL.Kind!,
        { name: "Create the cluster", run: "deno task up" },
        { name: "Status", run: "deno task status" },
        { name: "Delete the cluster", if: "always()", run: "deno task down" },
      ],
    };
  }
  const workflow = {
    name: "ci",
    on: { push: { branches: ["main"] }, pull_request: {} },
    jobs,
  };
  return { path: ".github/workflows/ci.yaml", content: stringify(workflow) };
}

/** Options for {@linkcode denoJsonTemplate}. */
export interface DenoJsonOptions {
  /**
   * Where the SDK comes from: `undefined` for JSR, a local checkout path (linked
   * with `links`), or an `http(s)` URL of a checkout's root.
   */
  readonly sdk?: string;
  /** The SDK version range when it comes from JSR. @default "^0.1.0" */
  readonly version?: string;
  /** npm imports the SDK needs when it is loaded from a URL. */
  readonly sdkImports?: Readonly<Record<string, string>>;
  /** The manifests directory. @default "k8s" */
  readonly sourceDirectory?: string;
}

/**
 * `deno.json` whose tasks run the Bosun CLI from the SDK: up, down, status,
 * push, reconcile, validate.
 *
 * @param options Where the SDK comes from.
 * @returns The file.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { denoJsonTemplate } from "./repo.ts";
 * const json = JSON.parse(denoJsonTemplate().content);
 * assert.ok(json.imports["@bosun/sdk"].startsWith("jsr:"));
 * ```
 */
export function denoJsonTemplate(options: DenoJsonOptions = {}): TemplateFile {
  const sdk = options.sdk;
  const range = options.version ?? "^0.1.0";
  let imports: Record<string, string>;
  let links: string[] | undefined;
  if (sdk !== undefined && /^https?:\/\//.test(sdk)) {
    const root = sdk.replace(/\/+$/, "");
    imports = {
      "@bosun/sdk": `${root}/mod.ts`,
      "@bosun/sdk/cli": `${root}/cli.ts`,
      "@bosun/sdk/testing": `${root}/testing.ts`,
      ...options.sdkImports,
    };
  } else {
    imports = {
      "@bosun/sdk": `jsr:@bosun/sdk@${range}`,
      "@bosun/sdk/cli": `jsr:@bosun/sdk@${range}/cli`,
      "@bosun/sdk/testing": `jsr:@bosun/sdk@${range}/testing`,
    };
    if (sdk !== undefined) links = [sdk];
  }
  const cli = "deno run -A @bosun/sdk/cli";
  const tasks = {
    up: `${cli} up`,
    down: `${cli} down`,
    status: `${cli} status`,
    push: `${cli} push`,
    reconcile: `${cli} reconcile`,
    validate: `${cli} validate ${options.sourceDirectory ?? "k8s"}`,
    bosun: cli,
  };
  const json = { tasks, imports, ...(links ? { links } : {}) };
  return { path: "deno.json", content: `${JSON.stringify(json, null, 2)}\n` };
}
