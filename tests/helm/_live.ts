/**
 * Private: the live set-up shared by the Helm and component tests and the components
 * bench. Real helm, the local fixture charts and the shared test control plane in full
 * mode (kwok makes the pods Ready, so `--wait` really waits for Available Deployments).
 *
 * @module
 */

import { connectHelm, type Helm } from "../../lib/helm/mod.ts";
import { requirePeers } from "../harness/peers.ts";
import { type TestEnv, useTestEnv } from "../harness/mod.ts";

/** The fixture charts directory (`tests/fixtures/charts/`, with the trailing slash). */
export const CHARTS: string = new URL("../fixtures/charts/", import.meta.url).pathname;

/** The peers of the test control plane in full mode. */
const FULL_CONTROL_PLANE = [
  "kube-apiserver",
  "etcd",
  "kube-controller-manager",
  "kube-scheduler",
  "kwok",
] as const;

/** Real helm and the shared full-mode test environment. */
export interface LiveHelm {
  /** The helm executable. */
  readonly helmPath: string;
  /** The full-mode test environment. */
  readonly env: TestEnv;
  /** A Helm client for that environment's kubeconfig. */
  connect(): Promise<Helm>;
}

/**
 * helm and the shared full-mode test environment, or `undefined` when a peer is missing
 * outside CI (`requirePeers` has said which; under CI it throws).
 */
export async function useLiveHelm(): Promise<LiveHelm | undefined> {
  const peers = await requirePeers("helm", ...FULL_CONTROL_PLANE);
  if (!peers) return undefined;
  const env = await useTestEnv({ mode: "full" });
  return {
    helmPath: peers.helm,
    env,
    connect: () => connectHelm({ path: peers.helm, kubeconfig: env.kubeconfig }),
  };
}

/**
 * The shared full-mode test environment without asking for helm, or `undefined` when a
 * control-plane peer is missing outside CI.
 */
export async function useFullTestEnv(): Promise<TestEnv | undefined> {
  const peers = await requirePeers(...FULL_CONTROL_PLANE);
  return peers ? await useTestEnv({ mode: "full" }) : undefined;
}
