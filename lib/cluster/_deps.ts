/**
 * The cross-area functions the lifecycle uses, gathered in one place.
 *
 * @module
 */

export { mergeKubeconfig, removeKubeconfigContext } from "../kube/kubeconfig.ts";
export type { KubeconfigData } from "../kube/kubeconfig.ts";
export {
  CLUSTER_LABEL,
  inClusterRegistryHost,
  localRegistryHostingConfigMap,
  observeRegistries,
  removeClusterResources,
  type RemovedResources,
  setRegistriesRunning,
} from "../registry/mod.ts";
