/**
 * Minimal JSON schemas for the common built-in kinds, written for Bosun: the
 * required fields, the types that are easy to get wrong, and the known field
 * names at the levels where typos are common (object, metadata, container).
 *
 * @module
 */

/** A JSON schema as a plain object. */
export type JsonSchema = Record<string, unknown>;

const str = { type: "string" };
const int = { type: "integer" };
const bool = { type: "boolean" };
const intOrString = { anyOf: [{ type: "integer" }, { type: "string" }] };
const stringMap = { type: "object", additionalProperties: { type: "string" } };
const obj = { type: "object" };
const arrayOf = (items: JsonSchema) => ({ type: "array", items });

/** Metadata: names checked as Kubernetes checks them, known fields only. */
export const METADATA: JsonSchema = {
  type: "object",
  additionalProperties: false,
  anyOf: [{ required: ["name"] }, { required: ["generateName"] }],
  properties: {
    name: { type: "string", maxLength: 253, pattern: "^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$" },
    generateName: str,
    namespace: { type: "string", maxLength: 63, pattern: "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$" },
    labels: stringMap,
    annotations: stringMap,
    finalizers: arrayOf(str),
    ownerReferences: arrayOf(obj),
    uid: str,
    resourceVersion: str,
    generation: int,
    creationTimestamp: { type: ["string", "null"] },
    deletionTimestamp: str,
    deletionGracePeriodSeconds: int,
    managedFields: arrayOf(obj),
    selfLink: str,
  },
};

const CONTAINER: JsonSchema = {
  type: "object",
  required: ["name", "image"],
  additionalProperties: false,
  properties: {
    name: { type: "string", pattern: "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", maxLength: 63 },
    image: str,
    command: arrayOf(str),
    args: arrayOf(str),
    workingDir: str,
    ports: arrayOf({
      type: "object",
      required: ["containerPort"],
      additionalProperties: false,
      properties: {
        name: { type: "string", maxLength: 15 },
        containerPort: { type: "integer", minimum: 1, maximum: 65535 },
        hostPort: int,
        hostIP: str,
        protocol: { enum: ["TCP", "UDP", "SCTP"] },
      },
    }),
    envFrom: arrayOf(obj),
    env: arrayOf({
      type: "object",
      required: ["name"],
      additionalProperties: false,
      properties: { name: str, value: str, valueFrom: obj },
    }),
    resources: obj,
    resizePolicy: arrayOf(obj),
    restartPolicy: str,
    volumeMounts: arrayOf({
      type: "object",
      required: ["name", "mountPath"],
      properties: { name: str, mountPath: str, readOnly: bool, subPath: str },
    }),
    volumeDevices: arrayOf(obj),
    livenessProbe: obj,
    readinessProbe: obj,
    startupProbe: obj,
    lifecycle: obj,
    terminationMessagePath: str,
    terminationMessagePolicy: { enum: ["File", "FallbackToLogsOnError"] },
    imagePullPolicy: { enum: ["Always", "Never", "IfNotPresent"] },
    securityContext: obj,
    stdin: bool,
    stdinOnce: bool,
    tty: bool,
  },
};

const POD_SPEC: JsonSchema = {
  type: "object",
  required: ["containers"],
  properties: {
    containers: { ...arrayOf(CONTAINER), minItems: 1 },
    initContainers: arrayOf(CONTAINER),
    restartPolicy: { enum: ["Always", "OnFailure", "Never"] },
    serviceAccountName: str,
    nodeSelector: stringMap,
    volumes: arrayOf({ type: "object", required: ["name"] }),
    imagePullSecrets: arrayOf({ type: "object", properties: { name: str } }),
  },
};

const POD_TEMPLATE: JsonSchema = {
  type: "object",
  required: ["spec"],
  properties: { metadata: { type: "object", properties: { labels: stringMap } }, spec: POD_SPEC },
};

const SELECTOR: JsonSchema = {
  type: "object",
  properties: { matchLabels: stringMap, matchExpressions: arrayOf(obj) },
};

const TOP_FIELDS = ["apiVersion", "kind", "metadata", "status"];

function kind(fields: Record<string, JsonSchema>, required: readonly string[] = []): JsonSchema {
  const properties: Record<string, JsonSchema> = { apiVersion: str, kind: str, metadata: METADATA };
  for (const f of TOP_FIELDS) properties[f] ??= obj;
  return {
    type: "object",
    required: ["apiVersion", "kind", "metadata", ...required],
    additionalProperties: false,
    properties: { ...properties, ...fields },
  };
}

const workload = (extra: Record<string, JsonSchema> = {}, required: string[] = ["selector"]) =>
  kind({
    spec: {
      type: "object",
      required: [...required, "template"],
      properties: {
        replicas: { type: "integer", minimum: 0 },
        selector: SELECTOR,
        template: POD_TEMPLATE,
        ...extra,
      },
    },
  }, ["spec"]);

/** Schemas of built-in kinds, keyed by `apiVersion/Kind` (`v1/Service`, `apps/v1/Deployment`). */
export const BUILTIN_SCHEMAS: Readonly<Record<string, JsonSchema>> = {
  "v1/Namespace": kind({ spec: obj }),
  "v1/ServiceAccount": kind({
    secrets: arrayOf(obj),
    imagePullSecrets: arrayOf(obj),
    automountServiceAccountToken: bool,
  }),
  "v1/ConfigMap": kind({ data: stringMap, binaryData: stringMap, immutable: bool }),
  "v1/Secret": kind({
    data: stringMap,
    stringData: stringMap,
    type: str,
    immutable: bool,
  }),
  "v1/Service": kind({
    spec: {
      type: "object",
      properties: {
        type: { enum: ["ClusterIP", "NodePort", "LoadBalancer", "ExternalName"] },
        selector: stringMap,
        ports: arrayOf({
          type: "object",
          required: ["port"],
          properties: {
            name: str,
            port: { type: "integer", minimum: 1, maximum: 65535 },
            targetPort: intOrString,
            nodePort: int,
            protocol: { enum: ["TCP", "UDP", "SCTP"] },
            appProtocol: str,
          },
        }),
        clusterIP: str,
        externalName: str,
      },
    },
  }),
  "v1/PersistentVolumeClaim": kind({
    spec: {
      type: "object",
      properties: {
        accessModes: arrayOf({
          enum: ["ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany", "ReadWriteOncePod"],
        }),
        resources: obj,
        storageClassName: str,
      },
    },
  }, ["spec"]),
  "apps/v1/Deployment": workload({
    strategy: obj,
    minReadySeconds: int,
    revisionHistoryLimit: int,
  }),
  "apps/v1/StatefulSet": workload({ serviceName: str, volumeClaimTemplates: arrayOf(obj) }),
  "apps/v1/DaemonSet": workload({ updateStrategy: obj }),
  "batch/v1/Job": kind({
    spec: {
      type: "object",
      required: ["template"],
      properties: { template: POD_TEMPLATE, backoffLimit: int, completions: int, parallelism: int },
    },
  }, ["spec"]),
  "networking.k8s.io/v1/Ingress": kind({
    spec: {
      type: "object",
      properties: {
        ingressClassName: str,
        tls: arrayOf({ type: "object", properties: { hosts: arrayOf(str), secretName: str } }),
        rules: arrayOf({
          type: "object",
          properties: {
            host: str,
            http: {
              type: "object",
              required: ["paths"],
              properties: {
                paths: arrayOf({
                  type: "object",
                  required: ["pathType", "backend"],
                  properties: {
                    path: str,
                    pathType: { enum: ["Exact", "Prefix", "ImplementationSpecific"] },
                    backend: obj,
                  },
                }),
              },
            },
          },
        }),
      },
    },
  }),
};
