// Private: the test environment's PKI, generated with openssl through the Runner.

import { defaultRunner, type Runner, which } from "../../lib/exec/mod.ts";
import { TestEnvError } from "./_procs.ts";

/** Files of the generated PKI (absolute paths) and the admin token. */
export interface Pki {
  readonly dir: string;
  readonly caCert: string;
  readonly caKey: string;
  readonly serverCert: string;
  readonly serverKey: string;
  readonly saKey: string;
  readonly saPub: string;
  readonly tokenFile: string;
  readonly token: string;
}

/** Generates a CA, a loopback serving certificate, a service-account key pair and a token. */
export async function generatePki(dir: string, runner: Runner = defaultRunner): Promise<Pki> {
  const openssl = await which("openssl");
  if (openssl === undefined) {
    throw new TestEnvError("Cannot start the test environment: openssl is not installed");
  }
  await Deno.mkdir(dir, { recursive: true, mode: 0o700 });
  const p = (f: string) => `${dir}/${f}`;
  const run = (args: string[]) => runner.run(openssl, args, { cwd: dir });
  const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
  await run([
    "req",
    "-x509",
    ...ec,
    "-days",
    "3650",
    "-subj",
    "/CN=bosun-test-ca",
    "-keyout",
    p("ca.key"),
    "-out",
    p("ca.crt"),
  ]);
  await run([
    "req",
    ...ec,
    "-subj",
    "/CN=kube-apiserver",
    "-keyout",
    p("server.key"),
    "-out",
    p("server.csr"),
  ]);
  await Deno.writeTextFile(
    p("server.ext"),
    "subjectAltName=IP:127.0.0.1,DNS:localhost,IP:10.0.0.1,DNS:kubernetes,DNS:kubernetes.default," +
      "DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local\n" +
      "extendedKeyUsage=serverAuth\nkeyUsage=digitalSignature,keyEncipherment\n",
  );
  await run([
    "x509",
    "-req",
    "-in",
    p("server.csr"),
    "-CA",
    p("ca.crt"),
    "-CAkey",
    p("ca.key"),
    "-CAcreateserial",
    "-days",
    "3650",
    "-extfile",
    p("server.ext"),
    "-out",
    p("server.crt"),
  ]);
  await run([
    "genpkey",
    "-algorithm",
    "EC",
    "-pkeyopt",
    "ec_paramgen_curve:P-256",
    "-out",
    p("sa.key"),
  ]);
  await run(["pkey", "-in", p("sa.key"), "-pubout", "-out", p("sa.pub")]);
  const bytes = crypto.getRandomValues(new Uint8Array(24));
  const token = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  await Deno.writeTextFile(p("tokens.csv"), `${token},admin,admin-uid,system:masters\n`, {
    mode: 0o600,
  });
  return {
    dir,
    caCert: p("ca.crt"),
    caKey: p("ca.key"),
    serverCert: p("server.crt"),
    serverKey: p("server.key"),
    saKey: p("sa.key"),
    saPub: p("sa.pub"),
    tokenFile: p("tokens.csv"),
    token,
  };
}
