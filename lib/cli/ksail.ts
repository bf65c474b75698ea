/**
 * `bosun config import ksail.yaml`: convert a KSail config to bosun.yaml.
 * Registered into the `config` group (lib/cli/config.ts) after it exists.
 *
 * @module
 */

import type { Command } from "commander";
import { output } from "./_context.ts";

/** Adds `import` to the `config` command group (creating the group when missing). */
export function registerKsail(program: Command): void {
  const config = program.commands.find((c) => c.name() === "config") ??
    program.command("config").description("Validate and inspect bosun.yaml");
  config.command("import <file>")
    .description("Convert a KSail ksail.yaml (ksail.io/v1alpha1) into bosun.yaml")
    .option("-o, --output <file>", "where to write", "bosun.yaml")
    .option("--force", "replace an existing output file")
    .addHelpText("after", "\nExample:\n  bosun config import ksail.yaml -o bosun.yaml")
    .action(async (file: string, flags: { output: string; force?: boolean }, command: Command) => {
      const { convertKsailConfig } = await import("../scaffold/ksail.ts");
      const { saveConfig } = await import("../config/mod.ts");
      const slash = file.lastIndexOf("/");
      const { config, notes } = await convertKsailConfig(await Deno.readTextFile(file), {
        baseDir: slash < 0 ? "." : file.slice(0, slash) || "/",
      });
      const exists = await Deno.stat(flags.output).then(() => true, () => false);
      if (exists && !flags.force) {
        throw new TypeError(`Refusing to overwrite ${flags.output}: pass --force`);
      }
      await saveConfig(config, flags.output, { replace: true });
      output(
        command,
        { written: flags.output, config, notes },
        [`✓ wrote ${flags.output} from ${file}`, ...notes.map((n) => `  note: ${n}`)].join("\n"),
      );
    });
}
