/**
 * `bosun config validate|schema`.
 *
 * @module
 */

import type { Command } from "commander";
import { examples, globals, output } from "./_context.ts";

/** Registers the `config` command group. */
export function registerConfig(program: Command): void {
  const config = examples(
    program.command("config").description("Validate and inspect bosun.yaml"),
    "bosun config validate",
    "bosun config schema > bosun.schema.json",
  );
  config.command("validate [file]")
    .description("Check a config file and list every problem")
    .addHelpText("after", "\nExample:\n  bosun config validate bosun.yaml")
    .action(async (file: string | undefined, _opts: unknown, command: Command) => {
      const { loadConfig } = await import("../config/load.ts");
      const loaded = await loadConfig(file ?? globals(command).config);
      output(
        command,
        { valid: true, path: loaded.path ?? null, config: loaded.config },
        `✓ ${loaded.path ?? "defaults"} is valid`,
      );
    });
  config.command("schema")
    .description("Print the JSON schema of bosun.yaml")
    .addHelpText("after", "\nExample:\n  bosun config schema > bosun.schema.json")
    .action(async () => {
      const { configJsonSchema } = await import("../config/schema.ts");
      console.log(JSON.stringify(configJsonSchema(), null, 2));
    });
}
