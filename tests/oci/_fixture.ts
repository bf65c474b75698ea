// A manifest tree with the awkward cases: nesting, long paths (ustar prefix and PAX), unicode,
// an empty file, an executable, and a file large enough to stream.

export async function makeTree(root: string): Promise<void> {
  const files: Record<string, string | Uint8Array> = {
    "kustomization.yaml": "resources:\n  - apps/web.yaml\n",
    "apps/web.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\n",
    "apps/empty.yaml": "",
    "apps/ünïcødé-ñame.yaml": "kind: Namespace\n",
    [`deep/${"d".repeat(90)}/${"f".repeat(60)}.yaml`]: "prefix-split: true\n",
    [`pax/${"p".repeat(120)}/${"q".repeat(120)}/${"r".repeat(40)}.yaml`]: "pax: true\n",
    "scripts/run.sh": "#!/bin/sh\necho hi\n",
  };
  for (const [path, content] of Object.entries(files)) {
    const full = `${root}/${path}`;
    await Deno.mkdir(full.slice(0, full.lastIndexOf("/")), { recursive: true });
    if (typeof content === "string") await Deno.writeTextFile(full, content);
    else await Deno.writeFile(full, content);
  }
  await Deno.chmod(`${root}/scripts/run.sh`, 0o755);
  await Deno.mkdir(`${root}/empty-dir`);
  // 3 MiB of incompressible bytes, so the gzip output is big too.
  const big = new Uint8Array(3 << 20);
  for (let off = 0; off < big.length; off += 65536) {
    crypto.getRandomValues(big.subarray(off, off + 65536));
  }
  await Deno.mkdir(`${root}/blobs`);
  await Deno.writeFile(`${root}/blobs/big.bin`, big);
}

/** Every regular file under root, relative path → bytes. */
export async function readTree(root: string, rel = ""): Promise<Map<string, Uint8Array>> {
  const out = new Map<string, Uint8Array>();
  for await (const e of Deno.readDir(root)) {
    const path = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory) {
      for (const [k, v] of await readTree(`${root}/${e.name}`, path)) out.set(k, v);
    } else if (e.isFile) out.set(path, await Deno.readFile(`${root}/${e.name}`));
  }
  return out;
}

export function assertSameTree(a: Map<string, Uint8Array>, b: Map<string, Uint8Array>): void {
  const ka = [...a.keys()].sort();
  const kb = [...b.keys()].sort();
  if (JSON.stringify(ka) !== JSON.stringify(kb)) {
    throw new Error(`file lists differ:\n${ka.join("\n")}\n---\n${kb.join("\n")}`);
  }
  for (const k of ka) {
    const x = a.get(k)!;
    const y = b.get(k)!;
    if (x.length !== y.length || !x.every((v, i) => v === y[i])) throw new Error(`${k} differs`);
  }
}
