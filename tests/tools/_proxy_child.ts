// Private: run by proxy_test.ts in a child process whose env carries HTTPS_PROXY / NO_PROXY.
// Resolves a tool whose release host does not exist, so only a proxy could answer.

import { resolveTool } from "../../lib/tools/mod.ts";

const cacheDir = Deno.args[0]!;
try {
  await resolveTool("fakebin", {
    catalogue: {
      fakebin: {
        name: "fakebin",
        version: "1.0.0",
        minVersion: "1.0.0",
        versionArgs: ["--version"],
        versionPattern: /v(\d+\.\d+\.\d+)/,
        platforms: ["linux/amd64"],
        url: "https://release.bosun-test.invalid/fakebin",
        archive: "binary",
        checksum: { url: "{asset_url}.sha256sum" },
        manual: "none",
      },
    },
    platform: "linux/amd64",
    cacheDir,
    searchPath: "",
    goInstall: false,
    env: () => undefined,
  });
  console.log("resolved");
} catch (err) {
  console.log(err instanceof Error ? err.message : String(err));
}
