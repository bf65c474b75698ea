/**
 * `bosun gen <kind> <name>`: print (or write) a manifest built by the typed
 * generators in lib/workload.
 *
 * @module
 */

import type { Command } from "commander";
import { output } from "./_context.ts";

type Flags = Record<string, unknown>;
type Workload = typeof import("../workload/mod.ts");
type Build = (w: Workload, name: string, f: Flags) => Record<string, unknown>;

interface Kind {
  readonly name: string;
  readonly description: string;
  readonly options: readonly (readonly [flags: string, description: string, fallback?: string])[];
  readonly example: string;
  readonly build: Build;
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** Parses repeated `key=value` flags into a record. */
function pairs(values: unknown, flag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of (values as string[] | undefined) ?? []) {
    const eq = item.indexOf("=");
    if (eq <= 0) throw new TypeError(`Invalid ${flag} "${item}": use key=value`);
    out[item.slice(0, eq)] = item.slice(eq + 1);
  }
  return out;
}

function int(value: unknown, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n)) throw new TypeError(`Invalid ${flag} "${value}": use a whole number`);
  return n;
}

function common(f: Flags) {
  const labels = pairs(f.label, "--label");
  return {
    ...(typeof f.namespace === "string" ? { namespace: f.namespace } : {}),
    ...(Object.keys(labels).length ? { labels } : {}),
  };
}

function str(f: Flags, key: string): string | undefined {
  return typeof f[key] === "string" ? f[key] as string : undefined;
}

function opt<K extends string>(key: K, value: string | number | undefined) {
  return (value === undefined ? {} : { [key]: value }) as Partial<Record<K, never>>;
}

const KINDS: readonly Kind[] = [
  {
    name: "deployment",
    description: "A Deployment with one container",
    options: [
      ["--image <image>", "container image (required)"],
      ["--replicas <n>", "replicas", "1"],
      ["--port <port>", "container port"],
      ["--env <key=value>", "environment variable (repeatable)"],
    ],
    example: "bosun gen deployment web --image nginx:1.27 --port 80",
    build: (w, name, f) =>
      w.deploymentManifest(name, {
        ...common(f),
        image: need(f, "image"),
        replicas: int(f.replicas, "--replicas") ?? 1,
        ...opt("port", int(f.port, "--port")),
        env: pairs(f.env, "--env"),
      }),
  },
  {
    name: "service",
    description: "A Service selecting the pods of a same-named Deployment",
    options: [
      ["--port <port>", "service port (required)"],
      ["--target-port <port>", "port on the pods"],
      ["--type <type>", "ClusterIP, NodePort or LoadBalancer", "ClusterIP"],
    ],
    example: "bosun gen service web --port 80 --target-port 8080",
    build: (w, name, f) =>
      w.serviceManifest(name, {
        ...common(f),
        port: int(need(f, "port"), "--port")!,
        ...opt("targetPort", int(f.targetPort, "--target-port")),
        type: oneOf(f.type, ["ClusterIP", "NodePort", "LoadBalancer"] as const, "--type"),
      }),
  },
  {
    name: "configmap",
    description: "A ConfigMap",
    options: [["--from-literal <key=value>", "an entry (repeatable)"]],
    example: "bosun gen configmap settings --from-literal LOG_LEVEL=debug",
    build: (w, name, f) =>
      w.configMapManifest(name, { ...common(f), data: pairs(f.fromLiteral, "--from-literal") }),
  },
  {
    name: "secret",
    description: "A Secret (use --encrypt to write it SOPS-encrypted)",
    options: [
      ["--from-literal <key=value>", "an entry (repeatable)"],
      ["--type <type>", "secret type", "Opaque"],
      ["--encrypt", "encrypt with SOPS using the nearest .sops.yaml (or --age)"],
      ["--age <recipient>", "age recipient to encrypt for (repeatable)"],
    ],
    example:
      "bosun gen secret db --from-literal password=s3cret --encrypt -o k8s/apps/base/db.yaml",
    build: (w, name, f) =>
      w.secretManifest(name, {
        ...common(f),
        stringData: pairs(f.fromLiteral, "--from-literal"),
        ...opt("type", str(f, "type")),
      }),
  },
  {
    name: "ingress",
    description: "An Ingress routing one host to a service",
    options: [
      ["--host <host>", "host name (required)"],
      ["--port <port>", "backend service port (required)"],
      ["--service <name>", "backend service (default: the name)"],
      ["--path <path>", "path prefix", "/"],
      ["--class <class>", "IngressClass"],
      ["--tls-secret <name>", "TLS certificate secret"],
    ],
    example: "bosun gen ingress web --host web.localtest.me --port 80",
    build: (w, name, f) =>
      w.ingressManifest(name, {
        ...common(f),
        host: need(f, "host"),
        port: int(need(f, "port"), "--port")!,
        ...opt("service", str(f, "service")),
        ...opt("path", str(f, "path")),
        ...opt("className", str(f, "class")),
        ...opt("tlsSecret", str(f, "tlsSecret")),
      }),
  },
  {
    name: "namespace",
    description: "A Namespace",
    options: [],
    example: "bosun gen namespace apps",
    build: (w, name, f) => {
      const { labels } = common(f);
      return w.namespaceManifest(name, labels ? { labels } : {});
    },
  },
  {
    name: "helmrelease",
    description: "A Flux HelmRelease",
    options: [
      ["--chart <chart>", "chart name (HelmRepository/GitRepository sources)"],
      ["--chart-version <range>", "chart version range"],
      ["--source <kind/name>", "chart source, e.g. HelmRepository/podinfo (required)"],
      ["--target-namespace <ns>", "namespace to install into"],
      ["--interval <duration>", "reconcile interval", "10m"],
    ],
    example:
      "bosun gen helmrelease podinfo --chart podinfo --chart-version 6.x --source HelmRepository/podinfo",
    build: (w, name, f) => {
      const [kind, source] = need(f, "source").split("/");
      const kinds = ["HelmRepository", "GitRepository", "OCIRepository"] as const;
      return w.helmReleaseManifest(name, {
        ...common(f),
        sourceRef: { kind: oneOf(kind, kinds, "--source kind"), name: source ?? "" },
        ...opt("chart", str(f, "chart")),
        ...opt("version", str(f, "chartVersion")),
        ...opt("targetNamespace", str(f, "targetNamespace")),
        ...opt("interval", str(f, "interval")),
      });
    },
  },
  {
    name: "ocirepository",
    description: "A Flux OCIRepository",
    options: [
      ["--url <url>", "oci:// URL (required)"],
      ["--tag <tag>", "tag to follow", "latest"],
      ["--insecure", "plain-HTTP registry"],
      ["--interval <duration>", "poll interval", "1m"],
    ],
    example: "bosun gen ocirepository k8s --url oci://bosun-registry:5000/k8s --insecure",
    build: (w, name, f) =>
      w.ociRepositoryManifest(name, {
        ...common(f),
        url: need(f, "url"),
        ...opt("tag", str(f, "tag")),
        insecure: f.insecure === true,
        ...opt("interval", str(f, "interval")),
      }),
  },
  {
    name: "gitrepository",
    description: "A Flux GitRepository",
    options: [
      ["--url <url>", "repository URL (required)"],
      ["--branch <branch>", "branch to follow", "main"],
      ["--secret <name>", "secret with credentials"],
      ["--interval <duration>", "poll interval", "1m"],
    ],
    example: "bosun gen gitrepository platform --url https://example.com/platform.git",
    build: (w, name, f) =>
      w.gitRepositoryManifest(name, {
        ...common(f),
        url: need(f, "url"),
        ...opt("branch", str(f, "branch")),
        ...opt("secretRef", str(f, "secret")),
        ...opt("interval", str(f, "interval")),
      }),
  },
  {
    name: "helmrepository",
    description: "A Flux HelmRepository (https:// or oci://)",
    options: [
      ["--url <url>", "repository URL (required)"],
      ["--interval <duration>", "poll interval", "10m"],
    ],
    example: "bosun gen helmrepository podinfo --url oci://ghcr.io/stefanprodan/charts",
    build: (w, name, f) =>
      w.helmRepositoryManifest(name, {
        ...common(f),
        url: need(f, "url"),
        ...opt("interval", str(f, "interval")),
      }),
  },
  {
    name: "kustomization",
    description: "A kustomization.yaml (kustomize.config.k8s.io), name is ignored",
    options: [["--resource <path>", "resource to include (repeatable)"]],
    example: "bosun gen kustomization base --resource deployment.yaml --resource service.yaml",
    build: (w, _name, f) =>
      w.kustomizationManifest({
        resources: (f.resource as string[] | undefined) ?? [],
        ...opt("namespace", str(f, "namespace")),
      }),
  },
  {
    name: "flux-kustomization",
    description: "A Flux Kustomization (kustomize.toolkit.fluxcd.io) reconciling a path",
    options: [
      ["--source <kind/name>", "source, e.g. OCIRepository/flux-system (required)"],
      ["--path <path>", "path in the source", "./"],
      ["--decryption-secret <name>", "secret with the SOPS age key"],
      ["--depends-on <name>", "Kustomization to wait for (repeatable)"],
    ],
    example: "bosun gen flux-kustomization apps --source OCIRepository/flux-system --path ./apps",
    build: (w, name, f) => {
      const [kind, source] = need(f, "source").split("/");
      const kinds = ["OCIRepository", "GitRepository", "Bucket"] as const;
      return w.fluxKustomizationManifest(name, {
        ...common(f),
        sourceRef: { kind: oneOf(kind, kinds, "--source kind"), name: source ?? "" },
        ...opt("path", str(f, "path")),
        ...opt("decryptionSecret", str(f, "decryptionSecret")),
        dependsOn: (f.dependsOn as string[] | undefined) ?? [],
      });
    },
  },
  {
    name: "application",
    description: "An Argo CD Application",
    options: [
      ["--repo <url>", "source repository (Git, Helm or oci://) (required)"],
      ["--path <path>", "directory in the repository"],
      ["--chart <chart>", "chart name (Helm repository)"],
      ["--revision <rev>", "target revision", "HEAD"],
      ["--dest-namespace <ns>", "destination namespace", "default"],
      ["--manual", "do not sync automatically"],
    ],
    example: "bosun gen application bosun --repo oci://bosun-registry:5000/k8s --path . ",
    build: (w, name, f) =>
      w.applicationManifest(name, {
        ...common(f),
        repoURL: need(f, "repo"),
        ...opt("path", str(f, "path")),
        ...opt("chart", str(f, "chart")),
        ...opt("targetRevision", str(f, "revision")),
        ...opt("destinationNamespace", str(f, "destNamespace")),
        automated: f.manual !== true,
      }),
  },
];

function need(f: Flags, key: string): string {
  const value = f[key];
  if (typeof value !== "string" || value === "") {
    const flag = key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
    throw new TypeError(`Missing required option --${flag}`);
  }
  return value;
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], flag: string): T {
  if (typeof value === "string" && (allowed as readonly string[]).includes(value)) {
    return value as T;
  }
  throw new TypeError(`Invalid ${flag} "${String(value)}": use one of ${allowed.join(", ")}`);
}

/** Registers `bosun gen`. */
export function registerGen(program: Command): void {
  const gen = program.command("gen")
    .description("Generate Kubernetes, Flux, kustomize and Argo CD manifests")
    .addHelpText("after", "\nExample:\n  bosun gen deployment web --image nginx:1.27 --port 80");
  for (const kind of KINDS) {
    const sub = gen.command(`${kind.name} <name>`).description(kind.description);
    for (const [flags, description, fallback] of kind.options) {
      if (flags.includes("(repeatable)") || description.includes("(repeatable)")) {
        sub.option(flags, description, collect);
      } else if (fallback !== undefined) sub.option(flags, description, fallback);
      else sub.option(flags, description);
    }
    if (kind.name !== "namespace" && kind.name !== "kustomization") {
      sub.option("-n, --namespace <ns>", "namespace of the object");
    } else if (kind.name === "kustomization") {
      sub.option("-n, --namespace <ns>", "namespace set on every object");
    }
    sub.option("-l, --label <key=value>", "label (repeatable)", collect)
      .option("-o, --output <file>", "write to a file instead of stdout")
      .option("--force", "overwrite the output file")
      .addHelpText("after", `\nExample:\n  ${kind.example}`)
      .action(async (name: string, flags: Flags, command: Command) => {
        const workload = await import("../workload/mod.ts");
        const object = kind.build(workload, name, flags);
        let text = workload.toYaml(object);
        if (flags.encrypt === true) {
          const { encryptManifestText } = await import("../workload/_encrypt.ts");
          const file = typeof flags.output === "string" ? flags.output : `${name}.yaml`;
          text = await encryptManifestText(text, {
            file,
            age: (flags.age as string[] | undefined) ?? [],
          });
        }
        if (typeof flags.output === "string") {
          await writeOutput(flags.output, text, flags.force === true);
          output(
            command,
            { written: flags.output, object: flags.encrypt ? null : object },
            `✓ wrote ${flags.output}`,
          );
        } else if (flags.encrypt === true) {
          console.log(text.trimEnd());
        } else {
          output(command, object, text.trimEnd());
        }
      });
  }
}

async function writeOutput(path: string, text: string, force: boolean): Promise<void> {
  const { writeFileAtomic } = await import("../fs/mod.ts");
  if (!force) {
    const exists = await Deno.stat(path).then(() => true, () => false);
    if (exists) throw new TypeError(`Refusing to overwrite ${path}: pass --force`);
  }
  await writeFileAtomic(path, text);
}
