/**
 * Generate an application's manifests as typed objects and write them as a
 * kustomize base: `deno run -A examples/generate_manifests.ts out/web`.
 */

import {
  deploymentManifest,
  ingressManifest,
  kustomizationManifest,
  serviceManifest,
  toYaml,
  writeFileAtomic,
} from "@bosun/sdk";

const dir = Deno.args[0] ?? "k8s/apps/base/web";
await Deno.mkdir(dir, { recursive: true });

const files: Record<string, unknown> = {
  "deployment.yaml": deploymentManifest("web", {
    image: "nginx:1.27-alpine",
    port: 80,
    replicas: 2,
  }),
  "service.yaml": serviceManifest("web", { port: 80 }),
  "ingress.yaml": ingressManifest("web", { host: "web.localtest.me", port: 80 }),
};
const { metadata: _unused, ...kustomization } = kustomizationManifest({
  resources: Object.keys(files),
});
files["kustomization.yaml"] = kustomization;

for (const [name, object] of Object.entries(files)) {
  await writeFileAtomic(`${dir}/${name}`, toYaml(object));
  console.log(`wrote ${dir}/${name}`);
}
