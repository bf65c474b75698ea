/**
 * `bosun cluster create|delete|start|stop|list|info`.
 *
 * @module
 */

import type { Command } from "commander";
import { examples, globals, interruptibly, output, reporterFor } from "./_context.ts";

/** Flags that override bosun.yaml. */
interface OverrideFlags {
  readonly distribution?: string;
  readonly name?: string;
  readonly workers?: string;
  readonly controlPlanes?: string;
  readonly dryRun?: boolean;
}

function withOverrides(command: Command): Command {
  return command
    .option(
      "-d, --distribution <name>",
      "Kind, K3d, Talos or EKSAnywhere (overrides spec.distribution)",
    )
    .option("-n, --name <name>", "cluster name (overrides metadata.name)")
    .option("--control-planes <count>", "control-plane nodes (overrides spec.nodes.controlPlanes)")
    .option("--workers <count>", "worker nodes (overrides spec.nodes.workers)")
    .option("--dry-run", "print the plan (exact commands and files) and change nothing");
}

function count(value: string): number | string {
  return /^\d+$/.test(value) ? Number(value) : value;
}

/** Loads bosun.yaml and applies the flags; the result is validated by the cluster functions. */
async function load(command: Command, flags: OverrideFlags) {
  const { loadConfig } = await import("../config/load.ts");
  const loaded = await loadConfig(globals(command).config);
  const c = loaded.config;
  const config = {
    ...c,
    metadata: { ...c.metadata, ...(flags.name !== undefined ? { name: flags.name } : {}) },
    spec: {
      ...c.spec,
      ...(flags.distribution !== undefined ? { distribution: flags.distribution } : {}),
      nodes: {
        ...c.spec.nodes,
        ...(flags.controlPlanes !== undefined ? { controlPlanes: count(flags.controlPlanes) } : {}),
        ...(flags.workers !== undefined ? { workers: count(flags.workers) } : {}),
      },
    },
  };
  // Invalid overrides are reported by validation, naming the field.
  return {
    config: config as unknown as import("../config/mod.ts").BosunConfig,
    baseDir: loaded.baseDir,
  };
}

async function printPlan(
  command: Command,
  flags: OverrideFlags,
  operation: "create" | "delete" | "start" | "stop",
  extra: { deleteVolumes?: boolean } = {},
): Promise<void> {
  const { planCluster, formatPlan } = await import("../cluster/mod.ts");
  const { config, baseDir } = await load(command, flags);
  const plan = await planCluster(config, { operation, baseDir, ...extra });
  output(command, plan, formatPlan(plan));
}

/** Registers the `cluster` command group. */
export function registerCluster(program: Command): void {
  const group = examples(
    program.command("cluster").description(
      "Create, delete, start, stop and inspect the local cluster (Kind, K3d, Talos, EKS Anywhere)",
    ),
    "bosun cluster create --dry-run",
    "bosun cluster create --distribution K3d --workers 2",
    "bosun cluster delete",
  );

  withOverrides(group.command("create"))
    .description(
      "Create the cluster with its local registry and mirrors, or bring an existing one in line",
    )
    .option("--fail-if-exists", "fail instead of reusing the cluster when it exists")
    .addHelpText(
      "after",
      "\nExamples:\n  bosun cluster create\n  bosun cluster create --distribution K3d --workers 2 --dry-run",
    )
    .action(async (flags: OverrideFlags & { failIfExists?: boolean }, command: Command) => {
      if (flags.dryRun) return await printPlan(command, flags, "create");
      const { createCluster } = await import("../cluster/mod.ts");
      const { config, baseDir } = await load(command, flags);
      const reporter = await reporterFor(command);
      const cluster = await interruptibly(
        "bosun cluster delete",
        (runner) =>
          createCluster(config, {
            baseDir,
            reporter,
            runner,
            errorIfExists: flags.failIfExists === true,
          }),
      );
      const { config: _c, ...summary } = cluster;
      output(
        command,
        summary,
        cluster.created
          ? `✓ ${cluster.distribution} cluster "${cluster.name}" is ready (context ${cluster.context})` +
            (cluster.registry
              ? `\n  registry: ${cluster.registry.host} (in cluster: ${cluster.registry.inCluster})`
              : "")
          : cluster.changes.length === 0
          ? `✓ ${cluster.distribution} cluster "${cluster.name}" already exists; nothing to do`
          : `✓ ${cluster.distribution} cluster "${cluster.name}" already existed; ${
            cluster.changes.join("; ")
          }`,
      );
    });

  withOverrides(group.command("delete"))
    .description("Delete the cluster and exactly the Docker resources labelled for it")
    .option("--delete-volumes", "also remove registry volumes (pushed images, mirror caches)")
    .addHelpText("after", "\nExample:\n  bosun cluster delete --delete-volumes")
    .action(async (flags: OverrideFlags & { deleteVolumes?: boolean }, command: Command) => {
      if (flags.dryRun) {
        return await printPlan(command, flags, "delete", {
          deleteVolumes: flags.deleteVolumes === true,
        });
      }
      const { deleteCluster } = await import("../cluster/mod.ts");
      const { config, baseDir } = await load(command, flags);
      const result = await deleteCluster(config, {
        baseDir,
        reporter: await reporterFor(command),
        deleteVolumes: flags.deleteVolumes === true,
      });
      const removed = [
        ...result.removed.containers,
        ...result.removed.networks,
        ...result.removed.volumes,
      ];
      output(
        command,
        result,
        result.deleted
          ? `✓ deleted${removed.length ? ` (also removed ${removed.join(", ")})` : ""}`
          : `✓ no such cluster; nothing to delete${
            removed.length ? ` (removed leftovers: ${removed.join(", ")})` : ""
          }`,
      );
    });

  for (const op of ["start", "stop"] as const) {
    withOverrides(group.command(op))
      .description(
        op === "start"
          ? "Start a stopped cluster and its registries"
          : "Stop the cluster and its registries, keeping them",
      )
      .addHelpText("after", `\nExample:\n  bosun cluster ${op}`)
      .action(async (flags: OverrideFlags, command: Command) => {
        if (flags.dryRun) return await printPlan(command, flags, op);
        const mod = await import("../cluster/mod.ts");
        const { config, baseDir } = await load(command, flags);
        const fn = op === "start" ? mod.startCluster : mod.stopCluster;
        const cluster = await fn(config, { baseDir, reporter: await reporterFor(command) });
        output(
          command,
          { name: cluster.name, distribution: cluster.distribution },
          `✓ ${op === "start" ? "started" : "stopped"} "${cluster.name}"`,
        );
      });
  }

  group.command("list")
    .description("List clusters of every distribution whose CLI is installed")
    .option("-d, --distribution <name>", "only this distribution")
    .addHelpText("after", "\nExample:\n  bosun cluster list --json")
    .action(async (flags: { distribution?: string }, command: Command) => {
      const { listClusters, getProvider } = await import("../cluster/mod.ts");
      const distributions = flags.distribution
        ? [getProvider(flags.distribution).distribution]
        : undefined;
      const clusters = await listClusters({
        reporter: await reporterFor(command),
        ...(distributions ? { distributions } : {}),
      });
      output(
        command,
        clusters,
        clusters.length === 0
          ? "No clusters."
          : clusters.map((c) => `${c.distribution.padEnd(12)} ${c.name.padEnd(20)} ${c.context}`)
            .join("\n"),
      );
    });

  group.command("info")
    .description("Show the cluster's context, node and registry containers")
    .option("-d, --distribution <name>", "overrides spec.distribution")
    .option("-n, --name <name>", "overrides metadata.name")
    .addHelpText("after", "\nExample:\n  bosun cluster info --name dev")
    .action(async (flags: OverrideFlags, command: Command) => {
      const { describeCluster } = await import("../cluster/mod.ts");
      const { config, baseDir } = await load(command, flags);
      const info = await describeCluster(config, { baseDir });
      const lines = [
        `${info.distribution} cluster "${info.name}": ${info.exists ? "exists" : "does not exist"}`,
        `  context:    ${info.context} (${info.kubeconfig})`,
        `  state dir:  ${info.stateDir}`,
        ...info.nodes.map((n) => `  node        ${n.name} (${n.state})`),
        ...info.registries.map((r) => `  ${r.role.padEnd(11)} ${r.name} (${r.state})`),
      ];
      output(command, info, lines.join("\n"));
    });
}

/** Registers the `images` command group: `bosun images load <image…>`. */
export function registerImages(program: Command): void {
  const group = examples(
    program.command("images").description("Side-load images from the local Docker engine"),
    "bosun images load my-app:dev",
  );
  group.command("load")
    .description(
      "Copy images from the local Docker engine into every node of the cluster (Kind, K3d)",
    )
    .argument("<images...>", "image references present in the local Docker engine")
    .option("-d, --distribution <name>", "overrides spec.distribution")
    .option("-n, --name <name>", "overrides metadata.name")
    .addHelpText(
      "after",
      "\nExamples:\n  bosun images load my-app:dev\n  bosun images load my-app:dev sidecar:dev --name dev\n\n" +
        "Talos and EKS Anywhere nodes cannot take local images: push them to the local registry.",
    )
    .action(async (images: string[], flags: OverrideFlags, command: Command) => {
      const { loadImages } = await import("../cluster/mod.ts");
      const { config, baseDir } = await load(command, flags);
      const result = await loadImages(config, images, {
        baseDir,
        reporter: await reporterFor(command),
      });
      output(
        command,
        result,
        `✓ loaded ${result.images.join(", ")} into every node of "${result.cluster}"`,
      );
    });
}
