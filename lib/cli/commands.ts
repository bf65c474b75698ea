/**
 * The command groups of `bosun`. Each group lives in its own file and loads
 * its heavy modules lazily, inside its actions.
 *
 * @module
 */

import type { Command } from "commander";
import { registerComponents } from "./components.ts";
import { registerConfig } from "./config.ts";
import { registerGen } from "./gen.ts";
import { registerInit } from "./init.ts";
import { registerValidate } from "./validate.ts";
import { registerWorkflows } from "./workflows.ts";
import { registerCompletions } from "./completions.ts";
import { registerKsail } from "./ksail.ts";
import { registerGitOps } from "./gitops.ts";
import { registerCluster, registerImages } from "./cluster.ts";
import { registerSecrets } from "./secrets.ts";
import { registerTools } from "./tools.ts";

/** Adds command groups to the program. */
export type RegisterCommands = (program: Command) => void;

/** Every command group, in the order `bosun --help` lists them. */
export const COMMAND_GROUPS: readonly RegisterCommands[] = [
  registerConfig,
  registerCluster,
  registerImages,
  registerComponents,
  registerGen,
  registerInit,
  registerValidate,
  registerWorkflows,
  registerGitOps,
  registerSecrets,
  registerTools,
  registerKsail,
  registerCompletions,
];
