/**
 * A Helm wait that fails names the release's pods and their reasons (ErrImagePull,
 * CrashLoopBackOff), read from the pods; ready pods are left out.
 */
import assert from "node:assert/strict";
import { applyDefaults } from "../../lib/config/mod.ts";
import {
  type ComponentContext,
  defineHelmComponent,
  ReleasePodsNotReadyError,
} from "../../lib/components/mod.ts";
import { podProblems } from "../../lib/components/_pods.ts";
import { HelmError } from "../../lib/helm/mod.ts";
import type { Helm } from "../../lib/helm/mod.ts";
import type { Kube, KubeObject, ListOptions } from "../../lib/kube/mod.ts";

function pod(name: string, status: Record<string, unknown>): KubeObject {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, namespace: "web", labels: { "app.kubernetes.io/instance": "web" } },
    status,
  } as KubeObject;
}

const PULL = pod("web-pull", {
  phase: "Pending",
  containerStatuses: [{
    name: "app",
    ready: false,
    restartCount: 0,
    state: { waiting: { reason: "ErrImagePull", message: "failed to pull bosun.test/none:1" } },
  }],
});
const CRASH = pod("web-crash", {
  phase: "Running",
  containerStatuses: [{
    name: "app",
    ready: false,
    restartCount: 3,
    state: { waiting: { reason: "CrashLoopBackOff", message: "back-off 40s" } },
    lastState: { terminated: { reason: "Error", exitCode: 7 } },
  }],
});
const READY = pod("web-ok", {
  phase: "Running",
  conditions: [{ type: "Ready", status: "True" }],
  containerStatuses: [{ name: "app", ready: true, state: { running: {} } }],
});

Deno.test("podProblems: each not-ready pod with its container's reason; ready pods left out", () => {
  assert.deepEqual(podProblems([PULL, CRASH, READY]), [
    "web/web-pull: container app ErrImagePull (restarts 0): failed to pull bosun.test/none:1",
    "web/web-crash: container app CrashLoopBackOff (restarts 3, last exit code 7): back-off 40s",
  ]);
  const unschedulable = pod("web-pending", {
    phase: "Pending",
    conditions: [{
      type: "PodScheduled",
      status: "False",
      reason: "Unschedulable",
      message: "0/1 nodes are available",
    }],
  });
  assert.deepEqual(podProblems([unschedulable]), [
    "web/web-pending: Unschedulable: 0/1 nodes are available",
  ]);
});

Deno.test("a failed helm wait becomes ReleasePodsNotReadyError naming the pod and reason", async () => {
  const component = defineHelmComponent({
    name: "web",
    chart: { path: "./charts/web" },
    version: "0.1.0",
    namespace: "web",
    enabled: () => true,
  });
  const config = applyDefaults({ spec: { components: {} } });
  const helmError = new HelmError({
    operation: "install",
    release: "web",
    namespace: "web",
    helmMessage: "context deadline exceeded",
    timedOut: true,
  });
  const helm = {
    upgradeInstall: () => Promise.reject(helmError),
  } as unknown as Helm;
  const lists: ListOptions[] = [];
  const kube = {
    list(apiVersion: string, kind: string, options: ListOptions = {}) {
      assert.equal(`${apiVersion} ${kind}`, "v1 Pod");
      lists.push(options);
      return Promise.resolve([PULL, READY]);
    },
  } as unknown as Kube;
  const ctx: ComponentContext = {
    config,
    plan: component.plan(config),
    helm,
    kube: () => Promise.resolve(kube),
    step: { update() {} } as unknown as ComponentContext["step"],
    signal: new AbortController().signal,
    timeoutMs: 10_000,
  };
  const err = await component.install(ctx).then(
    () => assert.fail("install succeeded"),
    (e: unknown) => e,
  );
  assert.ok(err instanceof ReleasePodsNotReadyError, String(err));
  assert.deepEqual(err.pods, [
    "web/web-pull: container app ErrImagePull (restarts 0): failed to pull bosun.test/none:1",
  ]);
  assert.match(err.message, /web-pull: container app ErrImagePull/);
  assert.equal(err.cause, helmError);
  assert.deepEqual(lists, [{ namespace: "web", labelSelector: "app.kubernetes.io/instance=web" }]);
});
