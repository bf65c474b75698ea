/**
 * Cloud key providers. AWS KMS against moto's server (a local KMS emulator,
 * when installed: $BOSUN_MOTO_SERVER or ~/.cache/bosun/moto/bin/moto_server),
 * checked both ways with the real sops; GCP KMS, Azure Key Vault and Vault
 * transit against local servers answering with the request/response shapes
 * of their API documentation (and Vault also with the real sops).
 */

import assert from "node:assert/strict";
import { decryptSecret, encryptSecret, generateAgeKey } from "../../lib/sops/mod.ts";
import { signV4 } from "../../lib/sops/keys/aws.ts";
import { defaultRunner } from "../../lib/exec/mod.ts";
import { requirePeers } from "../harness/peers.ts";
import { sops } from "./_helpers.ts";

const peers = await requirePeers("sops");

function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

const moto = await requirePeers("moto_server");
const motoServer = moto?.moto_server ?? "moto_server";
const hasMoto = moto !== undefined;

Deno.test({
  name:
    "AWS KMS (moto emulator): Bosun encrypts with context, sops decrypts; sops encrypts, Bosun decrypts",
  ignore: !hasMoto || !peers,
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const port = await freePort();
    const dir = await Deno.makeTempDir();
    const proc = defaultRunner.spawn(motoServer, ["-H", "127.0.0.1", "-p", String(port)], {
      logFile: `${dir}/moto.log`,
    });
    const endpoint = `http://127.0.0.1:${port}`;
    const saved = Deno.env.toObject();
    const env = {
      AWS_ACCESS_KEY_ID: "testing",
      AWS_SECRET_ACCESS_KEY: "testing",
      AWS_ENDPOINT_URL: endpoint,
      AWS_REGION: "us-east-1",
    };
    try {
      for (let i = 0; i < 100; i++) {
        const ok = await fetch(`${endpoint}/moto-api/`).then(
          (r) => r.body?.cancel().then(() => true),
          () => false,
        );
        if (ok) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      const body = JSON.stringify({ Description: "bosun test" });
      const headers = signV4(
        {
          method: "POST",
          url: `${endpoint}/`,
          headers: {
            "content-type": "application/x-amz-json-1.1",
            "x-amz-target": "TrentService.CreateKey",
          },
          body,
        },
        { accessKeyId: "testing", secretAccessKey: "testing" },
        "us-east-1",
        "kms",
      );
      const created = await (await fetch(`${endpoint}/`, { method: "POST", headers, body })).json();
      const arn = created.KeyMetadata.Arn as string;
      for (const [k, v] of Object.entries(env)) Deno.env.set(k, v);
      const p = `${dir}/s.yaml`;
      await Deno.writeTextFile(p, "password: hunter2\n");
      await encryptSecret(p, { kms: [arn], kmsContext: { app: "bosun" } });
      assert.match(await Deno.readTextFile(p), /arn: arn:aws:kms:us-east-1/);
      assert.equal(await decryptSecret(p, {}), "password: hunter2\n");
      const out = await sops(peers!.sops, ["decrypt", p], env);
      assert.equal(out.stdout, "password: hunter2\n");
      const q = `${dir}/t.json`;
      await Deno.writeTextFile(q, '{"a": "b"}');
      await sops(peers!.sops, [
        "encrypt",
        "--kms",
        arn,
        "--encryption-context",
        "team:ops",
        "-i",
        q,
      ], env);
      assert.deepEqual(JSON.parse(await decryptSecret(q, {})), { a: "b" });
    } finally {
      for (const k of Object.keys(env)) {
        if (saved[k] === undefined) Deno.env.delete(k);
        else Deno.env.set(k, saved[k]!);
      }
      proc.kill();
      await proc.exited;
    }
  },
});

/** A fake KMS: "encrypts" by XOR with a fixed pad and a marker, records requests. */
function fakeServer(
  handler: (req: Request, body: Record<string, unknown>) => Record<string, unknown>,
) {
  const seen: { method: string; path: string; headers: Headers; body: Record<string, unknown> }[] =
    [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
    const text = await req.text();
    const body = text ? JSON.parse(text) : {};
    seen.push({
      method: req.method,
      path: new URL(req.url).pathname + new URL(req.url).search,
      headers: req.headers,
      body,
    });
    return Response.json(handler(req, body));
  });
  return { server, seen, url: `http://127.0.0.1:${server.addr.port}` };
}

const b64 = (b: Uint8Array) => btoa(String.fromCharCode(...b));
const unb64 = (s: string) =>
  Uint8Array.from(
    atob(s.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((s.length + 3) % 4)),
    (c) => c.charCodeAt(0),
  );
const xor = (b: Uint8Array) => b.map((x) => x ^ 0x5a);

Deno.test("Vault transit: request shapes, Bosun round trip, and the real sops decrypts", async () => {
  const fake = fakeServer((req, body) => {
    const op = new URL(req.url).pathname.split("/")[3];
    if (op === "encrypt") {
      return { data: { ciphertext: `vault:v1:${b64(xor(unb64(String(body.plaintext))))}` } };
    }
    return { data: { plaintext: b64(xor(unb64(String(body.ciphertext).slice(9)))) } };
  });
  try {
    const dir = await Deno.makeTempDir();
    const p = `${dir}/v.yaml`;
    await Deno.writeTextFile(p, "k: v\n");
    const uri = `${fake.url}/v1/transit/keys/bosun`;
    await encryptSecret(p, { hcVault: [uri], cloud: { vaultToken: "root-token" } });
    assert.equal(fake.seen[0]!.path, "/v1/transit/encrypt/bosun");
    assert.equal(fake.seen[0]!.headers.get("x-vault-token"), "root-token");
    assert.equal(unb64(String(fake.seen[0]!.body.plaintext)).length, 32);
    assert.match(await Deno.readTextFile(p), /vault_address: http:\/\/127\.0\.0\.1/);
    assert.equal(await decryptSecret(p, { cloud: { vaultToken: "root-token" } }), "k: v\n");
    assert.equal(fake.seen[1]!.path, "/v1/transit/decrypt/bosun");
    if (peers) {
      const out = await sops(peers.sops, ["decrypt", p], { VAULT_TOKEN: "root-token" });
      assert.equal(out.stdout, "k: v\n");
    }
  } finally {
    await fake.server.shutdown();
  }
});

Deno.test("GCP KMS: cryptoKeys.encrypt/decrypt request shapes and round trip", async () => {
  const fake = fakeServer((req, body) => {
    if (new URL(req.url).pathname.endsWith(":encrypt")) {
      return { name: "k", ciphertext: b64(xor(unb64(String(body.plaintext)))) };
    }
    return { plaintext: b64(xor(unb64(String(body.ciphertext)))) };
  });
  try {
    const dir = await Deno.makeTempDir();
    const p = `${dir}/g.json`;
    await Deno.writeTextFile(p, '{"k": "v"}');
    const id = "projects/p/locations/global/keyRings/r/cryptoKeys/c";
    const cloud = { gcpKmsEndpoint: fake.url, gcpAccessToken: "tok" };
    await encryptSecret(p, { gcpKms: [id], cloud });
    assert.equal(fake.seen[0]!.path, `/v1/${id}:encrypt`);
    assert.equal(fake.seen[0]!.headers.get("authorization"), "Bearer tok");
    assert.deepEqual(JSON.parse(await decryptSecret(p, { cloud })), { k: "v" });
    assert.equal(fake.seen[1]!.path, `/v1/${id}:decrypt`);
    assert.match(await Deno.readTextFile(p), /"resource_id": "projects\/p/);
  } finally {
    await fake.server.shutdown();
  }
});

Deno.test("Azure Key Vault: keys/{name}/{version}/encrypt with RSA-OAEP-256 and round trip", async () => {
  const fake = fakeServer((_req, body) => {
    assert.equal(body.alg, "RSA-OAEP-256");
    return {
      kid: "k",
      value: btoa(String.fromCharCode(...xor(unb64(String(body.value))))).replace(/\+/g, "-")
        .replace(/\//g, "_").replace(/=+$/, ""),
    };
  });
  try {
    const dir = await Deno.makeTempDir();
    const p = `${dir}/a.env`;
    await Deno.writeTextFile(p, "K=v\n");
    const cloud = { azureAccessToken: "tok" };
    await encryptSecret(p, { azureKv: [`${fake.url}/keys/sops-key/abc123`], cloud });
    assert.equal(fake.seen[0]!.path, "/keys/sops-key/abc123/encrypt?api-version=7.4");
    assert.equal(await decryptSecret(p, { cloud }), "K=v\n");
    assert.equal(fake.seen[1]!.path, "/keys/sops-key/abc123/decrypt?api-version=7.4");
    assert.match(await Deno.readTextFile(p), /sops_azure_kv__list_0__map_name=sops-key/);
  } finally {
    await fake.server.shutdown();
  }
});

Deno.test("mixed age + Vault keys in one group: either alone decrypts", async () => {
  const fake = fakeServer((req, body) => {
    const op = new URL(req.url).pathname.split("/")[3];
    if (op === "encrypt") {
      return { data: { ciphertext: `vault:v1:${b64(xor(unb64(String(body.plaintext))))}` } };
    }
    return { data: { plaintext: b64(xor(unb64(String(body.ciphertext).slice(9)))) } };
  });
  try {
    const k = await generateAgeKey();
    const dir = await Deno.makeTempDir();
    const p = `${dir}/m.yaml`;
    await Deno.writeTextFile(p, "a: 1\n");
    await encryptSecret(p, {
      age: [k.recipient],
      hcVault: [`${fake.url}/v1/transit/keys/x`],
      cloud: { vaultToken: "t" },
    });
    assert.equal(await decryptSecret(p, { ageIdentities: [k.identity] }), "a: 1\n");
    assert.equal(
      await decryptSecret(p, { ageIdentities: [], cloud: { vaultToken: "t" } }),
      "a: 1\n",
    );
  } finally {
    await fake.server.shutdown();
  }
});
