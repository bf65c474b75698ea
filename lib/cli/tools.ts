/**
 * `bosun tools list|install|path`: the pinned CLIs Bosun drives, where each
 * one comes from, and fetching them ahead of time (CI images, offline laptops).
 *
 * @module
 */

import type { Command } from "commander";
import { examples, output, reporterFor } from "./_context.ts";

interface ToolsFlags {
  /** `--no-download` sets this to `false`. */
  readonly download?: boolean;
}

function downloadOption(flags: ToolsFlags): { download?: boolean } {
  return flags.download === false ? { download: false } : {};
}

/** Registers the `tools` command group. */
export function registerTools(program: Command): void {
  const tools = examples(
    program.command("tools").description(
      "The pinned kind, k3d, helm, talosctl, kwokctl and eksctl: list, pre-fetch, locate",
    ),
    "bosun tools list",
    "bosun tools install kind helm",
    "BOSUN_OFFLINE=1 bosun tools path kind",
  );
  tools.command("list")
    .description("Print every tool with its version, source (explicit, path, cache) and path")
    .addHelpText(
      "after",
      "\nExamples:\n  bosun tools list\n  bosun tools list --json\n\n" +
        "Nothing is downloaded. Sources: explicit (BOSUN_<TOOL>), path (PATH, recent enough),\n" +
        "cache (~/.cache/bosun/tools/<tool>/<version>/); missing ones say how to get them.",
    )
    .action(async (_opts: unknown, command: Command) => {
      const { listTools } = await import("../tools/mod.ts");
      const rows = await listTools();
      const table = [["TOOL", "VERSION", "SOURCE", "PATH"]];
      for (const r of rows) {
        table.push(
          r.resolved
            ? [r.name, r.resolved.version, r.resolved.source, r.resolved.path]
            : [r.name, r.pinned, "missing", `bosun tools install ${r.name}`],
        );
      }
      const widths = table[0]!.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
      const text = table.map((row) =>
        row.map((cell, i) => i === row.length - 1 ? cell : cell.padEnd(widths[i]!)).join("  ")
      ).join("\n");
      output(
        command,
        rows.map((r) => ({
          name: r.name,
          pinned: r.pinned,
          version: r.resolved?.version ?? null,
          source: r.resolved?.source ?? null,
          path: r.resolved?.path ?? null,
        })),
        text,
      );
    });
  tools.command("install [names...]")
    .description(
      "Resolve the named tools (all when none), downloading or go-installing what is missing",
    )
    .option("--no-download", "use only what is on the machine, the cache and `go install`")
    .addHelpText(
      "after",
      "\nExample:\n  bosun tools install kind helm\n\n" +
        "Downloads are verified against the checksum file of the tool's release; BOSUN_OFFLINE=1\n" +
        "forbids them. HTTPS_PROXY and NO_PROXY are honoured.",
    )
    .action(async (names: string[], flags: ToolsFlags, command: Command) => {
      const { resolveTool, TOOL_CATALOGUE } = await import("../tools/mod.ts");
      const reporter = await reporterFor(command);
      const wanted = names.length > 0 ? names : Object.keys(TOOL_CATALOGUE);
      const done = [];
      for (const name of wanted) {
        done.push(await resolveTool(name, { ...downloadOption(flags), reporter }));
      }
      output(
        command,
        done,
        done.map((t) => `✓ ${t.name} ${t.version} (${t.source}) ${t.path}`).join("\n"),
      );
    });
  tools.command("path <name>")
    .description("Print the path of one tool, fetching it when missing (unless --no-download)")
    .option("--no-download", "use only what is on the machine, the cache and `go install`")
    .addHelpText(
      "after",
      '\nExamples:\n  bosun tools path kind\n  "$(bosun tools path kind)" get clusters',
    )
    .action(async (name: string, flags: ToolsFlags, command: Command) => {
      const { resolveTool } = await import("../tools/mod.ts");
      const tool = await resolveTool(name, { ...downloadOption(flags) });
      output(command, tool, tool.path);
    });
}
