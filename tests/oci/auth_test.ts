// The registry token flow and basic auth, with credentials from a Docker config file: a small
// loopback proxy demands them and forwards to the real registry behind it.

import assert from "node:assert/strict";
import { pullArtifact, pushArtifact, RegistryError } from "../../lib/registry/oci/mod.ts";
import { requirePeers, useRegistry } from "../harness/mod.ts";

const peers = await requirePeers("docker-registry");
const reg = peers ? await useRegistry() : undefined;

function proxy(
  mode: "bearer" | "basic",
): { host: string; close(): Promise<void>; scopes: string[] } {
  const token = crypto.randomUUID();
  const scopes: string[] = [];
  const good = `Basic ${btoa("alice:s3cret")}`;
  let host = "";
  const server: Deno.HttpServer = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    async (req): Promise<Response> => {
      const url = new URL(req.url);
      if (url.pathname === "/token") {
        if (req.headers.get("authorization") !== good) return new Response("no", { status: 401 });
        scopes.push(...url.searchParams.getAll("scope"));
        return Response.json({ token });
      }
      const auth = req.headers.get("authorization");
      const ok = mode === "bearer" ? auth === `Bearer ${token}` : auth === good;
      if (!ok) {
        const challenge: string = mode === "bearer"
          ? `Bearer realm="http://${host}/token",service="test"`
          : `Basic realm="test"`;
        return new Response(JSON.stringify({ errors: [{ code: "UNAUTHORIZED" }] }), {
          status: 401,
          headers: { "www-authenticate": challenge },
        });
      }
      const headers = new Headers(req.headers);
      headers.delete("authorization");
      const res = await fetch(`${reg!.url}${url.pathname}${url.search}`, {
        method: req.method,
        headers,
        ...(req.body ? { body: await req.arrayBuffer() } : {}),
        redirect: "manual",
      });
      const out = new Headers(res.headers);
      const loc = out.get("location");
      if (loc) out.set("location", loc.replace(reg!.url, `http://${host}`));
      return new Response(req.method === "HEAD" ? null : res.body, {
        status: res.status,
        headers: out,
      });
    },
  );
  host = `127.0.0.1:${(server.addr as Deno.NetAddr).port}`;
  return { host, scopes, close: () => server.shutdown() };
}

for (const mode of ["bearer", "basic"] as const) {
  Deno.test({
    name: `${mode} auth: credentials come from the Docker config file`,
    ignore: !reg,
    sanitizeResources: false,
    sanitizeOps: false,
    fn: async () => {
      const p = proxy(mode);
      try {
        const dir = await Deno.makeTempDir();
        await Deno.writeTextFile(`${dir}/a.yaml`, "a: 1\n");
        const dockerConfig = `${dir}/config.json`;
        await Deno.writeTextFile(
          dockerConfig,
          JSON.stringify({ auths: { [`http://${p.host}`]: { auth: btoa("alice:s3cret") } } }),
        );
        const ref = `${p.host}/auth-${mode}/k8s:latest`;
        const pushed = await pushArtifact(dir, ref, { dockerConfig });
        const out = await Deno.makeTempDir();
        const pulled = await pullArtifact(ref, out, { dockerConfig });
        assert.equal(pulled.digest, pushed.digest);
        assert.equal(await Deno.readTextFile(`${out}/a.yaml`), "a: 1\n");
        if (mode === "bearer") {
          assert.ok(p.scopes.includes(`repository:auth-${mode}/k8s:pull,push`));
        }
        // Without credentials the registry refuses, and the error says why.
        const none = `${dir}/none.json`;
        await Deno.writeTextFile(none, "{}");
        await assert.rejects(
          () => pullArtifact(ref, out, { dockerConfig: none }),
          (e: unknown) => e instanceof RegistryError && /Cannot authenticate/.test(e.message),
        );
      } finally {
        await p.close();
      }
    },
  });
}
