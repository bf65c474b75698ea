/**
 * `deno task bench`: every benchmark, each measured against its real peer in
 * the same run, printing ratios. `deno task bench cli sops` runs a subset.
 *
 * @module
 */

const BENCHES: Record<string, () => Promise<unknown>> = {
  cli: async () => (await import("../bench/cli_bench.ts")).benchCli(),
};

const optional: Record<string, [string, string]> = {
  kube: ["../bench/kube_bench.ts", "benchApply"],
  components: ["../bench/components_bench.ts", "benchGraph"],
  oci: ["../bench/oci_bench.ts", "benchPush"],
  sops: ["../bench/sops_bench.ts", "benchSops"],
  cluster: ["../bench/cluster_bench.ts", "benchCluster"],
};
for (const [name, [file, fn]] of Object.entries(optional)) {
  BENCHES[name] = async () => {
    const mod = await import(file) as Record<string, () => Promise<unknown>>;
    await mod[fn]!();
  };
}

const wanted = Deno.args.length > 0 ? Deno.args : Object.keys(BENCHES);
let failed = false;
for (const name of wanted) {
  const bench = BENCHES[name];
  if (!bench) {
    console.error(`Unknown benchmark "${name}"; known: ${Object.keys(BENCHES).join(", ")}`);
    Deno.exit(2);
  }
  console.log(`\n## ${name}`);
  try {
    await bench();
  } catch (error) {
    failed = true;
    console.error(`${name} failed: ${error instanceof Error ? error.message : error}`);
  }
}
Deno.exit(failed ? 1 : 0);
