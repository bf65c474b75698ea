/**
 * The capabilities each provider declares, held against what the same
 * provider renders: a capability that says "Bosun turns X on/off" must show in
 * the native config, so components that trust the capabilities are right.
 */

import assert from "node:assert/strict";
import {
  allProviders,
  capabilitiesOf,
  ClusterInputError,
  type ClusterProvider,
  getProvider,
  type ProviderInput,
} from "../../lib/cluster/mod.ts";
import { RecordingRunner } from "../../testing.ts";
import { silentReporter } from "../../lib/ui/mod.ts";
import { applyDefaults, type BosunConfig, DISTRIBUTIONS } from "../../lib/config/mod.ts";
import { planRegistries, registryRoutes } from "../../lib/registry/mod.ts";

function input(provider: ClusterProvider, spec: BosunConfig["spec"] = {}): ProviderInput {
  const config = applyDefaults({
    metadata: { name: "dev" },
    spec: { distribution: provider.distribution, ...spec },
  });
  const registries = planRegistries(config);
  return { config, registries, routes: registryRoutes(registries), stateDir: "/tmp/bosun/dev" };
}

/** Everything the provider would write, as one text. */
function rendered(provider: ClusterProvider, spec: BosunConfig["spec"] = {}): string {
  return provider.renderConfig(input(provider, spec)).map((f) => f.content).join("\n---\n");
}

Deno.test("every distribution declares its capabilities, reachable by name", () => {
  for (const d of DISTRIBUTIONS) {
    const caps = capabilitiesOf(d);
    assert.ok(caps.bundled.cni.name.length > 0, d);
    assert.ok(caps.nodes.dataDir.startsWith("/"), d);
    assert.ok(["container-name", "network-address"].includes(caps.registryAccess), d);
  }
  assert.throws(() => capabilitiesOf("Minikube"), /spec\.distribution/);
});

Deno.test("what each distribution bundles", () => {
  const bundled = Object.fromEntries(DISTRIBUTIONS.map((d) => [d, capabilitiesOf(d).bundled]));
  assert.deepEqual(bundled.Kind!.cni, { name: "kindnet", removable: true });
  assert.deepEqual(bundled.K3d!.cni, { name: "flannel", removable: true });
  assert.deepEqual(bundled.Talos!.cni, { name: "flannel", removable: true });
  assert.deepEqual(bundled.EKSAnywhere!.cni, { name: "cilium", removable: false });
  assert.deepEqual(
    DISTRIBUTIONS.filter((d) => bundled[d]!.metricsServer),
    ["K3d"],
  );
  assert.equal(bundled.K3d!.storage?.storageClass, "local-path");
  assert.equal(bundled.Kind!.storage?.storageClass, "standard");
  assert.equal(bundled.Talos!.storage, undefined);
  assert.equal(bundled.K3d!.loadBalancer, "servicelb");
  assert.ok(DISTRIBUTIONS.every((d) => bundled[d]!.kubeProxy));
});

Deno.test("a removable CNI is left out for Cilium and Calico; a fixed one refuses Calico by field", () => {
  for (const provider of allProviders()) {
    const caps = provider.capabilities;
    if (caps.bundled.cni.removable) {
      for (const cni of ["Cilium", "Calico"] as const) {
        assert.notEqual(
          rendered(provider, { cni }),
          rendered(provider, { cni: "Default" }),
          `${provider.distribution}: spec.cni ${cni} changes the native config`,
        );
      }
    } else {
      assert.throws(
        () => rendered(provider, { cni: "Calico" }),
        (e: unknown) => e instanceof ClusterInputError && e.field === "spec.cni",
        provider.distribution,
      );
    }
  }
});

Deno.test("kube-proxy is off exactly where Cilium is said to replace it", () => {
  for (const provider of allProviders()) {
    const replaced = provider.capabilities.network.kubeProxyReplacedByCilium;
    const text = rendered(provider, { cni: "Cilium" });
    assert.equal(
      /disabled: true|kubeProxyMode: none|--disable-kube-proxy/.test(text),
      replaced,
      `${provider.distribution}:\n${text}`,
    );
    if (replaced) {
      assert.ok(provider.capabilities.apiServer.nodeLocal, "Cilium then needs a node-local API");
      assert.ok(!/disabled: true/.test(rendered(provider, { cni: "Calico" })), "kept for Calico");
    }
  }
});

Deno.test("kubelets are told to request serving certificates exactly where they are not signed", () => {
  for (const provider of allProviders()) {
    const signed = provider.capabilities.kubeletServingCerts.signed;
    const on = rendered(provider, { metricsServer: "Enabled" });
    const off = rendered(provider, { metricsServer: "Default" });
    const asks = (t: string) => /serverTLSBootstrap: true|rotate-server-certificates/.test(t);
    assert.equal(asks(on), !signed, `${provider.distribution}:\n${on}`);
    assert.equal(asks(off), false, provider.distribution);
    // A second approver (an unpinned manifest) never rides along.
    assert.ok(!/extraManifests|https:\/\/raw\.githubusercontent/.test(on), provider.distribution);
  }
});

Deno.test("registry access: by container name, or by fixed addresses the plan assigns", () => {
  const spec = { registry: { mirrors: { "docker.io": "https://registry-1.docker.io" } } };
  for (const provider of allProviders()) {
    const pinput = input(provider, spec);
    const plan = provider.plan(pinput);
    const text = rendered(provider, spec);
    if (provider.capabilities.registryAccess === "network-address") {
      assert.deepEqual(
        Object.keys(plan.registryAddresses ?? {}).sort(),
        pinput.registries.map((r) => r.name).sort(),
        provider.distribution,
      );
      assert.equal(plan.preCreateNetwork, true, "registries are up before the nodes boot");
      assert.ok(!text.includes("http://dev-mirror-docker.io"), text);
      assert.ok(!text.includes("http://dev-registry:5000"), text);
    } else {
      assert.equal(plan.registryAddresses, undefined, provider.distribution);
    }
  }
});

Deno.test("provider queries and k3d start/stop run with a time limit", async () => {
  const runner = new RecordingRunner((cmd, args) => {
    const line = [cmd, ...args].join(" ");
    if (line === "kind get clusters") return { stdout: "" };
    if (line.startsWith("kind get kubeconfig")) return { stdout: "apiVersion: v1\n" };
    if (line.startsWith("k3d cluster list")) return { stdout: "[]" };
    if (line.startsWith("k3d ")) return {};
    return undefined;
  });
  const ctx = { runner, stateDir: "/tmp/bosun/dev", reporter: silentReporter };
  const kind = getProvider("Kind");
  const k3d = getProvider("K3d");
  await kind.list(ctx);
  await kind.kubeconfig("dev", ctx);
  await k3d.list(ctx);
  await k3d.kubeconfig("dev", ctx);
  await k3d.start("dev", ctx);
  await k3d.stop("dev", ctx);
  assert.equal(runner.calls.length, 6);
  for (const call of runner.calls) {
    const limit = (call.options as { timeoutMs?: number }).timeoutMs;
    assert.ok(typeof limit === "number" && limit > 0, [call.cmd, ...call.args].join(" "));
  }
});
