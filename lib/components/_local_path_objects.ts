/**
 * Private: the local-path-provisioner release manifest as typed objects,
 * following the upstream `deploy/local-path-storage.yaml` layout (Namespace,
 * ServiceAccount, Role and ClusterRole with bindings, Deployment,
 * StorageClass, ConfigMap with config.json, setup/teardown scripts and the
 * helper pod template).
 *
 * @module
 */

import { stringify } from "yaml";
import type { KubeObject } from "../kube/mod.ts";
import { namespaceObject, podSecurityLabels } from "./_api.ts";

/** The namespace of the provisioner. */
export const LOCAL_PATH_NAMESPACE = "local-path-storage";
/** The StorageClass name. */
export const LOCAL_PATH_CLASS = "local-path";
/** The annotation that makes a StorageClass the default. */
export const DEFAULT_CLASS_ANNOTATION = "storageclass.kubernetes.io/is-default-class";

/** What varies between distributions and versions. */
export interface LocalPathSettings {
  /** Image tag (the release version). */
  readonly version: string;
  /** Host directories volumes are created in. */
  readonly nodePaths: readonly string[];
  /** Mark the StorageClass as the cluster default. */
  readonly defaultClass: boolean;
  /** Pod Security level of the namespace (helper pods mount host paths). */
  readonly podSecurity?: "privileged" | undefined;
}

const SA = "local-path-provisioner-service-account";
const ROLE = "local-path-provisioner-role";
const BIND = "local-path-provisioner-bind";

/** Builds the manifest objects, in apply order. */
export function localPathObjects(s: LocalPathSettings): KubeObject[] {
  const ns = LOCAL_PATH_NAMESPACE;
  const helperPod = {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "helper-pod" },
    spec: {
      priorityClassName: "system-node-critical",
      tolerations: [{
        key: "node.kubernetes.io/disk-pressure",
        operator: "Exists",
        effect: "NoSchedule",
      }],
      containers: [{ name: "helper-pod", image: "busybox", imagePullPolicy: "IfNotPresent" }],
    },
  };
  const config = {
    nodePathMap: [{ node: "DEFAULT_PATH_FOR_NON_LISTED_NODES", paths: [...s.nodePaths] }],
  };
  return [
    namespaceObject(ns, s.podSecurity),
    { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: SA, namespace: ns } },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "Role",
      metadata: { name: ROLE, namespace: ns },
      rules: [{
        apiGroups: [""],
        resources: ["pods"],
        verbs: ["get", "list", "watch", "create", "patch", "update", "delete"],
      }],
    },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRole",
      metadata: { name: ROLE },
      rules: [
        {
          apiGroups: [""],
          resources: ["nodes", "persistentvolumeclaims", "configmaps", "pods", "pods/log"],
          verbs: ["get", "list", "watch"],
        },
        {
          apiGroups: [""],
          resources: ["persistentvolumes"],
          verbs: ["get", "list", "watch", "create", "patch", "update", "delete"],
        },
        { apiGroups: [""], resources: ["events"], verbs: ["create", "patch"] },
        {
          apiGroups: ["storage.k8s.io"],
          resources: ["storageclasses"],
          verbs: ["get", "list", "watch"],
        },
      ],
    },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "RoleBinding",
      metadata: { name: BIND, namespace: ns },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: ROLE },
      subjects: [{ kind: "ServiceAccount", name: SA, namespace: ns }],
    },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRoleBinding",
      metadata: { name: BIND },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: ROLE },
      subjects: [{ kind: "ServiceAccount", name: SA, namespace: ns }],
    },
    {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "local-path-provisioner", namespace: ns },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: "local-path-provisioner" } },
        template: {
          metadata: { labels: { app: "local-path-provisioner" } },
          spec: {
            serviceAccountName: SA,
            containers: [{
              name: "local-path-provisioner",
              image: `rancher/local-path-provisioner:${s.version}`,
              imagePullPolicy: "IfNotPresent",
              command: [
                "local-path-provisioner",
                "--debug",
                "start",
                "--config",
                "/etc/config/config.json",
              ],
              volumeMounts: [{ name: "config-volume", mountPath: "/etc/config/" }],
              env: [
                {
                  name: "POD_NAMESPACE",
                  valueFrom: { fieldRef: { fieldPath: "metadata.namespace" } },
                },
                { name: "CONFIG_MOUNT_PATH", value: "/etc/config/" },
              ],
            }],
            volumes: [{ name: "config-volume", configMap: { name: "local-path-config" } }],
          },
        },
      },
    },
    {
      apiVersion: "storage.k8s.io/v1",
      kind: "StorageClass",
      metadata: {
        name: LOCAL_PATH_CLASS,
        ...(s.defaultClass ? { annotations: { [DEFAULT_CLASS_ANNOTATION]: "true" } } : {}),
      },
      provisioner: "rancher.io/local-path",
      volumeBindingMode: "WaitForFirstConsumer",
      reclaimPolicy: "Delete",
    },
    {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "local-path-config", namespace: ns },
      data: {
        "config.json": JSON.stringify(config, null, 2),
        setup: ["#!/bin/sh", "set -eu", 'mkdir -m 0777 -p "$VOL_DIR"'].join("\n"),
        teardown: ["#!/bin/sh", "set -eu", 'rm -rf "$VOL_DIR"'].join("\n"),
        "helperPod.yaml": stringify(helperPod),
      },
    },
  ];
}

/**
 * Adapts a fetched upstream manifest: marks the StorageClass default and
 * labels the namespace, leaving everything else as released.
 */
export function adaptFetched(objects: KubeObject[], s: LocalPathSettings): KubeObject[] {
  return objects.map((o) => {
    const copy = structuredClone(o);
    if (copy.kind === "StorageClass" && s.defaultClass) {
      copy.metadata.annotations = {
        ...copy.metadata.annotations,
        [DEFAULT_CLASS_ANNOTATION]: "true",
      };
    }
    if (copy.kind === "Namespace" && s.podSecurity !== undefined) {
      copy.metadata.labels = { ...copy.metadata.labels, ...podSecurityLabels(s.podSecurity) };
    }
    return copy;
  });
}
