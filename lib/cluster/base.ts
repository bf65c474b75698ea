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
import { ClusterInputError } from "./errors.ts";
import type {
  ClusterProvider,
  PlannedCommand,
  PlannedFile,
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
      throw new ClusterInputError({
        operation: "create",
        cluster: input.config.metadata.name,
        field: "spec.distributionConfig",
        value: input.nativePath ?? "(inline)",
        reason: `${input.nativePath ?? "the native config"} is not valid YAML: ${
          doc.errors[0]!.message.split("\n")[0]
        }`,
      });
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

/** Base class with the shared behaviour; subclasses supply the distribution specifics. */
export abstract class BaseProvider implements ClusterProvider {
  abstract readonly distribution: Distribution;
  abstract readonly tool: ToolRequirement;
  abstract contextName(cluster: string): string;
  abstract renderConfig(input: ProviderInput): PlannedFile[];
  abstract plan(input: ProviderInput): ProviderPlan;
  abstract planDelete(cluster: string, stateDir: string): PlannedCommand[];
  abstract list(context: ProviderContext): Promise<string[]>;
  abstract kubeconfig(cluster: string, context: ProviderContext): Promise<string>;
  abstract nodeLabels(cluster: string): string[];

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

  /** `docker start` of the node containers that are not running. */
  async start(cluster: string, context: ProviderContext): Promise<void> {
    await this.setNodesRunning(cluster, "start", context);
  }

  /** `docker stop` of the running node containers. */
  async stop(cluster: string, context: ProviderContext): Promise<void> {
    await this.setNodesRunning(cluster, "stop", context);
  }

  /** Starts or stops the node containers found by {@linkcode nodeLabels}. */
  protected async setNodesRunning(
    cluster: string,
    action: "start" | "stop",
    context: ProviderContext,
  ): Promise<string[]> {
    const docker = new Docker(context.runner);
    const nodes = await docker.containers(this.nodeLabels(cluster));
    const names = nodes
      .filter((c) => action === "start" ? c.state !== "running" : c.state === "running")
      .map((c) => c.name)
      .sort();
    if (names.length > 0) await docker.run([action, ...names]);
    return names;
  }
}
