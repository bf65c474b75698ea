// Private: reads one regular file out of a .tar.gz, refusing the whole archive when any entry
// (or link target) is absolute or climbs out with `..`. Handles ustar, GNU long names and pax paths.

/** An archive entry Bosun will not unpack, or an archive it cannot read. */
export class UnsafeArchiveError extends Error {
  /** Builds the error; `reason` names the entry. */
  constructor(reason: string) {
    super(reason);
    this.name = "UnsafeArchiveError";
  }
}

const BLOCK = 512;
const decoder = new TextDecoder();

function field(block: Uint8Array, offset: number, length: number): string {
  const bytes = block.subarray(offset, offset + length);
  const end = bytes.indexOf(0);
  return decoder.decode(end === -1 ? bytes : bytes.subarray(0, end));
}

function octal(block: Uint8Array, offset: number, length: number, what: string): number {
  const text = field(block, offset, length).trim();
  if (text === "") return 0;
  if (!/^[0-7]+$/.test(text)) {
    throw new UnsafeArchiveError(`unreadable ${what} ${JSON.stringify(text)}`);
  }
  return parseInt(text, 8);
}

/** Whether a path stays inside the extraction directory. */
export function isSafeEntry(path: string): boolean {
  if (path.startsWith("/") || /^[A-Za-z]:/.test(path) || path.includes("\\")) return false;
  return !path.split("/").includes("..");
}

function paxPath(data: Uint8Array): string | undefined {
  const text = decoder.decode(data);
  for (const record of text.split("\n")) {
    const m = /^\d+ path=(.*)$/.exec(record);
    if (m) return m[1];
  }
  return undefined;
}

/**
 * Gunzips and scans a tarball; returns the bytes of `member`.
 *
 * @throws {UnsafeArchiveError} On an absolute or `..` entry anywhere in the archive, a
 *   malformed header, or when `member` is missing or not a regular file.
 */
export async function extractMember(
  gz: ReadableStream<Uint8Array>,
  member: string,
): Promise<Uint8Array> {
  const tar = new Uint8Array(
    await new Response(
      gz.pipeThrough(
        new DecompressionStream("gzip") as ReadableWritablePair<Uint8Array, Uint8Array>,
      ),
    ).arrayBuffer(),
  );
  const want = member.replace(/^\.\//, "");
  let found: Uint8Array | undefined;
  let longName: string | undefined;
  let offset = 0;
  while (offset + BLOCK <= tar.length) {
    const header = tar.subarray(offset, offset + BLOCK);
    if (header.every((b) => b === 0)) break;
    const size = octal(header, 124, 12, "entry size");
    const type = String.fromCharCode(header[156] ?? 0);
    const dataStart = offset + BLOCK;
    const dataEnd = dataStart + size;
    if (dataEnd > tar.length) throw new UnsafeArchiveError("the archive ends inside an entry");
    const data = tar.subarray(dataStart, dataEnd);
    offset = dataStart + Math.ceil(size / BLOCK) * BLOCK;
    if (type === "L") {
      longName = field(data, 0, data.length);
      continue;
    }
    if (type === "x") {
      longName = paxPath(data) ?? longName;
      continue;
    }
    if (type === "g") continue;
    const prefix = field(header, 345, 155);
    const short = field(header, 0, 100);
    const name = longName ?? (prefix ? `${prefix}/${short}` : short);
    longName = undefined;
    if (!isSafeEntry(name)) {
      throw new UnsafeArchiveError(
        `entry ${JSON.stringify(name)} would be written outside the tool's directory`,
      );
    }
    const link = field(header, 157, 100);
    if ((type === "1" || type === "2") && !isSafeEntry(link)) {
      throw new UnsafeArchiveError(
        `link ${JSON.stringify(name)} points outside: ${JSON.stringify(link)}`,
      );
    }
    if (name.replace(/^\.\//, "") === want) {
      if (type !== "0" && type !== "\0" && type !== "7") {
        throw new UnsafeArchiveError(`entry ${JSON.stringify(name)} is not a regular file`);
      }
      found = data.slice();
    }
  }
  if (found === undefined) {
    throw new UnsafeArchiveError(`the archive has no ${JSON.stringify(want)}`);
  }
  return found;
}
