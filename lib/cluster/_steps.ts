/**
 * Runs plan steps and remembers how to undo each one, so a failed create can
 * remove exactly what it made.
 *
 * @module
 */

import type { Runner } from "../exec/mod.ts";
import { writeFileAtomic } from "../fs/mod.ts";
import type { Reporter, Step } from "../ui/mod.ts";
import type { PlannedCommand, PlannedFile } from "./types.ts";

interface Undo {
  readonly title: string;
  readonly run: () => Promise<boolean>;
}

/** Undo actions recorded in order; {@linkcode Ledger.rollback} runs them in reverse. */
export class Ledger {
  readonly #undos: Undo[] = [];

  /** Records how to undo something (before doing it, so half-done work is undone too). */
  push(title: string, run: () => Promise<boolean>): void {
    this.#undos.push({ title, run });
  }

  /** Runs every undo, newest first; never throws. */
  async rollback(): Promise<{ cleanedUp: string[]; failures: string[] }> {
    const cleanedUp: string[] = [];
    const failures: string[] = [];
    for (const undo of [...this.#undos].reverse()) {
      try {
        if (await undo.run()) cleanedUp.push(undo.title);
        else failures.push(undo.title);
      } catch {
        failures.push(undo.title);
      }
    }
    this.#undos.length = 0;
    return { cleanedUp, failures };
  }
}

/** Writes a planned file, creating its directory; records its removal. */
export async function writePlannedFile(file: PlannedFile, ledger?: Ledger): Promise<void> {
  const dir = file.path.slice(0, file.path.lastIndexOf("/"));
  await Deno.mkdir(dir, { recursive: true, mode: 0o700 });
  ledger?.push(`file ${file.path}`, async () => {
    await Deno.remove(file.path).catch(() => {});
    return true;
  });
  await writeFileAtomic(file.path, file.content, { mode: 0o600 });
}

/** Runs a planned command (its cwd, env and time limit); records its undo first. */
export async function runPlannedCommand(
  runner: Runner,
  command: PlannedCommand,
  ledger?: Ledger,
): Promise<string> {
  const undo = command.undo;
  const limit = command.timeoutMs === undefined ? {} : { timeoutMs: command.timeoutMs };
  if (undo && ledger) {
    ledger.push(`${undo.cmd} ${undo.args.join(" ")}`, async () => {
      const out = await runner.run(undo.cmd, undo.args, {
        throwOnError: false,
        ...(command.cwd ? { cwd: command.cwd } : {}),
        ...limit,
      });
      return out.success;
    });
  }
  const out = await runner.run(command.cmd, command.args, {
    ...(command.cwd ? { cwd: command.cwd } : {}),
    ...(command.env ? { env: command.env } : {}),
    ...limit,
  });
  return out.stdout;
}

/** Runs files then commands in order, each inside a reporter step. */
export async function runSteps(
  runner: Runner,
  steps: readonly (PlannedFile | PlannedCommand)[],
  options: { readonly ledger?: Ledger; readonly reporter: Reporter | Step },
): Promise<void> {
  for (const step of steps) {
    const s = options.reporter.step(step.title);
    try {
      if (step.kind === "file") await writePlannedFile(step, options.ledger);
      else await runPlannedCommand(runner, step, options.ledger);
      s.succeed();
    } catch (error) {
      s.fail(error);
      throw error;
    }
  }
}
