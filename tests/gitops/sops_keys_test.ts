/**
 * Which age identities reach flux-system/sops-age: only those of spec.sops.age's recipients.
 */
import assert from "node:assert/strict";
import { applyDefaults } from "../../lib/config/mod.ts";
import { GitOpsConfigError } from "../../lib/gitops/mod.ts";
import { findAgeKeys } from "../../lib/gitops/_sops.ts";
import { decryptSecret, encryptSecret, generateAgeKey } from "../../lib/sops/mod.ts";

function configFor(age: readonly string[]) {
  return applyDefaults({ metadata: { name: "keys" }, spec: { sops: { age: [...age] } } });
}

Deno.test("sops-age: of two identities in the key file only the configured recipient's is kept", async () => {
  const mine = await generateAgeKey();
  const other = await generateAgeKey();
  const dir = await Deno.makeTempDir();
  try {
    const file = `${dir}/keys.txt`;
    await Deno.writeTextFile(file, other.fileText + mine.fileText);
    const keys = await findAgeKeys(configFor([mine.recipient]), { sopsAgeKeyFile: file });
    assert.ok(keys);
    assert.ok(keys.includes(mine.identity), "the configured identity is uploaded");
    assert.ok(!keys.includes(other.identity), "the other identity stays on this machine");
    assert.equal(keys.match(/AGE-SECRET-KEY-1/g)?.length, 1);
    // what is uploaded still decrypts what is encrypted for the configured recipient
    await Deno.writeTextFile(`${dir}/s.yaml`, "password: s3cret\n");
    await encryptSecret(`${dir}/s.yaml`, { age: [mine.recipient] });
    const uploaded = keys.split("\n").filter((l) => l.startsWith("AGE-SECRET-KEY-1"));
    assert.equal(
      await decryptSecret(`${dir}/s.yaml`, { ageIdentities: uploaded }),
      "password: s3cret\n",
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("sops-age: the option's text is filtered too, and no match names both sides", async () => {
  const mine = await generateAgeKey();
  const other = await generateAgeKey();
  const keys = await findAgeKeys(configFor([mine.recipient]), {
    sopsAgeKey: `${mine.identity}\n${other.identity}\n`,
  });
  assert.equal(keys, `# public key: ${mine.recipient}\n${mine.identity}\n`);
  const stranger = await generateAgeKey();
  await assert.rejects(
    () => findAgeKeys(configFor([stranger.recipient]), { sopsAgeKey: mine.identity }),
    (e: unknown) =>
      e instanceof GitOpsConfigError && e.message.includes(stranger.recipient) &&
      e.message.includes(mine.recipient) && !e.message.includes(mine.identity),
  );
});

Deno.test("sops-age: with no recipient configured, an explicit key file is passed whole", async () => {
  const a = await generateAgeKey();
  const b = await generateAgeKey();
  const keys = await findAgeKeys(configFor([]), { sopsAgeKey: `${a.identity}\n${b.identity}\n` });
  assert.ok(keys?.includes(a.identity) && keys.includes(b.identity));
});
