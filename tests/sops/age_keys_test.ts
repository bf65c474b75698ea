/**
 * age identities as users keep them, against sops's own age vectors: plain,
 * passphrase-protected (scrypt, `age -p`), ssh-ed25519, post-quantum.
 */

import assert from "node:assert/strict";
import { AgeKeyProvider } from "../../lib/sops/keys/age.ts";
import { SopsKeyProviderError } from "../../lib/sops/errors.ts";
import { VECTORS } from "./_helpers.ts";
import { requirePeers } from "../harness/peers.ts";
import { defaultRunner } from "../../lib/exec/mod.ts";
import type { Runner, RunResult } from "../../lib/exec/mod.ts";

const AGE = `${VECTORS}getsops-sops/keys/age/`;
const MOCK_RECIPIENT = "age1lzd99uklcjnc0e7d860axevet2cz99ce9pq6tzuzd05l5nr28ams36nvun";
const record = async (file: string) => ({
  type: "age" as const,
  recipient: MOCK_RECIPIENT,
  enc: await Deno.readTextFile(`${AGE}${file}`),
});
const text = (b: Uint8Array) => new TextDecoder().decode(b);

Deno.test("the mock-encrypted-key.age vector decrypts with the plain mock identity", async () => {
  const p = new AgeKeyProvider({ env: { SOPS_AGE_KEY_FILE: `${AGE}mock-identities.txt` } });
  assert.equal(text(await p.decrypt(await record("mock-encrypted-key.age"))), "data");
});

Deno.test("a passphrase-protected identity file unlocks with BOSUN_AGE_PASSPHRASE_FILE", async () => {
  const dir = await Deno.makeTempDir();
  await Deno.writeTextFile(`${dir}/pass`, "passphrase\n");
  const p = new AgeKeyProvider({
    env: {
      SOPS_AGE_KEY_FILE: `${AGE}mock-encrypted-identity.age`,
      BOSUN_AGE_PASSPHRASE_FILE: `${dir}/pass`,
      HOME: dir,
    },
  });
  assert.equal(text(await p.decrypt(await record("mock-encrypted-key.age"))), "data");
  assert.deepEqual(await p.identities(), [`age:${MOCK_RECIPIENT}`]);
});

Deno.test("a passphrase-protected identity file without a passphrase: the error says how to give one", async () => {
  const p = new AgeKeyProvider({
    env: { SOPS_AGE_KEY_FILE: `${AGE}mock-encrypted-identity.age`, HOME: "/nonexistent" },
  });
  const err = await p.decrypt(await record("mock-encrypted-key.age")).then(
    () => undefined,
    (e) => e,
  );
  assert.ok(err instanceof SopsKeyProviderError, String(err));
  assert.match(err.message, /mock-encrypted-identity\.age is passphrase-protected/);
  assert.match(err.message, /BOSUN_AGE_PASSPHRASE_FILE/);
});

Deno.test("a wrong passphrase is refused, naming the identity file", async () => {
  const p = new AgeKeyProvider({
    passphrase: "not it",
    env: { SOPS_AGE_KEY_FILE: `${AGE}mock-encrypted-identity.age`, HOME: "/nonexistent" },
  });
  await assert.rejects(
    p.decrypt(await record("mock-encrypted-key.age")),
    (e: Error) =>
      e instanceof SopsKeyProviderError &&
      /mock-encrypted-identity\.age: cannot decrypt the identity file with the given passphrase/
        .test(e.message),
  );
});

Deno.test("the mock ssh-ed25519 vector decrypts with the OpenSSH key", async () => {
  const p = new AgeKeyProvider({
    env: {
      SOPS_AGE_SSH_PRIVATE_KEY_FILE: `${AGE}mock-ssh-ed25519-identity`,
      HOME: "/nonexistent",
    },
  });
  const r = { ...await record("mock-encrypted-ssh-key.age"), recipient: "ssh" };
  assert.equal(text(await p.decrypt(r)), "data");
});

Deno.test("the mock hybrid PQ identity parses to an age1pq1 recipient", async () => {
  const p = new AgeKeyProvider({
    identities: [await Deno.readTextFile(`${AGE}mock-hybrid-pq-identity.txt`)],
  });
  const [r] = await p.identities();
  assert.match(r!, /^age:age1pq1[0-9a-z]+$/);
});

function stubRunner(stdout: string, code = 0, expect = "pass show age"): Runner {
  return {
    run(cmd: string, args: readonly string[]): Promise<RunResult> {
      if (cmd !== "sh" || args[0] !== "-c" || args[1] !== expect) {
        return Promise.reject(new Error(`unexpected run ${cmd} ${args.join(" ")}`));
      }
      return Promise.resolve({
        argv: [cmd, ...args],
        code,
        success: code === 0,
        stdout,
        stderr: "",
        durationMs: 1,
      });
    },
    spawn(): never {
      throw new Error("unexpected spawn");
    },
  };
}

Deno.test("SOPS_AGE_KEY_CMD runs through the Runner and its output is the identity", async () => {
  const ids = await Deno.readTextFile(`${AGE}mock-identities.txt`);
  const p = new AgeKeyProvider({
    runner: stubRunner(ids),
    env: { SOPS_AGE_KEY_CMD: "pass show age", HOME: "/nonexistent" },
  });
  assert.equal(text(await p.decrypt(await record("mock-encrypted-key.age"))), "data");
});

Deno.test("a failing SOPS_AGE_KEY_CMD names the variable and the exit code, never its output", async () => {
  const p = new AgeKeyProvider({
    runner: stubRunner("AGE-SECRET-KEY-1LEAKED", 3),
    env: { SOPS_AGE_KEY_CMD: "pass show age", HOME: "/nonexistent" },
  });
  const err = await p.decrypt(await record("mock-encrypted-key.age")).then(
    () => undefined,
    (e) => e,
  );
  assert.ok(err instanceof SopsKeyProviderError, String(err));
  assert.match(err.message, /SOPS_AGE_KEY_CMD exited with code 3/);
  assert.ok(!err.message.includes("LEAKED"));
});

const ageCli = await requirePeers("age");

Deno.test({
  name:
    "interop with the age CLI (classic keys): age decrypts Bosun's stanza, Bosun decrypts age's",
  ignore: !ageCli,
  fn: async () => {
    const dir = await Deno.makeTempDir();
    await defaultRunner.run("age-keygen", ["-o", `${dir}/k.txt`]);
    const kt = await Deno.readTextFile(`${dir}/k.txt`);
    const recipient = /# public key: (age1\S+)/.exec(kt)![1]!;
    const p = new AgeKeyProvider({ identities: [kt] });
    const enc = await p.encrypt(
      { type: "age", recipient, enc: "" },
      new TextEncoder().encode("dk"),
    );
    await Deno.writeTextFile(`${dir}/ours.age`, enc);
    const theirs = await defaultRunner.run("age", ["-d", "-i", `${dir}/k.txt`, `${dir}/ours.age`]);
    assert.equal(theirs.stdout, "dk");
    await Deno.writeTextFile(`${dir}/plain`, "from-age");
    await defaultRunner.run("age", ["-a", "-r", recipient, "-o", `${dir}/t.age`, `${dir}/plain`]);
    const back = await p.decrypt({
      type: "age",
      recipient,
      enc: await Deno.readTextFile(`${dir}/t.age`),
    });
    assert.equal(text(back), "from-age");
  },
});
