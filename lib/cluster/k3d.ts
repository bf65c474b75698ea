/**
 * K3d: `k3d.io/v1alpha5` Simple config generated from bosun.yaml and merged
 * over the user's k3d.yaml.
 *
 * @module
 */

import { parse, stringify } from "yaml";
import { k3sRegistriesYaml } from "../registry/mod.ts";
import {
  BaseProvider,
  isObj,
  nativeError,
  type Obj,
  parseNative,
  QUERY_TIMEOUT_MS,
} from "./base.ts";

/** How long `k3d cluster start|stop` may take (it waits for the servers), in milliseconds. */
const NODES_TIMEOUT_MS = 5 * 60_000;
import type {
  DistributionCapabilities,
  PlannedFile,
  ProviderCommand,
  ProviderContext,
  ProviderInput,
  ProviderPlan,
  ToolRequirement,
} from "./types.ts";

/** The k3s image tag for a Kubernetes version: `v1.34.1` → `rancher/k3s:v1.34.1-k3s1`. */
export function k3sImage(version: string): string {
  const v = version.startsWith("v") ? version : `v${version}`;
  return `rancher/k3s:${/-k3s\d+$/.test(v) ? v : `${v}-k3s1`}`;
}

/** What a k3s cluster (in k3d) bundles and how its nodes behave. */
const K3D_CAPABILITIES: DistributionCapabilities = {
  bundled: {
    cni: { name: "flannel", removable: true },
    metricsServer: true,
    storage: { storageClass: "local-path", provisioner: "rancher.io/local-path" },
    kubeProxy: true,
    loadBalancer: "servicelb",
  },
  registryAccess: "container-name",
  kubeletServingCerts: { signed: true, approverBundled: false },
  network: {
    podCidr: "10.42.0.0/16",
    podCidrsOnNodes: false,
    kubeProxyReplacedByCilium: false,
  },
  nodes: {
    podSecurity: undefined,
    dataDir: "/opt",
    kernelModules: true,
    cgroupRoot: undefined,
    kubeletVolumePluginDir: true,
    packetFilter: "iptables",
    containerIpForwarding: true,
  },
  apiServer: { nodeLocal: undefined, settlesAfterCreate: false },
};

interface ExtraArg extends Obj {
  arg: string;
  nodeFilters?: string[];
}

/**
 * Builds the k3d Simple config: the user's document (when given) with Bosun's
 * settings applied — name, `servers`/`agents`, the pre-created network
 * `k3d-<name>`, flannel and network policy off for Cilium/Calico,
 * `--disable=metrics-server` when Disabled, `registries.config` with the local
 * registry and mirrors (merged with the user's), and a private kubeconfig
 * (Bosun merges the context itself).
 *
 * @param input The provider input.
 * @returns The config object.
 * @throws {ClusterInputError} The user's file is not a k3d Simple config.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { applyDefaults, renderK3dConfig } from "@bosun/sdk";
 * const cfg = renderK3dConfig({ config: applyDefaults({ metadata: { name: "dev" }, spec: { cni: "Cilium" } }), registries: [], routes: [], stateDir: "/tmp/dev" });
 * assert.ok(JSON.stringify(cfg).includes("--flannel-backend=none"));
 * ```
 */
export function renderK3dConfig(input: ProviderInput): Record<string, unknown> {
  const { config } = input;
  const spec = config.spec;
  const docs = parseNative(input);
  if (docs.length > 1) throw nativeError(input, "must hold one k3d Simple document");
  const base: Obj = structuredClone(docs[0] ?? {});
  if (docs.length === 1 && (base.kind !== "Simple" || base.apiVersion !== "k3d.io/v1alpha5")) {
    throw nativeError(input, "is not a k3d config (kind: Simple, apiVersion: k3d.io/v1alpha5)");
  }
  const out: Obj = { ...base, apiVersion: "k3d.io/v1alpha5", kind: "Simple" };
  out.metadata = { ...(isObj(base.metadata) ? base.metadata : {}), name: config.metadata.name };
  out.servers = spec.nodes.controlPlanes;
  out.agents = spec.nodes.workers;
  out.network = `k3d-${config.metadata.name}`;
  if (spec.kubernetesVersion !== undefined) out.image = k3sImage(spec.kubernetesVersion);

  const options: Obj = isObj(base.options) ? { ...base.options } : {};
  const k3s: Obj = isObj(options.k3s) ? { ...options.k3s } : {};
  const extraArgs = (Array.isArray(k3s.extraArgs) ? k3s.extraArgs : []).filter(isObj) as ExtraArg[];
  const want: string[] = [];
  if (spec.cni !== "Default") want.push("--flannel-backend=none", "--disable-network-policy");
  if (spec.metricsServer === "Disabled") want.push("--disable=metrics-server");
  for (const arg of want) {
    if (!extraArgs.some((a) => a.arg === arg)) extraArgs.push({ arg, nodeFilters: ["server:*"] });
  }
  if (extraArgs.length > 0) k3s.extraArgs = extraArgs;
  if (Object.keys(k3s).length > 0) options.k3s = k3s;
  options.kubeconfig = { updateDefaultKubeconfig: false, switchCurrentContext: false };
  out.options = options;

  if (input.routes.length > 0) {
    const registries: Obj = isObj(base.registries) ? { ...base.registries } : {};
    let userConfig: Obj = {};
    if (typeof registries.config === "string" && registries.config.trim() !== "") {
      const parsed: unknown = parse(registries.config);
      if (!isObj(parsed)) throw nativeError(input, "has a registries.config that is not a mapping");
      userConfig = parsed;
    }
    registries.config = k3sRegistriesYaml(input.routes, userConfig);
    out.registries = registries;
  }
  return out;
}

interface K3dClusterJson {
  name?: string;
}

/** The K3d provider: drives `k3d`. */
export class K3dProvider extends BaseProvider {
  /** `K3d`. */
  readonly distribution: "K3d" = "K3d";
  /** k3d 5.6 or newer (v1alpha5 configs). */
  readonly tool: ToolRequirement = {
    name: "k3d",
    minVersion: "5.6.0",
    versionArgs: ["version"],
    versionPattern: /k3d version v(\d+\.\d+\.\d+)/,
  };
  /** `K3d`. */
  protected readonly title = "K3d";
  /**
   * k3s bundles flannel (removable: `--flannel-backend=none`), kube-proxy,
   * metrics-server, local-path storage (`local-path`) and ServiceLB; its
   * kubelets' serving certificates are signed by the k3s server CA. The pod
   * CIDR is k3s's `10.42.0.0/16` (no kubeadm config to read it from), and its
   * containers need IP forwarding from the CNI.
   */
  readonly capabilities: DistributionCapabilities = K3D_CAPABILITIES;

  /** `k3d-<cluster>`. */
  contextName(cluster: string): string {
    return `k3d-${cluster}`;
  }

  /** Node containers carry `k3d.cluster=<name>`. */
  nodeLabels(cluster: string): string[] {
    return [`k3d.cluster=${cluster}`];
  }

  /** k3d.yaml. */
  renderConfig(input: ProviderInput): PlannedFile[] {
    return [{
      kind: "file",
      title: "Write k3d config",
      path: `${input.stateDir}/k3d.yaml`,
      content: stringify(renderK3dConfig(input)),
    }];
  }

  /** Network `k3d-<name>` first (mirrors are wired before the nodes boot), then `k3d cluster create`. */
  plan(input: ProviderInput): ProviderPlan {
    const name = input.config.metadata.name;
    return this.createPlan(input, {
      cmd: "k3d",
      args: ["cluster", "create", name, "--config", `${input.stateDir}/k3d.yaml`],
    }, { network: `k3d-${name}`, preCreateNetwork: true });
  }

  /** `k3d cluster delete <name>`. */
  protected deleteCommand(cluster: string): ProviderCommand {
    return { cmd: "k3d", args: ["cluster", "delete", cluster] };
  }

  /** `k3d cluster list --output json`. */
  async list(context: ProviderContext): Promise<string[]> {
    const out = await context.runner.run("k3d", ["cluster", "list", "--output", "json"], {
      timeoutMs: QUERY_TIMEOUT_MS,
    });
    const data: unknown = JSON.parse(out.stdout.trim() || "[]");
    return Array.isArray(data)
      ? (data as K3dClusterJson[]).map((c) => c.name).filter((n): n is string => !!n)
      : [];
  }

  /** `k3d kubeconfig get <name>`. */
  async kubeconfig(cluster: string, context: ProviderContext): Promise<string> {
    return (await context.runner.run("k3d", ["kubeconfig", "get", cluster], {
      timeoutMs: QUERY_TIMEOUT_MS,
    })).stdout;
  }

  /** `k3d cluster start <name>`. */
  override async start(cluster: string, context: ProviderContext): Promise<void> {
    await context.runner.run("k3d", ["cluster", "start", cluster], { timeoutMs: NODES_TIMEOUT_MS });
  }

  /** `k3d cluster stop <name>`. */
  override async stop(cluster: string, context: ProviderContext): Promise<void> {
    await context.runner.run("k3d", ["cluster", "stop", cluster], { timeoutMs: NODES_TIMEOUT_MS });
  }

  /** `k3d image import <image…> --cluster <cluster>`: into every node. */
  override async loadImages(
    cluster: string,
    images: readonly string[],
    context: ProviderContext,
  ): Promise<void> {
    await context.runner.run("k3d", ["image", "import", ...images, "--cluster", cluster], {
      timeoutMs: 600_000,
    });
  }
}
