/**
 * One executable for the tools Bosun drives (docker, kind, k3d, talosctl, eksctl); the
 * wrappers next to it pass the tool's name first. The model is `_world.ts`; this file keeps
 * its state in `$BOSUN_STUB_STATE/state.json` and appends every call to
 * `$BOSUN_STUB_STATE/calls.jsonl` (`failed` is true for any non-zero exit, `rejected` for a
 * usage error the real CLI would print, `unsupported` for a real command the model does not
 * answer).
 */

import { emptyState, realIo, runStub, type StubState, UNSUPPORTED } from "./_world.ts";

const dir = Deno.env.get("BOSUN_STUB_STATE");
if (!dir) {
  console.error("BOSUN_STUB_STATE is not set");
  Deno.exit(2);
}
const statePath = `${dir}/state.json`;
const [tool, ...args] = Deno.args;
let state: StubState;
try {
  state = JSON.parse(Deno.readTextFileSync(statePath));
} catch {
  state = emptyState();
}

const result = runStub(state, tool!, args, realIo());
Deno.writeTextFileSync(statePath, JSON.stringify(state, null, 1));
Deno.writeTextFileSync(
  `${dir}/calls.jsonl`,
  JSON.stringify({
    tool,
    args,
    cwd: Deno.cwd(),
    mutating: result.mutating,
    failed: result.code !== 0,
    ...(result.rejected ? { rejected: true } : {}),
    ...(result.code === UNSUPPORTED ? { unsupported: true } : {}),
  }) + "\n",
  { append: true },
);
if (result.stdout) await Deno.stdout.write(new TextEncoder().encode(result.stdout));
if (result.stderr) await Deno.stderr.write(new TextEncoder().encode(result.stderr));
Deno.exit(result.code);
