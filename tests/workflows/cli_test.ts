import assert from "node:assert/strict";
import type { Command } from "commander";
import { createProgram } from "../../lib/cli/program.ts";
import { completionScript } from "../../lib/cli/completions.ts";
import { defaultRunner, which } from "../../lib/exec/mod.ts";
import { requirePeers } from "../harness/peers.ts";

function all(command: Command): Command[] {
  return command.commands.flatMap((c) => [c, ...all(c)]);
}

function helpOf(command: Command): string {
  let text = "";
  command.configureOutput({ writeOut: (s) => text += s, writeErr: (s) => text += s });
  command.outputHelp();
  return text;
}

Deno.test("every bosun command has --help with an example", () => {
  const program = createProgram();
  const missing = all(program)
    .filter((c) => c.name() !== "help")
    .filter((c) => !/Examples?:\n {2}bosun /.test(helpOf(c)))
    .map((c) => {
      const path: string[] = [];
      for (let x: Command | null = c; x && x.parent; x = x.parent) path.unshift(x.name());
      return path.join(" ");
    });
  assert.deepEqual(missing, []);
});

Deno.test("completion scripts cover every command for bash, zsh and fish", () => {
  const program = createProgram();
  const names = all(program).map((c) => c.name()).filter((n) => n !== "help");
  for (const shell of ["bash", "zsh", "fish"]) {
    const script = completionScript(program, shell);
    for (const name of names) assert.ok(script.includes(name), `${shell} lacks ${name}`);
  }
  assert.throws(() => completionScript(program, "tcsh"), /Unknown shell "tcsh"/);
});

Deno.test("the bash completion completes commands, nested commands and flag values", async () => {
  const bash = await which("bash");
  assert.ok(bash, "bash is on PATH");
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/bosun.bash`, completionScript(createProgram(), "bash"));
    const probe = `source ${dir}/bosun.bash
t() { COMP_WORDS=("$@"); COMP_CWORD=$((\${#COMP_WORDS[@]}-1)); _bosun; echo "\${COMPREPLY[*]}"; }
t bosun in
t bosun gen helmr
t bosun init x --gitops ''
t bosun gen deployment web --rep
`;
    const out = await defaultRunner.run(bash!, ["-c", probe]);
    assert.deepEqual(out.stdout.trim().split("\n"), [
      "init",
      "helmrelease helmrepository",
      "None Flux ArgoCD",
      "--replicas",
    ]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

const shells = await requirePeers("zsh", "fish");
for (const shell of ["zsh", "fish"] as const) {
  const path = shells?.[shell];
  Deno.test({
    name: `the ${shell} completion script parses with the real ${shell}`,
    ignore: path === undefined,
    fn: async () => {
      const dir = await Deno.makeTempDir();
      try {
        const file = `${dir}/bosun.${shell}`;
        await Deno.writeTextFile(file, completionScript(createProgram(), shell));
        await defaultRunner.run(path!, ["-n", file]);
      } finally {
        await Deno.remove(dir, { recursive: true });
      }
    },
  });
}
