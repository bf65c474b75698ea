// Private: a minimal HTTPS client for the test apiserver (bearer token + our CA).

import { parse } from "yaml";

/** Connection details for the test apiserver. */
export interface KubeConn {
  readonly server: string;
  readonly token: string;
  readonly caPem: string;
}

const clients = new Map<string, Deno.HttpClient>();

function client(caPem: string): Deno.HttpClient {
  let c = clients.get(caPem);
  if (!c) {
    c = Deno.createHttpClient({ caCerts: [caPem] });
    clients.set(caPem, c);
  }
  return c;
}

/** Closes the cached HTTP clients (so test sanitizers see no open resources). */
export function closeClients(): void {
  for (const c of clients.values()) c.close();
  clients.clear();
}

/** Sends one request; returns status and parsed JSON (or text) body. */
export async function kubeRequest(
  conn: KubeConn,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${conn.server}${path}`, {
    method,
    client: client(conn.caPem),
    headers: {
      authorization: `Bearer ${conn.token}`,
      accept: "application/json",
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON (e.g. /readyz)
  }
  return { status: res.status, body: parsed };
}

/** Reads server, token and CA from a kubeconfig written by the harness (or any token kubeconfig). */
export async function connFromKubeconfig(path: string): Promise<KubeConn> {
  const doc = parse(await Deno.readTextFile(path)) as {
    clusters?: { cluster?: Record<string, string> }[];
    users?: { user?: Record<string, string> }[];
  };
  const cluster = doc.clusters?.[0]?.cluster ?? {};
  const user = doc.users?.[0]?.user ?? {};
  const caData = cluster["certificate-authority-data"];
  const caPem = caData !== undefined
    ? new TextDecoder().decode(Uint8Array.from(atob(caData), (c) => c.charCodeAt(0)))
    : await Deno.readTextFile(cluster["certificate-authority"] ?? "");
  return { server: cluster["server"] ?? "", token: user["token"] ?? "", caPem };
}
