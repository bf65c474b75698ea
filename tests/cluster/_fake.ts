/**
 * A fake Docker world for the contract suite: the stub executables in
 * `./stubs` first on PATH, their state in a temp directory, a kubeconfig that
 * already holds another context, and resources of another cluster that must
 * never be touched.
 *
 * @module
 */

import { stringify } from "yaml";

export const STUBS = new URL("./stubs", import.meta.url).pathname;

export interface Container {
  id: string;
  name: string;
  image: string;
  labels: Record<string, string>;
  networks: string[];
  state: string;
  ports: number[];
  env: string[];
}
export interface Named {
  name: string;
  labels: Record<string, string>;
}
export interface StubState {
  containers: Container[];
  networks: Named[];
  volumes: Named[];
  files: Record<string, string>;
  mutations: number;
  failAt?: number;
  failMatch?: string;
}
export interface Call {
  tool: string;
  args: string[];
  cwd: string;
  mutating: boolean;
  failed: boolean;
  /** The real CLI would refuse the call as written (unknown command or flag, bad arguments). */
  rejected?: boolean;
  /** A real command the stubs do not model. */
  unsupported?: boolean;
}

const ORIGINAL_PATH = Deno.env.get("PATH") ?? "";

/** Resources of cluster "other" present before every test. */
function foreign(): StubState {
  const c = (name: string, labels: Record<string, string>, networks: string[]): Container => ({
    id: `id-${name}`,
    name,
    image: "registry:3",
    labels,
    networks,
    state: "running",
    ports: [],
    env: [],
  });
  return {
    containers: [
      c("other-registry", { "dev.bosun.cluster": "other", "dev.bosun.role": "registry" }, ["kind"]),
      c("other-control-plane", {
        "io.x-k8s.kind.cluster": "other",
        "io.x-k8s.kind.role": "control-plane",
      }, ["kind"]),
      c("unrelated", {}, ["bridge"]),
    ],
    networks: [
      { name: "bridge", labels: {} },
      { name: "kind", labels: {} },
      { name: "other-net", labels: { "dev.bosun.cluster": "other" } },
    ],
    volumes: [{ name: "other-registry", labels: { "dev.bosun.cluster": "other" } }],
    files: {},
    mutations: 0,
  };
}

export const OTHER_KUBECONFIG = stringify({
  apiVersion: "v1",
  kind: "Config",
  clusters: [{ name: "prod", cluster: { server: "https://prod.example:6443" } }],
  users: [{ name: "prod", user: { token: "prod-token" } }],
  contexts: [{ name: "prod", context: { cluster: "prod", user: "prod" } }],
  "current-context": "prod",
});

export class FakeWorld {
  constructor(readonly dir: string) {}

  get kubeconfig(): string {
    return `${this.dir}/kubeconfig`;
  }
  get home(): string {
    return `${this.dir}/home`;
  }

  state(): StubState {
    return JSON.parse(Deno.readTextFileSync(`${this.dir}/state.json`));
  }
  setState(state: StubState): void {
    Deno.writeTextFileSync(`${this.dir}/state.json`, JSON.stringify(state));
  }
  /** Makes the n-th mutating call from now fail. */
  failAt(n: number): void {
    const s = this.state();
    s.failAt = s.mutations + n;
    this.setState(s);
  }
  calls(): Call[] {
    try {
      return Deno.readTextFileSync(`${this.dir}/calls.jsonl`).split("\n").filter(Boolean).map((l) =>
        JSON.parse(l) as Call
      );
    } catch {
      return [];
    }
  }
  clearCalls(): void {
    Deno.writeTextFileSync(`${this.dir}/calls.jsonl`, "");
  }
  mutatingCalls(): Call[] {
    return this.calls().filter((c) => c.mutating);
  }
  /** Containers, networks and volumes as sorted name lists. */
  snapshot(): { containers: string[]; networks: string[]; volumes: string[] } {
    const s = this.state();
    return {
      containers: s.containers.map((c) => c.name).sort(),
      networks: s.networks.map((n) => n.name).sort(),
      volumes: s.volumes.map((v) => v.name).sort(),
    };
  }
  /**
   * Cleans up, then fails when any call was one the real tool would refuse or the stubs do
   * not model, even if the code under test tolerated its failure.
   */
  async dispose(): Promise<void> {
    const bad = this.calls().filter((c) => c.rejected || c.unsupported);
    Deno.env.set("PATH", ORIGINAL_PATH);
    Deno.env.delete("BOSUN_STUB_STATE");
    Deno.env.delete("BOSUN_HOME");
    await Deno.remove(this.dir, { recursive: true }).catch(() => {});
    if (bad.length > 0) {
      throw new Error(
        `Calls the real tools would refuse or the stubs do not model:\n${
          bad.map((c) =>
            `  ${c.tool} ${c.args.join(" ")}${c.rejected ? " (rejected)" : " (unsupported)"}`
          )
            .join("\n")
        }`,
      );
    }
  }
}

/** A fresh world; PATH, BOSUN_STUB_STATE and BOSUN_HOME point into it until dispose(). */
export async function fakeWorld(): Promise<FakeWorld> {
  const dir = await Deno.makeTempDir({ prefix: "bosun-cluster-" });
  const world = new FakeWorld(dir);
  world.setState(foreign());
  await Deno.writeTextFile(world.kubeconfig, OTHER_KUBECONFIG);
  Deno.env.set("PATH", `${STUBS}:${ORIGINAL_PATH}`);
  Deno.env.set("BOSUN_STUB_STATE", dir);
  Deno.env.set("BOSUN_HOME", world.home);
  return world;
}

/** A TCP port nothing listens on right now. */
export function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}
