import assert from "node:assert/strict";
import {
  formatReference,
  InvalidReferenceError,
  isLoopbackRegistry,
  parseReference,
  repositoryName,
} from "../../lib/registry/oci/mod.ts";
import { parseChallenge } from "../../lib/registry/oci/client.ts";

Deno.test("parseReference splits host, repository, tag and digest", () => {
  const d = `sha256:${"a".repeat(64)}`;
  assert.deepEqual(parseReference("oci://127.0.0.1:5050/team/app:v1"), {
    registry: "127.0.0.1:5050",
    repository: "team/app",
    tag: "v1",
  });
  assert.deepEqual(parseReference(`ghcr.io/org/app@${d}`), {
    registry: "ghcr.io",
    repository: "org/app",
    digest: d,
  });
  assert.deepEqual(parseReference("dev-registry:5000/k8s"), {
    registry: "dev-registry:5000",
    repository: "k8s",
  });
  assert.equal(formatReference(parseReference(`r:1/a/b:t@${d}`)), `r:1/a/b:t@${d}`);
});

Deno.test("parseReference rejects malformed references", () => {
  assert.throws(() => parseReference("k8s"), InvalidReferenceError);
  assert.throws(() => parseReference("r:5000/K8S:latest"), /bad repository/);
  assert.throws(() => parseReference("r:5000/k8s:bad tag"), /bad tag/);
  assert.throws(() => parseReference("r:5000/k8s@sha256:zz"), /bad digest/);
});

Deno.test("loopback registries are recognised, others are not", () => {
  for (const h of ["localhost:5050", "127.0.0.1:5000", "[::1]:5000", "reg.localhost"]) {
    assert.ok(isLoopbackRegistry(h), h);
  }
  for (const h of ["ghcr.io", "dev-registry:5000", "10.0.0.1:5000", "127.example.com"]) {
    assert.ok(!isLoopbackRegistry(h), h);
  }
  assert.equal(repositoryName("./My Manifests/"), "my-manifests");
});

Deno.test("WWW-Authenticate challenges are parsed", () => {
  const c = parseChallenge(
    'Bearer realm="https://auth.example/token",service="registry.example",scope="repository:a/b:pull,push"',
  );
  assert.equal(c?.scheme, "bearer");
  assert.equal(c?.params.realm, "https://auth.example/token");
  assert.equal(c?.params.scope, "repository:a/b:pull,push");
  assert.equal(parseChallenge('Basic realm="x"')?.scheme, "basic");
  assert.equal(parseChallenge(null), undefined);
});
