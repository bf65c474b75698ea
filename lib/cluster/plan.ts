/**
 * Plans: the exact commands and files a lifecycle operation uses, computed
 * without running anything.
 *
 * @module
 */

import type { Distribution } from "../config/mod.ts";
import {
  CLUSTER_LABEL,
  NOTHING_EXISTS,
  registryConnectActions,
  type RegistryContainer,
  registryCreateActions,
  type RegistryObservation,
} from "../registry/mod.ts";
import {
  type ClusterInput,
  type InputOptions,
  providerInput,
  resolveClusterInput,
} from "./_input.ts";
import { getProvider } from "./providers.ts";
import { kubeTargetOf } from "./target.ts";
import type {
  ClusterProvider,
  PlannedCommand,
  PlannedFile,
  PlanStep,
  ProviderInput,
} from "./types.ts";

/** A lifecycle operation that can be planned. */
export type PlannedOperation = "create" | "delete" | "start" | "stop";

/** What an operation would do. */
export interface ClusterPlan {
  /** The operation. */
  readonly operation: PlannedOperation;
  /** The cluster name. */
  readonly cluster: string;
  /** The distribution. */
  readonly distribution: Distribution;
  /** The kubeconfig context. */
  readonly context: string;
  /** The kubeconfig file the context goes into (absolute). */
  readonly kubeconfig: string;
  /** Where generated files go. */
  readonly stateDir: string;
  /** The steps, in order. */
  readonly steps: readonly PlanStep[];
}

/** Options for {@linkcode planCluster}. */
export interface PlanClusterOptions extends InputOptions {
  /** The operation to plan. @default "create" */
  readonly operation?: PlannedOperation;
  /** For delete: also remove registry volumes. @default false */
  readonly deleteVolumes?: boolean;
}

/** The label filter that finds a cluster's Bosun containers. */
function bosunLabel(cluster: string): string {
  return `${CLUSTER_LABEL}=${cluster}`;
}

function docker(title: string, args: readonly string[], undo?: readonly string[]): PlannedCommand {
  return {
    kind: "command",
    title,
    cmd: "docker",
    args,
    ...(undo ? { undo: { cmd: "docker", args: undo } } : {}),
  };
}

/**
 * The create steps: native files, the pre-created network (K3d, Talos: with
 * the provider's `networkOptions`), registry volumes and containers on the
 * cluster network (at the provider's fixed `registryAddresses` where nodes
 * reach registries by address) — before the cluster where Bosun makes the
 * network, after it where the distribution's tool does (Kind, EKS Anywhere) —
 * then attaching registries that already existed to the cluster network.
 * Steps for things that already exist are left out; when the cluster itself
 * exists (`clusterExists`), only the registries it lacks are created and
 * connected.
 */
export function createSteps(
  provider: ClusterProvider,
  input: ProviderInput,
  observed: RegistryObservation,
  networkExists: boolean,
  clusterExists = false,
): (PlannedFile | PlannedCommand)[] {
  const plan = provider.plan(input);
  const name = input.config.metadata.name;
  const registries: readonly RegistryContainer[] = input.registries;
  const steps: (PlannedFile | PlannedCommand)[] = clusterExists ? [] : [...plan.files];
  const early = plan.preCreateNetwork && registries.length > 0;
  if (early && !networkExists && !clusterExists) {
    steps.push(docker(
      `Create network ${plan.network}`,
      [
        "network",
        "create",
        "--label",
        bosunLabel(name),
        ...(plan.networkOptions ?? []),
        plan.network,
      ],
      ["network", "rm", "--force", plan.network],
    ));
  }
  const addresses = plan.registryAddresses;
  // Registries start on the cluster network: before the cluster where Bosun makes that network,
  // else right after the cluster (whose tool makes it). Never on Docker's default bridge first: a
  // pull-through mirror whose upstream is reachable only on the cluster network exits at start.
  const registrySteps = () =>
    registryCreateActions(registries, observed, plan.network, addresses).map((a) =>
      docker(a.title, a.args, a.undo)
    );
  if (early) steps.push(...registrySteps());
  if (!clusterExists) steps.push(...plan.create);
  if (!early) steps.push(...registrySteps());
  // Registries started here are on the network; existing ones are connected if they are not.
  const joined = new Map(observed.networks);
  for (const reg of registries) {
    if (!observed.containers.has(reg.name)) joined.set(reg.name, [plan.network]);
  }
  for (
    const a of registryConnectActions(
      registries,
      plan.network,
      { ...observed, networks: joined },
      addresses,
    )
  ) {
    steps.push(docker(a.title, a.args, a.undo));
  }
  return steps;
}

/**
 * Plans a lifecycle operation without running anything or needing any tool:
 * for `create`, every file with its content and every command with its
 * arguments, as if nothing existed yet.
 *
 * @param input A config or the short form.
 * @param options The operation and file locations.
 * @returns The plan.
 * @throws {ConfigError} The input is invalid (every problem listed, with field paths).
 * @throws {ClusterInputError} The native config cannot be read or merged.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { planCluster } from "@bosun/sdk";
 * const plan = await planCluster({ name: "dev", distribution: "Kind" }, { stateDir: "/tmp/bosun-dev" });
 * assert.ok(plan.steps.some((s) => s.kind === "command" && s.cmd === "kind"));
 * ```
 */
export async function planCluster(
  input: ClusterInput,
  options: PlanClusterOptions = {},
): Promise<ClusterPlan> {
  const config = resolveClusterInput(input);
  const provider = getProvider(config.spec.distribution);
  const pinput = await providerInput(config, options);
  const name = config.metadata.name;
  const { kubeconfig, context } = kubeTargetOf(config, options.baseDir);
  const operation = options.operation ?? "create";
  const steps: PlanStep[] = [];
  const label = bosunLabel(name);
  const nodeFilters = provider.nodeLabels(name).flatMap((l) => ["--filter", `label=${l}`]);
  switch (operation) {
    case "create": {
      steps.push(...createSteps(provider, pinput, NOTHING_EXISTS, false));
      steps.push({
        kind: "action",
        title: `Merge context ${context} into ${kubeconfig}`,
      });
      const local = pinput.registries.find((r) => r.role === "registry");
      if (local) {
        steps.push({
          kind: "action",
          title: `Apply ConfigMap kube-public/local-registry-hosting (localhost:${local.hostPort})`,
        });
      }
      break;
    }
    case "delete":
      steps.push(docker(
        "Remove the cluster's registry containers",
        ["rm", "--force", `$(docker ps --all --quiet --filter label=${label})`],
      ));
      steps.push(...provider.planDelete(name, pinput.stateDir));
      steps.push(docker(
        "Remove the cluster's networks",
        ["network", "rm", `$(docker network ls --quiet --filter label=${label})`],
      ));
      if (options.deleteVolumes) {
        steps.push(docker(
          "Remove the registry volumes",
          ["volume", "rm", `$(docker volume ls --quiet --filter label=${label})`],
        ));
      }
      steps.push({
        kind: "action",
        title: `Remove context ${context} from ${kubeconfig}`,
      });
      break;
    case "start":
    case "stop": {
      const registries = docker(
        `${operation === "start" ? "Start" : "Stop"} the registry containers`,
        [operation, `$(docker ps --all --quiet --filter label=${label})`],
      );
      const nodes: PlannedCommand = config.spec.distribution === "K3d"
        ? {
          kind: "command",
          title: `${operation} K3d cluster`,
          cmd: "k3d",
          args: ["cluster", operation, name],
        }
        : docker(`${operation === "start" ? "Start" : "Stop"} the node containers`, [
          operation,
          `$(docker ps --all --quiet ${nodeFilters.join(" ")})`,
        ]);
      steps.push(...(operation === "start" ? [registries, nodes] : [nodes, registries]));
      break;
    }
  }
  return {
    operation,
    cluster: name,
    distribution: config.spec.distribution,
    context,
    kubeconfig,
    stateDir: pinput.stateDir,
    steps,
  };
}

function shellQuote(arg: string): string {
  if (arg.startsWith("$(")) return arg;
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/**
 * Renders a plan for people: numbered steps, each command as a shell line
 * (with the environment it sets and its time limit) and each file with its
 * full content.
 *
 * @param plan From {@linkcode planCluster}.
 * @returns The text.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatPlan, planCluster } from "@bosun/sdk";
 * const text = formatPlan(await planCluster({ name: "dev", distribution: "K3d" }, { stateDir: "/tmp/b" }));
 * assert.ok(text.includes("k3d cluster create dev --config /tmp/b/k3d.yaml"));
 * ```
 */
export function formatPlan(plan: ClusterPlan): string {
  const lines = [
    `Plan: ${plan.operation} ${plan.distribution} cluster "${plan.cluster}" (context ${plan.context})`,
    "",
  ];
  plan.steps.forEach((step, i) => {
    const n = `${i + 1}.`;
    if (step.kind === "file") {
      lines.push(`${n} write ${step.path}  # ${step.title}`);
      for (const l of step.content.replace(/\n$/, "").split("\n")) lines.push(`     | ${l}`);
    } else if (step.kind === "command") {
      const cd = step.cwd ? `(cd ${shellQuote(step.cwd)} && ` : "";
      const env = Object.entries(step.env ?? {}).map(([k, v]) => `${k}=${shellQuote(v)} `).join("");
      const line = `${env}${step.cmd} ${step.args.map(shellQuote).join(" ")}`;
      const limit = step.timeoutMs === undefined
        ? ""
        : ` (time limit ${formatLimit(step.timeoutMs)})`;
      lines.push(`${n} ${cd}${line}${cd ? ")" : ""}  # ${step.title}${limit}`);
    } else {
      lines.push(`${n} ${step.title}`);
    }
  });
  return lines.join("\n");
}

/** `25 min`, `90 s`. */
function formatLimit(ms: number): string {
  return ms % 60_000 === 0 ? `${ms / 60_000} min` : `${Math.round(ms / 1000)} s`;
}
