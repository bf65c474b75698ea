/**
 * Private: the label kind and EKS Anywhere's Docker provider (CAPD) both put on
 * their node containers, how Bosun tells their clusters apart, and how their
 * nodes behave ({@linkcode KIND_NODE_FACTS}).
 *
 * @module
 */

import { ClusterInputError } from "./errors.ts";
import type { DistributionCapabilities } from "./types.ts";

/** The label kind and CAPD put on every node container; its value is the cluster name. */
export const KIND_CLUSTER_LABEL = "io.x-k8s.kind.cluster";
/** The role label; CAPD's load balancer `<name>-lb` carries `external-load-balancer`. */
export const KIND_ROLE_LABEL = "io.x-k8s.kind.role";
/** The suffix of the kind cluster EKS Anywhere bootstraps with (`<name>-eks-a-cluster`). */
export const EKSA_BOOTSTRAP_SUFFIX = "-eks-a-cluster";

/**
 * The names of the EKS Anywhere clusters among the containers carrying kind's
 * labels: CAPD gives each cluster a load balancer `<name>-lb` with role
 * `external-load-balancer` (kind names its own `<name>-external-load-balancer`),
 * so a name with that container is EKS Anywhere's and any other is kind's.
 *
 * @param containers Containers with their names and labels (`docker ps`).
 * @returns The EKS Anywhere cluster names, sorted.
 */
export function eksaClusterNames(
  containers: readonly {
    readonly name: string;
    readonly labels: Readonly<Record<string, string>>;
  }[],
): string[] {
  return [
    ...new Set(
      containers
        .filter((c) => c.labels[KIND_ROLE_LABEL] === "external-load-balancer")
        .map((c) => c.labels[KIND_CLUSTER_LABEL])
        .filter((n): n is string => !!n && containers.some((c) => c.name === `${n}-lb`)),
    ),
  ].sort();
}

/**
 * The error for a cluster name the other kind-labelled distribution already
 * uses: kind and CAPD both label nodes `io.x-k8s.kind.cluster=<name>`, so
 * `kind delete cluster`, `docker stop` by that label and listing would reach
 * both clusters. Bosun refuses to create, stop, start or delete the one that
 * does not exist while the other does.
 *
 * @param cluster The name.
 * @param owner The distribution whose cluster holds the name.
 * @param wanted The distribution asked for.
 * @returns The error (field `metadata.name`).
 */
export function kindLabelConflict(
  cluster: string,
  owner: "Kind" | "EKS Anywhere",
  wanted: "Kind" | "EKS Anywhere",
): ClusterInputError {
  return new ClusterInputError({
    operation: "inspect",
    cluster,
    field: "metadata.name",
    value: cluster,
    reason: `an ${owner} cluster named "${cluster}" exists and its nodes carry the label ` +
      `${KIND_CLUSTER_LABEL}=${cluster} that ${wanted} nodes of that name would carry too; ` +
      `Bosun does not create, start, stop or delete an ${wanted} cluster "${cluster}" beside it: ` +
      `choose another metadata.name`,
  });
}

/**
 * How kubeadm nodes in kind's Docker containers behave: kind's own clusters and EKS Anywhere's
 * Docker provider (CAPD, built on kind's node image) alike. Only what they bundle differs.
 */
export const KIND_NODE_FACTS: Omit<DistributionCapabilities, "bundled"> = {
  registryAccess: "container-name",
  kubeletServingCerts: { signed: false, approverBundled: false },
  network: { podCidr: undefined, podCidrsOnNodes: false, kubeProxyReplacedByCilium: false },
  nodes: {
    podSecurity: undefined,
    dataDir: "/opt",
    kernelModules: true,
    cgroupRoot: undefined,
    kubeletVolumePluginDir: true,
    packetFilter: "iptables",
    containerIpForwarding: false,
  },
  apiServer: { nodeLocal: undefined, settlesAfterCreate: false },
};
