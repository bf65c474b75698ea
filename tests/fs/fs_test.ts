import assert from "node:assert/strict";
import { FileSystemError, writeFileAtomic } from "../../lib/fs/mod.ts";

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "bosun-fs-" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

function names(dir: string): string[] {
  return [...Deno.readDirSync(dir)].map((e) => e.name).sort();
}

Deno.test("writeFileAtomic replaces a file and keeps its mode", async () => {
  await withDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/a`, "old", { mode: 0o600 });
    await Deno.chmod(`${dir}/a`, 0o600);
    await writeFileAtomic(`${dir}/a`, "new");
    assert.equal(await Deno.readTextFile(`${dir}/a`), "new");
    assert.equal((await Deno.stat(`${dir}/a`)).mode! & 0o777, 0o600);
    assert.deepEqual(names(dir), ["a"], "no temporary file left");
  });
});

Deno.test("writeFileAtomic through a symlink writes the real file and keeps the link", async () => {
  await withDir(async (dir) => {
    await Deno.mkdir(`${dir}/dotfiles`);
    await Deno.mkdir(`${dir}/home`);
    await Deno.writeTextFile(`${dir}/dotfiles/config`, "old", { mode: 0o600 });
    await Deno.chmod(`${dir}/dotfiles/config`, 0o600);
    // a relative link, as `ln -s ../dotfiles/config` makes
    await Deno.symlink("../dotfiles/config", `${dir}/home/config`);
    await writeFileAtomic(`${dir}/home/config`, "new");
    assert.ok((await Deno.lstat(`${dir}/home/config`)).isSymlink, "the link stays a link");
    assert.equal(await Deno.readLink(`${dir}/home/config`), "../dotfiles/config");
    assert.equal(await Deno.readTextFile(`${dir}/dotfiles/config`), "new");
    assert.equal((await Deno.stat(`${dir}/dotfiles/config`)).mode! & 0o777, 0o600);
    assert.deepEqual(names(`${dir}/home`), ["config"]);
    assert.deepEqual(
      names(`${dir}/dotfiles`),
      ["config"],
      "temp file written beside the real file",
    );
  });
});

Deno.test("writeFileAtomic follows a chain of links to a target that does not exist yet", async () => {
  await withDir(async (dir) => {
    await Deno.symlink(`${dir}/middle`, `${dir}/first`);
    await Deno.symlink("last", `${dir}/middle`);
    await writeFileAtomic(`${dir}/first`, "created");
    assert.equal(await Deno.readTextFile(`${dir}/last`), "created");
    assert.ok((await Deno.lstat(`${dir}/first`)).isSymlink);
    assert.ok((await Deno.lstat(`${dir}/middle`)).isSymlink);
  });
});

Deno.test("writeFileAtomic refuses a loop of links with a typed error naming the path", async () => {
  await withDir(async (dir) => {
    await Deno.symlink(`${dir}/b`, `${dir}/a`);
    await Deno.symlink(`${dir}/a`, `${dir}/b`);
    await assert.rejects(
      () => writeFileAtomic(`${dir}/a`, "x"),
      (e: unknown) =>
        e instanceof FileSystemError && e.path === `${dir}/a` && /symbolic links/.test(e.message),
    );
  });
});

Deno.test("writeFileAtomic flushes the data to disk before the rename", async () => {
  await withDir(async (dir) => {
    const events: string[] = [];
    const proto = Deno.FsFile.prototype;
    const sync = proto.sync;
    const rename = Deno.rename;
    proto.sync = function (this: Deno.FsFile) {
      events.push("sync");
      return sync.call(this);
    };
    Deno.rename = (from, to) => {
      events.push("rename");
      return rename(from, to);
    };
    try {
      await writeFileAtomic(`${dir}/a`, "data");
    } finally {
      proto.sync = sync;
      Deno.rename = rename;
    }
    // the temp file before the rename; the directory after it (Linux lets a directory be synced)
    assert.deepEqual(events, Deno.build.os === "linux" ? ["sync", "rename", "sync"] : events);
    assert.equal(events[0], "sync", `events: ${events.join(", ")}`);
    assert.equal(events[1], "rename");
    assert.equal(await Deno.readTextFile(`${dir}/a`), "data");
  });
});
