/**
 * The Helm wrapper against real helm and the test control plane in full mode
 * (kwok makes the pods Ready, so `--wait` really waits for Available Deployments).
 */
import assert from "node:assert/strict";
import { connectHelm, type Helm, HelmError } from "../../lib/helm/mod.ts";
import { CHARTS, useLiveHelm } from "./_live.ts";

const setup = await useLiveHelm();
const env = setup?.env;

async function helmFor(): Promise<Helm> {
  return await setup!.connect();
}

Deno.test({
  name: "helm template renders a local chart with object values (real helm)",
  ignore: !setup,
  fn: async () => {
    const helm = await connectHelm({ path: setup!.helmPath });
    assert.ok(helm.major === 3 || helm.major === 4, `helm ${helm.version}`);
    const yaml = await helm.template("demo", { path: `${CHARTS}app` }, {
      namespace: "ns1",
      values: { replicas: 3, message: 'it\'s "quoted" & {templated}' },
    });
    assert.match(yaml, /replicas: 3/);
    assert.match(yaml, /message: "it's \\"quoted\\" & \{templated\}"/);
  },
});

Deno.test({
  name: "upgradeInstall waits for Available, is idempotent, upgrades on change, uninstalls",
  ignore: !env,
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const helm = await helmFor();
    const ns = `helm-live-${Date.now().toString(36)}`;
    const chart = { path: `${CHARTS}app` };
    const first = await helm.upgradeInstall("web", chart, {
      namespace: ns,
      values: { replicas: 2 },
      timeoutMs: 60_000,
    });
    assert.equal(first.changed, true);
    assert.equal(first.release.status, "deployed");
    assert.equal(first.release.revision, 1);
    assert.equal(first.release.chart, "app-0.1.0");

    const again = await helm.upgradeInstall("web", chart, {
      namespace: ns,
      values: { replicas: 2 },
      timeoutMs: 60_000,
    });
    assert.equal(again.changed, false, "same chart and values: no new revision");
    assert.equal(again.release.revision, 1);

    const changed = await helm.upgradeInstall("web", chart, {
      namespace: ns,
      values: { replicas: 1, message: "bye" },
      timeoutMs: 60_000,
    });
    assert.equal(changed.changed, true);
    assert.equal(changed.release.revision, 2);
    assert.deepEqual(await helm.values("web", { namespace: ns }), { replicas: 1, message: "bye" });

    assert.equal(await helm.uninstall("web", { namespace: ns, timeoutMs: 60_000 }), true);
    assert.equal(await helm.status("web", { namespace: ns }), undefined);
    assert.equal(await helm.uninstall("web", { namespace: ns }), false);
  },
});

Deno.test({
  name: "a chart that never becomes ready fails with a readable timeout error",
  ignore: !env,
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const helm = await helmFor();
    const ns = `helm-stuck-${Date.now().toString(36)}`;
    const err = await helm.upgradeInstall("stuck", { path: `${CHARTS}app` }, {
      namespace: ns,
      // No node carries this label: the pod stays Pending, the Deployment never Available.
      values: { nodeSelector: { "bosun.dev/no-such-node": "true" } },
      timeoutMs: 5_000,
    }).then(() => undefined, (e: unknown) => e);
    assert.ok(err instanceof HelmError, String(err));
    assert.equal(err.timedOut, true, err.message);
    assert.match(err.message, /^Cannot install release "stuck" in namespace "helm-stuck-/);
    assert.match(err.message, /app/);
    console.log(`  timeout error reads: ${err.message.split("\n").slice(0, 3).join(" | ")}`);
    await helm.uninstall("stuck", { namespace: ns, wait: false });
  },
});

Deno.test({
  name: "an install the API server rejects fails with Helm's message",
  ignore: !env,
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const helm = await helmFor();
    const err = await helm.upgradeInstall("broken", { path: `${CHARTS}broken` }, {
      namespace: `helm-broken-${Date.now().toString(36)}`,
      timeoutMs: 20_000,
    }).then(() => undefined, (e: unknown) => e);
    assert.ok(err instanceof HelmError, String(err));
    assert.equal(err.timedOut, false);
    assert.match(err.helmMessage, /Not_A_Valid_Name/);
    assert.match(err.message, /broken/);
  },
});

Deno.test({
  name: "a local chart with edited templates and the same version is upgraded (real helm)",
  ignore: !env,
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const helm = await helmFor();
    const ns = `helm-edit-${Date.now().toString(36)}`;
    const dir = await Deno.makeTempDir({ prefix: "bosun-chart-" });
    try {
      await Deno.mkdir(`${dir}/templates`);
      for (const f of ["Chart.yaml", "values.yaml", "templates/configmap.yaml"]) {
        await Deno.copyFile(`${CHARTS}app/${f}`, `${dir}/${f}`);
      }
      const chart = { path: dir };
      const first = await helm.upgradeInstall("edit", chart, { namespace: ns, timeoutMs: 60_000 });
      assert.equal(first.release.revision, 1);
      assert.match(first.release.description ?? "", /^Bosun: local chart sha256:/);
      const same = await helm.upgradeInstall("edit", chart, { namespace: ns, timeoutMs: 60_000 });
      assert.equal(same.changed, false);
      const cm = `${dir}/templates/configmap.yaml`;
      await Deno.writeTextFile(cm, `${(await Deno.readTextFile(cm)).trimEnd()}\n  edited: "yes"\n`);
      const edited = await helm.upgradeInstall("edit", chart, {
        namespace: ns,
        timeoutMs: 60_000,
      });
      assert.equal(edited.changed, true);
      assert.equal(edited.release.revision, 2);
      assert.equal(edited.release.chart, "app-0.1.0", "the version did not change");
      assert.match(await helm.template("edit", chart, { namespace: ns }), /edited: "yes"/);
      await helm.uninstall("edit", { namespace: ns, wait: false });
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
