// Shared set-up for the kube integration tests: a real control plane from the harness.

import type { Kube } from "../../lib/kube/mod.ts";
import { connectKube } from "../../lib/kube/mod.ts";
import { requirePeers, type TestEnv, useTestEnv } from "../harness/mod.ts";

/** The API-mode environment, or undefined when the peers are missing (outside CI). */
export async function apiEnv(): Promise<TestEnv | undefined> {
  const peers = await requirePeers("etcd", "kube-apiserver");
  return peers ? await useTestEnv({ mode: "api" }) : undefined;
}

/** The full-mode environment (controllers, scheduler, kwok), or undefined. */
export async function fullEnv(): Promise<TestEnv | undefined> {
  const peers = await requirePeers(
    "etcd",
    "kube-apiserver",
    "kube-controller-manager",
    "kube-scheduler",
    "kwok",
  );
  return peers ? await useTestEnv({ mode: "full" }) : undefined;
}

/** Connects to the environment; the caller closes it. */
export async function connect(env: TestEnv): Promise<Kube> {
  return await connectKube({ kubeconfig: env.kubeconfig });
}

/** A short random suffix for unique names. */
export function uid(): string {
  return crypto.randomUUID().slice(0, 8);
}

/** The shared test vectors directory. */
export const VECTORS = new URL("../../../shared/vectors/", import.meta.url).pathname;
