/**
 * A Helm chart skeleton: Chart.yaml and values.yaml are built as objects;
 * the files under `templates/` are Go templates, so they are text.
 *
 * @module
 */

import { stringify } from "yaml";
import { type AppTemplateOptions, DEFAULT_APP, type TemplateFile } from "./types.ts";

const HELPERS = `{{/* Chart name, truncated to the 63 characters Kubernetes allows. */}}
{{- define "app.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Full name: the release name, unless it already contains the chart name. */}}
{{- define "app.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else if contains (include "app.name" .) .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name (include "app.name" .) | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}

{{- define "app.selectorLabels" -}}
app.kubernetes.io/name: {{ include "app.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "app.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{ include "app.selectorLabels" . }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}
`;

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "app.fullname" . }}
  labels:
    {{- include "app.labels" . | nindent 4 }}
spec:
  replicas: {{ .Values.replicaCount }}
  selector:
    matchLabels:
      {{- include "app.selectorLabels" . | nindent 6 }}
  template:
    metadata:
      labels:
        {{- include "app.selectorLabels" . | nindent 8 }}
    spec:
      containers:
        - name: {{ .Chart.Name }}
          image: "{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}"
          imagePullPolicy: {{ .Values.image.pullPolicy }}
          ports:
            - name: http
              containerPort: {{ .Values.containerPort }}
              protocol: TCP
          {{- with .Values.resources }}
          resources:
            {{- toYaml . | nindent 12 }}
          {{- end }}
`;

const SERVICE = `apiVersion: v1
kind: Service
metadata:
  name: {{ include "app.fullname" . }}
  labels:
    {{- include "app.labels" . | nindent 4 }}
spec:
  type: {{ .Values.service.type }}
  ports:
    - port: {{ .Values.service.port }}
      targetPort: http
      protocol: TCP
      name: http
  selector:
    {{- include "app.selectorLabels" . | nindent 4 }}
`;

const NOTES = `{{ include "app.fullname" . }} is installed in namespace {{ .Release.Namespace }}.
Reach it with:
  kubectl -n {{ .Release.Namespace }} port-forward svc/{{ include "app.fullname" . }} 8080:{{ .Values.service.port }}
`;

const HELMIGNORE = [".DS_Store", ".git/", "*.swp", "*.bak", "*.tmp", "*.orig", "*~", ""].join(
  "\n",
);

/**
 * A Helm chart skeleton for one application (Deployment and Service).
 *
 * @param dir Directory of the chart (`k8s/charts/hello`).
 * @param app The application; its name becomes the chart name.
 * @returns The chart's files.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { helmChart } from "./helm_chart.ts";
 * const files = helmChart("charts/hello");
 * assert.ok(files.some((f) => f.path === "charts/hello/Chart.yaml"));
 * ```
 */
export function helmChart(dir: string, app: AppTemplateOptions = {}): TemplateFile[] {
  const a = { ...DEFAULT_APP, ...app };
  const colon = a.image.lastIndexOf(":");
  const repository = colon > a.image.lastIndexOf("/") ? a.image.slice(0, colon) : a.image;
  const tag = colon > a.image.lastIndexOf("/") ? a.image.slice(colon + 1) : "latest";
  const chart = {
    apiVersion: "v2",
    name: a.name,
    description: `A Helm chart for ${a.name}`,
    type: "application",
    version: "0.1.0",
    appVersion: tag,
  };
  const values = {
    replicaCount: 1,
    image: { repository, tag: "", pullPolicy: "IfNotPresent" },
    containerPort: a.port,
    service: { type: "ClusterIP", port: 80 },
    resources: { requests: { cpu: "10m", memory: "32Mi" }, limits: { memory: "128Mi" } },
    nameOverride: "",
    fullnameOverride: "",
  };
  return [
    { path: `${dir}/Chart.yaml`, content: stringify(chart) },
    { path: `${dir}/values.yaml`, content: stringify(values) },
    { path: `${dir}/.helmignore`, content: HELMIGNORE },
    { path: `${dir}/templates/_helpers.tpl`, content: HELPERS },
    { path: `${dir}/templates/deployment.yaml`, content: DEPLOYMENT },
    { path: `${dir}/templates/service.yaml`, content: SERVICE },
    { path: `${dir}/templates/NOTES.txt`, content: NOTES },
  ];
}
