import assert from "node:assert/strict";
import { defaultRunner } from "../../lib/exec/mod.ts";
import { decryptSecret, generateAgeKey } from "../../mod.ts";
import { REPO_ROOT, requirePeers } from "../harness/peers.ts";

const EXAMPLES = `${REPO_ROOT}/examples`;
const scripts = [...Deno.readDirSync(EXAMPLES)].filter((e) => e.isFile && e.name.endsWith(".ts"))
  .map((e) => `${EXAMPLES}/${e.name}`).sort();

Deno.test("every example type-checks against the SDK", async () => {
  assert.ok(scripts.length >= 5);
  await defaultRunner.run(Deno.execPath(), ["check", ...scripts], { cwd: REPO_ROOT });
});

const run = (args: string[], env: Record<string, string> = {}) =>
  defaultRunner.run(Deno.execPath(), ["run", "-A", ...args], { cwd: REPO_ROOT, env });

Deno.test("examples/generate_manifests.ts writes a base that kustomize builds", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await run([`${EXAMPLES}/generate_manifests.ts`, `${dir}/web`]);
    const names = [...Deno.readDirSync(`${dir}/web`)].map((e) => e.name).sort();
    assert.deepEqual(names, [
      "deployment.yaml",
      "ingress.yaml",
      "kustomization.yaml",
      "service.yaml",
    ]);
    const kubectl = await requirePeers("kubectl");
    if (kubectl) {
      const out = await defaultRunner.run(kubectl.kubectl, ["kustomize", `${dir}/web`]);
      assert.match(out.stdout, /kind: Ingress/);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test({
  name: "examples/scaffold_repository.ts scaffolds and validates a repository",
  ignore: !(await requirePeers("kubectl")),
  fn: async () => {
    const kubectl = (await requirePeers("kubectl"))!.kubectl;
    const dir = await Deno.makeTempDir();
    try {
      const out = await run([`${EXAMPLES}/scaffold_repository.ts`, `${dir}/platform`], {
        SOPS_AGE_KEY_FILE: `${dir}/keys.txt`,
        PATH: `${kubectl.slice(0, kubectl.lastIndexOf("/"))}:${Deno.env.get("PATH")}`,
      });
      assert.match(out.stdout, /created +bosun\.yaml/);
      assert.match(out.stdout, /\d+ documents, valid/);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test("examples/encrypt_secret.ts writes a secret only the recipient can read", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const key = await generateAgeKey();
    await run([`${EXAMPLES}/encrypt_secret.ts`, key.recipient, `${dir}/db.yaml`]);
    const text = await Deno.readTextFile(`${dir}/db.yaml`);
    assert.match(text, /password: ENC\[AES256_GCM/);
    const plain = await decryptSecret(`${dir}/db.yaml`, { ageIdentities: [key.identity] });
    assert.match(plain, /password: [0-9a-f-]{36}/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
