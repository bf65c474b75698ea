/**
 * Which rule encryptSecret uses: the options', the matching `.sops.yaml`
 * creation rule's, or — for a Kubernetes Secret that neither covers — only
 * `data`/`stringData`, so the Secret's metadata stays readable for Flux. Each
 * result names the rule; the real sops decrypts what Bosun wrote.
 */

import assert from "node:assert/strict";
import { parse, parseAllDocuments } from "yaml";
import {
  decryptSecret,
  encryptSecret,
  generateAgeKey,
  KUBERNETES_SECRET_REGEX,
  SopsNoMatchingRuleError,
} from "../../lib/sops/mod.ts";
import { requirePeers } from "../harness/peers.ts";
import { sops } from "./_helpers.ts";

const peers = await requirePeers("sops");

const SECRET = [
  "apiVersion: v1",
  "kind: Secret",
  "metadata:",
  "  name: db",
  "  namespace: app",
  "type: Opaque",
  "stringData:",
  "  password: hunter2",
  "data:",
  "  user: YXBw",
  "",
].join("\n");

async function repo(sopsYaml?: string): Promise<string> {
  const root = await Deno.makeTempDir({ prefix: "bosun-encrypt-rule-" });
  await Deno.mkdir(`${root}/k8s/secrets`, { recursive: true });
  await Deno.writeTextFile(`${root}/k8s/secrets/db.yaml`, SECRET);
  if (sopsYaml !== undefined) await Deno.writeTextFile(`${root}/.sops.yaml`, sopsYaml);
  return root;
}

const isEnc = (v: unknown) => typeof v === "string" && v.startsWith("ENC[AES256_GCM");

Deno.test({
  name: "a Kubernetes Secret with keys and no matching rule: only data/stringData are encrypted",
  // sops is only needed for the last step; the rest must still run (and fail) without it.
  fn: async () => {
    const key = await generateAgeKey();
    for (
      const sopsYaml of [undefined, "creation_rules:\n  - path_regex: ^other/.*\n    age: age1x\n"]
    ) {
      const root = await repo(sopsYaml);
      const file = `${root}/k8s/secrets/db.yaml`;
      const result = await encryptSecret(file, { age: [key.recipient] });
      assert.equal(result.written, file);
      assert.equal(result.rule.keys, "options");
      assert.equal(result.rule.valuesFrom, "kubernetes-secret");
      assert.deepEqual(result.rule.selector, {
        name: "encrypted_regex",
        value: KUBERNETES_SECRET_REGEX,
      });
      assert.match(result.rule.description, /Kubernetes Secret default/);
      const doc = parse(await Deno.readTextFile(file));
      assert.equal(doc.apiVersion, "v1");
      assert.equal(doc.kind, "Secret");
      assert.deepEqual(doc.metadata, { name: "db", namespace: "app" }, "Flux reads the metadata");
      assert.equal(doc.type, "Opaque");
      assert.ok(isEnc(doc.stringData.password) && isEnc(doc.data.user));
      assert.equal(doc.sops.encrypted_regex, KUBERNETES_SECRET_REGEX);
      assert.deepEqual(
        parse(await decryptSecret(file, { ageIdentities: [key.identity] })),
        parse(SECRET),
      );
      if (peers) {
        const theirs = await sops(peers.sops, ["decrypt", file], { SOPS_AGE_KEY: key.identity });
        assert.deepEqual(parse(theirs.stdout), parse(SECRET));
      }
      await Deno.remove(root, { recursive: true });
    }
  },
});

Deno.test("a matching creation rule decides, and the result names it", async () => {
  const key = await generateAgeKey();
  const root = await repo(
    `creation_rules:\n  - path_regex: ^nothing/\n    age: ${key.recipient}\n` +
      `  - path_regex: k8s/secrets/.*\\.yaml$\n    encrypted_regex: ^(stringData)$\n    age: ${key.recipient}\n`,
  );
  const file = `${root}/k8s/secrets/db.yaml`;
  const result = await encryptSecret(file);
  assert.equal(result.rule.keys, "creation-rule");
  assert.deepEqual(result.rule.creationRule, {
    configPath: `${root}/.sops.yaml`,
    index: 1,
    pathRegex: "k8s/secrets/.*\\.yaml$",
  });
  assert.equal(result.rule.valuesFrom, "creation-rule");
  assert.deepEqual(result.rule.selector, { name: "encrypted_regex", value: "^(stringData)$" });
  assert.match(
    result.rule.description,
    /^creation rule #2 \(path_regex "k8s\/secrets\/\.\*\\\\\.yaml\$"\) in /,
  );
  const doc = parse(await Deno.readTextFile(file));
  assert.equal(doc.data.user, "YXBw", "the rule encrypts stringData only");
  assert.ok(isEnc(doc.stringData.password));

  // A rule without a selector means every value, as with sops.
  await Deno.writeTextFile(`${root}/.sops.yaml`, `creation_rules:\n  - age: ${key.recipient}\n`);
  await Deno.writeTextFile(file, SECRET);
  const all = await encryptSecret(file);
  assert.equal(all.rule.valuesFrom, "creation-rule");
  assert.equal(all.rule.selector, undefined);
  assert.ok(isEnc(parse(all.content).metadata.name));
  await Deno.remove(root, { recursive: true });
});

Deno.test("options win; files that are not all Secrets keep the sops default; no keys and no rule still fails", async () => {
  const key = await generateAgeKey();
  const root = await repo();
  const file = `${root}/k8s/secrets/db.yaml`;
  const chosen = await encryptSecret(file, {
    data: SECRET,
    age: [key.recipient],
    unencryptedRegex: "^metadata$",
  });
  assert.equal(chosen.written, undefined, "data given: nothing written unless asked");
  assert.equal(chosen.rule.valuesFrom, "options");
  assert.deepEqual(chosen.rule.selector, { name: "unencrypted_regex", value: "^metadata$" });
  assert.ok(isEnc(parse(chosen.content).kind));

  const mixed =
    `${SECRET}---\napiVersion: v1\nkind: ConfigMap\nmetadata: { name: c }\ndata: { a: b }\n`;
  const both = await encryptSecret(file, { data: mixed, age: [key.recipient] });
  assert.equal(both.rule.valuesFrom, "default");
  assert.equal(both.rule.selector, undefined);
  const docs = parseAllDocuments(both.content).map((d) => d.toJS());
  assert.ok(isEnc(docs[1].metadata.name));

  const plain = await encryptSecret(`${root}/app.yaml`, {
    data: "password: hunter2\n",
    age: [key.recipient],
  });
  assert.equal(plain.rule.valuesFrom, "default");
  assert.match(plain.rule.description, /^keys from the options; every value encrypted$/);

  await assert.rejects(() => encryptSecret(file), SopsNoMatchingRuleError);
  await Deno.remove(root, { recursive: true });
});
