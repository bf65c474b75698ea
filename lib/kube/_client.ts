import type { ConnectOptions, Kube } from "./client.ts";
import { KubeconfigError } from "./errors.ts";
export function openKube(_o: ConnectOptions): Promise<Kube> {
  return Promise.reject(new KubeconfigError("not implemented"));
}
