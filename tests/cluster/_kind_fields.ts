/**
 * The fields kind's v1alpha4 config decodes (kind publishes no JSON schema and
 * decodes strictly), by level: what the Kind config tests check generated
 * files against.
 *
 * @module
 */

/** Known fields at each level of a kind.x-k8s.io/v1alpha4 Cluster. */
export const KIND_FIELDS = {
  top: [
    "kind",
    "apiVersion",
    "name",
    "nodes",
    "networking",
    "featureGates",
    "runtimeConfig",
    "kubeadmConfigPatches",
    "kubeadmConfigPatchesJSON6902",
    "containerdConfigPatches",
    "containerdConfigPatchesJSON6902",
  ],
  node: [
    "role",
    "image",
    "labels",
    "extraMounts",
    "extraPortMappings",
    "kubeadmConfigPatches",
    "kubeadmConfigPatchesJSON6902",
  ],
  networking: [
    "ipFamily",
    "apiServerPort",
    "apiServerAddress",
    "podSubnet",
    "serviceSubnet",
    "disableDefaultCNI",
    "kubeProxyMode",
    "dnsSearch",
  ],
  mount: ["hostPath", "containerPath", "readOnly", "selinuxRelabel", "propagation"],
  port: ["containerPort", "hostPort", "listenAddress", "protocol"],
};
