/**
 * What every provider shares: running its create plan, its delete commands,
 * and start/stop through the node containers.
 *
 * @module
 */

import type { Distribution } from "../config/mod.ts";
import { parseAllDocuments } from "yaml";
import { Docker } from "../registry/_docker.ts";
import { runPlannedCommand, runSteps } from "./_steps.ts";
import { ClusterError, ClusterInputError } from "./errors.ts";
import type {
  ClusterProvider,
  DistributionCapabilities,
  PlannedCommand,
  PlannedFile,
  ProviderCommand,
  ProviderContext,
  ProviderInput,
  ProviderPlan,
  ToolRequirement,
} from "./types.ts";

/** A plain object from parsed YAML. */
export type Obj = Record<string, unknown>;

/** Whether a value is a plain object. */
export function isObj(value: unknown): value is Obj {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Parses the user's native config into its YAML documents (empty documents dropped). */
export function parseNative(input: ProviderInput): Obj[] {
  if (input.native === undefined) return [];
  const docs = parseAllDocuments(input.native);
  const out: Obj[] = [];
  for (const doc of docs) {
    if (doc.errors.length > 0) {
      throw nativeError(input, `is not valid YAML: ${doc.errors[0]!.message.split("\n")[0]}`);
    }
    const value: unknown = doc.toJS();
    if (value === null || value === undefined) continue;
    if (!isObj(value)) {
      throw nativeError(input, "must be a mapping (a YAML object)");
    }
    out.push(value);
  }
  return out;
}

/** An error about the user's native config file. */
export function nativeError(input: ProviderInput, reason: string): ClusterInputError {
  return new ClusterInputError({
    operation: "create",
    cluster: input.config.metadata.name,
    field: "spec.distributionConfig",
    value: input.nativePath ?? "(inline)",
    reason: `${input.nativePath ?? "the native config"} ${reason}`,
  });
}

/** The Kubernetes version without a leading `v` (`1.34.0`), when set. */
export function bareVersion(version: string | undefined): string | undefined {
  return version?.replace(/^v/, "");
}

/** What {@linkcode BaseProvider.createPlan} puts in a plan besides the create command. */
export interface CreatePlanOptions
  extends
    Pick<ProviderPlan, "network" | "preCreateNetwork" | "networkOptions" | "registryAddresses"> {
  /** The config files. @default renderConfig(input) */
  readonly files?: readonly PlannedFile[];
  /** What undoes the create command. @default the delete command, without its cwd */
  readonly undo?: PlannedCommand["undo"];
}

/** How long a query to a provider's CLI (`kind get clusters`, `k3d kubeconfig get`) may take, in milliseconds. */
export const QUERY_TIMEOUT_MS = 120_000;

/** Base class with the shared behaviour; subclasses supply the distribution specifics. */
export abstract class BaseProvider implements ClusterProvider {
  abstract readonly distribution: Distribution;
  abstract readonly tool: ToolRequirement;
  abstract readonly capabilities: DistributionCapabilities;
  /**
   * How long the create command may run before it is killed and the create
   * fails (and is undone), in milliseconds.
   * @default 15 minutes
   */
  protected readonly createTimeoutMs: number = 15 * 60_000;
  /**
   * How long the delete command may run, in milliseconds.
   * @default 10 minutes
   */
  protected readonly deleteTimeoutMs: number = 10 * 60_000;
  /** The distribution as step titles name it (`Kind`, `EKS Anywhere`). */
  protected abstract readonly title: string;
  abstract contextName(cluster: string): string;
  abstract renderConfig(input: ProviderInput): PlannedFile[];
  abstract plan(input: ProviderInput): ProviderPlan;
  abstract list(context: ProviderContext): Promise<string[]>;
  abstract kubeconfig(cluster: string, context: ProviderContext): Promise<string>;
  abstract nodeLabels(cluster: string): string[];
  /** The command that deletes the cluster. */
  protected abstract deleteCommand(cluster: string, stateDir: string): ProviderCommand;

  /** The delete command, titled `Delete <title> cluster <name>`, with {@linkcode deleteTimeoutMs}. */
  planDelete(cluster: string, stateDir: string): PlannedCommand[] {
    return [{
      kind: "command",
      title: `Delete ${this.title} cluster ${cluster}`,
      timeoutMs: this.deleteTimeoutMs,
      ...this.deleteCommand(cluster, stateDir),
    }];
  }

  /**
   * A plan of the config files, then the one command that creates the cluster, titled
   * `Create <title> cluster <name>`, limited to {@linkcode createTimeoutMs} unless the command
   * sets its own limit, and undone by the delete command unless told otherwise.
   */
  protected createPlan(
    input: ProviderInput,
    command: ProviderCommand,
    options: CreatePlanOptions,
  ): ProviderPlan {
    const name = input.config.metadata.name;
    const remove = () => {
      const { cmd, args } = this.deleteCommand(name, input.stateDir);
      return { cmd, args };
    };
    return {
      files: options.files ?? this.renderConfig(input),
      create: [{
        kind: "command",
        title: `Create ${this.title} cluster ${name}`,
        timeoutMs: this.createTimeoutMs,
        ...command,
        undo: options.undo ?? remove(),
      }],
      network: options.network,
      preCreateNetwork: options.preCreateNetwork,
      ...(options.networkOptions ? { networkOptions: options.networkOptions } : {}),
      ...(options.registryAddresses ? { registryAddresses: options.registryAddresses } : {}),
    };
  }

  /** Whether the cluster is among {@linkcode list}'s names. */
  async exists(cluster: string, context: ProviderContext): Promise<boolean> {
    return (await this.list(context)).includes(cluster);
  }

  /** Writes the native files and runs the create commands. */
  async create(input: ProviderInput, context: ProviderContext): Promise<void> {
    const plan = this.plan(input);
    await runSteps(context.runner, [...plan.files, ...plan.create], { reporter: context.reporter });
  }

  /** Runs the delete commands. */
  async delete(cluster: string, context: ProviderContext): Promise<void> {
    for (const command of this.planDelete(cluster, context.stateDir)) {
      await runPlannedCommand(context.runner, command);
    }
  }

  /**
   * Refuses: nodes of this distribution cannot take images from the local engine. Kind and K3d
   * override it.
   *
   * @throws {ClusterError} Always, naming the registry route.
   */
  loadImages(cluster: string, images: readonly string[], _context: ProviderContext): Promise<void> {
    return Promise.reject(
      new ClusterError({
        operation: "load images into",
        cluster,
        reason: `${this.distribution} nodes cannot take images from the local Docker engine; ` +
          `push them to the local registry instead (docker tag ${images[0] ?? "IMAGE"} ` +
          `localhost:<spec.registry.local.hostPort>/… && docker push …) and refer to them by ` +
          `that name`,
      }),
    );
  }

  /** `docker start` of the node containers that are not running. */
  async start(cluster: string, context: ProviderContext): Promise<void> {
    await this.setNodesRunning(cluster, "start", context);
  }

  /** `docker stop` of the running node containers. */
  async stop(cluster: string, context: ProviderContext): Promise<void> {
    await this.setNodesRunning(cluster, "stop", context);
  }

  /**
   * Where a node container comes in the start order: lower first, then by name.
   * @default 0 for every node
   */
  protected startRank(_labels: Readonly<Record<string, string>>): number {
    return 0;
  }

  /**
   * Starts (in {@linkcode startRank} order) or stops (by name) the node containers
   * found by {@linkcode nodeLabels}.
   */
  protected async setNodesRunning(
    cluster: string,
    action: "start" | "stop",
    context: ProviderContext,
  ): Promise<string[]> {
    const docker = new Docker(context.runner);
    const nodes = await docker.containers(this.nodeLabels(cluster));
    const rank = (labels: Readonly<Record<string, string>>) =>
      action === "start" ? this.startRank(labels) : 0;
    const names = nodes
      .filter((c) => action === "start" ? c.state !== "running" : c.state === "running")
      .sort((a, b) => rank(a.labels) - rank(b.labels) || byName(a.name, b.name))
      .map((c) => c.name);
    if (names.length > 0) await docker.run([action, ...names]);
    return names;
  }
}

/** Code-unit order, as `Array.prototype.sort` orders strings. */
function byName(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
