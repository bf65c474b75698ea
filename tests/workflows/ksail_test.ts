import assert from "node:assert/strict";
import { parse } from "yaml";
import { Ajv2020 } from "ajv/dist/2020.js";
import { validateConfig } from "../../lib/config/mod.ts";
import { convertKsailConfig, ScaffoldError } from "../../lib/scaffold/mod.ts";

const SCHEMA = new URL(
  "../../../shared/vectors/schemas/ksail/ksail-config.schema.json",
  import.meta.url,
);
const validateKsail = new Ajv2020({ strict: false, allErrors: true })
  .compile(JSON.parse(await Deno.readTextFile(SCHEMA)));

/** Converts after checking the input against KSail's own schema, so fixtures stay realistic. */
async function convert(text: string, baseDir?: string) {
  assert.ok(validateKsail(parse(text)), JSON.stringify(validateKsail.errors));
  const result = await convertKsailConfig(text, baseDir ? { baseDir } : {});
  assert.deepEqual(validateConfig(result.config), []);
  return result;
}

Deno.test("a full ksail.yaml converts field by field", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(
      `${dir}/kind.yaml`,
      "kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nname: ignored\n",
    );
    const { config, notes } = await convert(
      `apiVersion: ksail.io/v1alpha1
kind: Cluster
spec:
  editor: "code --wait"
  cluster:
    distribution: Kind
    distributionConfig: kind.yaml
    provider: Docker
    connection: {kubeconfig: ~/.kube/dev, context: kind-platform, timeout: 5m}
    cni: Cilium
    csi: LocalPathStorage
    metricsServer: Enabled
    certManager: Enabled
    policyEngine: Kyverno
    localRegistry: Enabled
    gitOpsEngine: ArgoCD
    kind: {mirrorsDir: kind/mirrors}
    talos: {controlPlanes: 3, workers: 2}
    localRegistryOptions: {hostPort: 5060}
  workload:
    sourceDirectory: deploy
    validateOnPush: true
`,
      dir,
    );
    assert.deepEqual(config, {
      metadata: { name: "platform" },
      spec: {
        distribution: "Kind",
        distributionConfig: "kind.yaml",
        nodes: { controlPlanes: 3, workers: 2 },
        kubeconfig: "~/.kube/dev",
        context: "kind-platform",
        cni: "Cilium",
        csi: "LocalPathStorage",
        metricsServer: "Enabled",
        certManager: "Enabled",
        policyEngine: "Kyverno",
        registry: { local: { enabled: true, hostPort: 5060 } },
        gitops: { engine: "ArgoCD", sourceDirectory: "deploy" },
      },
    });
    assert.equal(notes.length, 4, notes.join("\n"));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("KSail defaults: name from the native config or the distribution, GitOps-aware registry", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(
      `${dir}/k3d.yaml`,
      "apiVersion: k3d.io/v1alpha5\nkind: Simple\nmetadata:\n  name: team\n",
    );
    const k3d = await convert(
      "apiVersion: ksail.io/v1alpha1\nkind: Cluster\nspec:\n  cluster:\n    distribution: K3d\n    distributionConfig: k3d.yaml\n    gitOpsEngine: Flux\n",
      dir,
    );
    assert.equal(k3d.config.metadata?.name, "team");
    assert.equal(k3d.config.spec?.registry?.local?.enabled, true);
    const eks = await convert(
      "apiVersion: ksail.io/v1alpha1\nkind: Cluster\nspec:\n  cluster:\n    distribution: EKS\n",
    );
    assert.equal(eks.config.spec?.distribution, "EKSAnywhere");
    assert.equal(eks.config.metadata?.name, "eksa-local");
    assert.equal(eks.config.spec?.registry?.local?.enabled, false);
    const talos = await convert(
      "apiVersion: ksail.io/v1alpha1\nkind: Cluster\nspec:\n  cluster:\n    distribution: Talos\n    distributionConfig: talos\n    connection: {context: admin@lab}\n",
    );
    assert.equal(talos.config.metadata?.name, "lab");
    assert.match(talos.notes.join("\n"), /patch directory/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a file that is not a KSail config is refused with what was found", async () => {
  await assert.rejects(
    convertKsailConfig("apiVersion: bosun.dev/v1alpha1\nkind: Cluster\n"),
    (e: unknown) =>
      e instanceof ScaffoldError && /found bosun\.dev\/v1alpha1 Cluster/.test(e.message),
  );
});
