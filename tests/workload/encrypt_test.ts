import assert from "node:assert/strict";
import { parse } from "yaml";
import { defaultRunner } from "../../lib/exec/mod.ts";
import { validateManifests } from "../../lib/workload/mod.ts";
import { REPO_ROOT, requirePeers } from "../harness/peers.ts";

const peers = await requirePeers("sops", "kubectl");

Deno.test({
  name:
    "bosun gen secret --encrypt follows .sops.yaml; the real sops decrypts it; validate accepts it",
  ignore: !peers,
  fn: async () => {
    const parent = await Deno.makeTempDir({ prefix: "bosun-gen-enc-" });
    const env = { SOPS_AGE_KEY_FILE: `${parent}/keys/keys.txt` };
    const cli = ["run", "-A", `${REPO_ROOT}/cli.ts`];
    try {
      await defaultRunner.run(Deno.execPath(), [...cli, "init", `${parent}/repo`, "-q"], { env });
      const file = "k8s/apps/base/hello/db.yaml";
      await defaultRunner.run(Deno.execPath(), [
        ...cli,
        "gen",
        "secret",
        "db",
        "--from-literal",
        "password=s3cret",
        "--encrypt",
        "-o",
        file,
      ], { cwd: `${parent}/repo`, env });
      const text = await Deno.readTextFile(`${parent}/repo/${file}`);
      assert.doesNotMatch(text, /s3cret/);
      assert.ok(parse(text).sops.age.length === 1);
      const plain = await defaultRunner.run(peers!.sops, ["-d", `${parent}/repo/${file}`], { env });
      assert.equal(parse(plain.stdout).stringData.password, "s3cret");

      const kustomization = `${parent}/repo/k8s/apps/base/hello/kustomization.yaml`;
      const k = parse(await Deno.readTextFile(kustomization));
      k.resources.push("db.yaml");
      await Deno.writeTextFile(kustomization, JSON.stringify(k));
      const report = await validateManifests(`${parent}/repo/k8s`, {
        mode: "offline",
        kubectl: peers!.kubectl,
      });
      assert.deepEqual(report.problems, []);
      assert.ok(report.encrypted >= 1);
    } finally {
      await Deno.remove(parent, { recursive: true });
    }
  },
});
