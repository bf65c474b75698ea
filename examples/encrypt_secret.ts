/**
 * Write a Secret and encrypt it for an age recipient:
 * `deno run -A examples/encrypt_secret.ts age1… k8s/apps/base/web/db.yaml`.
 */

import { encryptSecret, secretManifest, toYaml } from "@bosun/sdk";

const [recipient, file = "db.yaml"] = Deno.args;
if (!recipient) throw new TypeError("usage: encrypt_secret.ts <age recipient> [file]");

const plain = toYaml(secretManifest("db", { stringData: { password: crypto.randomUUID() } }));
// The plaintext never touches the disk: it is passed as data and only the result is written.
await encryptSecret(file, {
  data: plain,
  format: "yaml",
  age: [recipient],
  encryptedRegex: "^(data|stringData)$",
  output: file,
});
console.log(`wrote ${file} (encrypted for ${recipient})`);
