/**
 * `bosun secrets …`: SOPS encryption from the command line. Every action loads
 * `lib/sops` lazily, so `bosun --help` stays fast.
 *
 * @module
 */

import type { Command } from "commander";
import { examples, output, reporterFor } from "./_context.ts";

const collect = (v: string, prev: string[] = []): string[] => [
  ...prev,
  ...v.split(",").map((s) => s.trim()).filter(Boolean),
];

interface KeyFlags {
  readonly age?: string[];
  readonly pgp?: string[];
  readonly kms?: string[];
  readonly awsProfile?: string;
  readonly gcpKms?: string[];
  readonly azureKv?: string[];
  readonly hcVaultTransit?: string[];
  readonly ageKeyFile?: string[];
  readonly pgpKeyFile?: string[];
  readonly gnupgHome?: string;
  readonly inputType?: string;
  readonly outputType?: string;
  readonly sopsConfig?: string;
}

interface RuleFlags {
  readonly encryptedRegex?: string;
  readonly unencryptedRegex?: string;
  readonly encryptedSuffix?: string;
  readonly unencryptedSuffix?: string;
  readonly encryptedCommentRegex?: string;
  readonly unencryptedCommentRegex?: string;
  readonly macOnlyEncrypted?: boolean;
  readonly shamirThreshold?: string;
}

function recipients(c: Command): Command {
  return c
    .option(
      "--age <recipients>",
      "age recipients (age1… or ssh-ed25519 …), comma-separated, repeatable",
      collect,
    )
    .option("--pgp <fingerprints>", "PGP fingerprints, comma-separated, repeatable", collect)
    .option("--kms <arns>", "AWS KMS key ARNs (arn or arn+roleArn), comma-separated", collect)
    .option("--aws-profile <name>", "AWS profile for the KMS keys")
    .option("--gcp-kms <ids>", "GCP KMS resource ids, comma-separated", collect)
    .option("--azure-kv <urls>", "Azure Key Vault key URLs, comma-separated", collect);
}

function keySources(c: Command): Command {
  return c
    .option("--hc-vault-transit <uris>", "Vault transit URIs, comma-separated", collect)
    .option("--age-key-file <file>", "extra age identity file (repeatable)", collect)
    .option(
      "--pgp-key-file <file>",
      "armored PGP key file used instead of the gpg keyring (repeatable)",
      collect,
    )
    .option("--gnupg-home <dir>", "GNUPGHOME for gpg")
    .option(
      "--input-type <format>",
      "yaml, json, dotenv, ini or binary (default: from the extension)",
    )
    .option("--output-type <format>", "output format (default: the input format)")
    .option("--sops-config <file>", ".sops.yaml to use (default: found walking up from the file)");
}

function sources(f: KeyFlags) {
  return {
    ...(f.ageKeyFile ? { ageIdentityFiles: f.ageKeyFile } : {}),
    ...(f.pgpKeyFile ? { pgpKeyFiles: f.pgpKeyFile } : {}),
    ...(f.gnupgHome ? { gnupgHome: f.gnupgHome } : {}),
    ...(f.inputType ? { format: f.inputType } : {}),
    ...(f.outputType ? { outputFormat: f.outputType } : {}),
    ...(f.sopsConfig ? { configPath: f.sopsConfig } : {}),
  };
}

function spec(f: KeyFlags) {
  return {
    ...(f.age ? { age: f.age } : {}),
    ...(f.pgp ? { pgp: f.pgp } : {}),
    ...(f.kms ? { kms: f.kms } : {}),
    ...(f.awsProfile ? { awsProfile: f.awsProfile } : {}),
    ...(f.gcpKms ? { gcpKms: f.gcpKms } : {}),
    ...(f.azureKv ? { azureKv: f.azureKv } : {}),
    ...(f.hcVaultTransit ? { hcVault: f.hcVaultTransit } : {}),
  };
}

function rules(f: RuleFlags) {
  return {
    ...(f.encryptedRegex ? { encryptedRegex: f.encryptedRegex } : {}),
    ...(f.unencryptedRegex ? { unencryptedRegex: f.unencryptedRegex } : {}),
    ...(f.encryptedSuffix ? { encryptedSuffix: f.encryptedSuffix } : {}),
    ...(f.unencryptedSuffix ? { unencryptedSuffix: f.unencryptedSuffix } : {}),
    ...(f.encryptedCommentRegex ? { encryptedCommentRegex: f.encryptedCommentRegex } : {}),
    ...(f.unencryptedCommentRegex ? { unencryptedCommentRegex: f.unencryptedCommentRegex } : {}),
    ...(f.macOnlyEncrypted ? { macOnlyEncrypted: true } : {}),
    ...(f.shamirThreshold ? { shamirThreshold: Number(f.shamirThreshold) } : {}),
  };
}

function withRules(c: Command): Command {
  return c
    .option("--encrypted-regex <re>", "encrypt only values whose key matches")
    .option("--unencrypted-regex <re>", "leave values whose key matches in clear")
    .option("--encrypted-suffix <s>", "encrypt only keys with this suffix")
    .option("--unencrypted-suffix <s>", "leave keys with this suffix in clear")
    .option("--encrypted-comment-regex <re>", "encrypt only values after a matching comment")
    .option("--unencrypted-comment-regex <re>", "leave values after a matching comment in clear")
    .option("--mac-only-encrypted", "the MAC covers only encrypted values")
    .option("--shamir-threshold <n>", "key groups needed to decrypt");
}

function write(text: string): void {
  Deno.stdout.writeSync(new TextEncoder().encode(text));
}

/** Registers `bosun secrets` and its subcommands on the program. */
export function registerSecrets(program: Command): void {
  const secrets = program.command("secrets")
    .description("encrypt, decrypt, edit and re-key SOPS files (age, PGP, cloud KMS)");

  withRules(keySources(recipients(
    secrets.command("encrypt <file>")
      .description("encrypt a file (keys from flags or the matching .sops.yaml rule)")
      .option("-i, --in-place", "write the result over the file")
      .option("-o, --output <file>", "write the result to this file"),
  ))).action(
    async (
      file: string,
      f: KeyFlags & RuleFlags & { inPlace?: boolean; output?: string },
      command: Command,
    ) => {
      const { encryptSecret } = await import("../sops/mod.ts");
      const result = await encryptSecret(file, {
        ...spec(f),
        ...sources(f),
        ...rules(f),
        ...(f.output ? { output: f.output } : {}),
        inPlace: f.inPlace === true,
      });
      if (!f.inPlace && !f.output) write(result.content);
      // Which rule chose the keys and the encrypted values, on stderr (stdout may hold the file).
      (await reporterFor(command)).log("info", `encrypted ${file}: ${result.rule.description}`);
    },
  );

  keySources(
    secrets.command("decrypt <file>")
      .description("decrypt a file (or one value with --extract) to stdout or --output")
      .option("--extract <path>", 'only this value, e.g. \'["db"]["password"]\'')
      .option("--ignore-mac", "decrypt even when the MAC is missing or wrong")
      .option(
        "-o, --output <file>",
        "write the plaintext to this file (mode 0600) instead of stdout",
      ),
  ).action(
    async (
      file: string,
      f: KeyFlags & { extract?: string; ignoreMac?: boolean; output?: string },
    ) => {
      const { decryptSecretBytes } = await import("../sops/mod.ts");
      const out = await decryptSecretBytes(file, {
        ...sources(f),
        ...(f.extract ? { extract: f.extract } : {}),
        ...(f.ignoreMac ? { ignoreMac: true } : {}),
        ...(f.output ? { output: f.output } : {}),
      });
      if (!f.output) Deno.stdout.writeSync(out);
    },
  );

  withRules(keySources(recipients(
    secrets.command("edit <file>")
      .description(
        "decrypt into $SOPS_EDITOR/$EDITOR and re-encrypt when changed (creates new files)",
      )
      .option("--editor <command>", "editor command")
      .option("--ignore-mac", "open even when the MAC is wrong"),
  ))).action(
    async (
      file: string,
      f: KeyFlags & RuleFlags & { editor?: string; ignoreMac?: boolean },
      command: Command,
    ) => {
      const { editSecret } = await import("../sops/mod.ts");
      const r = await editSecret(file, {
        ...spec(f),
        ...sources(f),
        ...rules(f),
        ...(f.editor ? { editor: f.editor } : {}),
        ...(f.ignoreMac ? { ignoreMac: true } : {}),
      });
      output(
        command,
        r,
        r.created ? `created ${file}` : r.changed ? `updated ${file}` : `${file} unchanged`,
      );
    },
  );

  keySources(
    secrets.command("rotate <file>")
      .description("new data key, values re-encrypted; optionally add/remove master keys")
      .option("--add-age <recipients>", "age recipients to add", collect)
      .option("--rm-age <recipients>", "age recipients to remove", collect)
      .option("--add-pgp <fps>", "PGP fingerprints to add", collect)
      .option("--rm-pgp <fps>", "PGP fingerprints to remove", collect)
      .option("-o, --output <file>", "write here instead of in place"),
  ).action(async (
    file: string,
    f: KeyFlags & {
      addAge?: string[];
      rmAge?: string[];
      addPgp?: string[];
      rmPgp?: string[];
      output?: string;
    },
    command: Command,
  ) => {
    const { rotateSecret } = await import("../sops/mod.ts");
    await rotateSecret(file, {
      ...sources(f),
      ...(f.output ? { output: f.output } : {}),
      add: { ...(f.addAge ? { age: f.addAge } : {}), ...(f.addPgp ? { pgp: f.addPgp } : {}) },
      remove: { ...(f.rmAge ? { age: f.rmAge } : {}), ...(f.rmPgp ? { pgp: f.rmPgp } : {}) },
    });
    output(command, { rotated: file }, `rotated the data key of ${f.output ?? file}`);
  });

  keySources(
    secrets.command("updatekeys <path>")
      .description(
        "make the master keys of a file or every encrypted file under a directory match .sops.yaml",
      )
      .option("--dry-run", "only show what would change"),
  ).action(async (path: string, f: KeyFlags & { dryRun?: boolean }, command: Command) => {
    const { updateKeys } = await import("../sops/mod.ts");
    const results = await updateKeys(path, {
      ...sources(f),
      ...(f.dryRun ? { dryRun: true } : {}),
    });
    const lines = results.filter((r) =>
      r.status !== "skipped" || !r.reason?.startsWith("not encrypted")
    )
      .map((r) => {
        const what = [...r.added.map((k) => `+${k}`), ...r.removed.map((k) => `-${k}`)].join(" ");
        return `${r.status.padEnd(9)} ${r.path}${what ? `  ${what}` : ""}${
          r.reason && r.status !== "updated" ? `  (${r.reason.split("\n")[0]})` : ""
        }`;
      });
    const updated = results.filter((r) => r.status === "updated").length;
    lines.push(`${f.dryRun ? "would update" : "updated"} ${updated} of ${results.length} files`);
    output(command, results, lines.join("\n"));
    if (results.some((r) => r.status === "failed")) {
      const { SopsError } = await import("../sops/mod.ts");
      throw new SopsError(`Cannot update the keys of every file under ${path}: some failed`);
    }
  });

  keySources(
    secrets.command("set <file> <path> <json-value>")
      .description(
        'set one value (JSON), e.g. bosun secrets set s.yaml \'["db"]["password"]\' \'"s3cret"\'',
      ),
  ).action(async (file: string, path: string, value: string, f: KeyFlags) => {
    const { setSecretValue } = await import("../sops/mod.ts");
    let parsed: unknown;
    try {
      parsed = JSON.parse(value);
    } catch {
      throw new TypeError(`Cannot set ${path}: the value must be JSON (quote strings: '"text"')`);
    }
    await setSecretValue(file, path, parsed, sources(f));
  });

  keySources(
    secrets.command("unset <file> <path>").description("remove one value"),
  ).action(async (file: string, path: string, f: KeyFlags) => {
    const { unsetSecretValue } = await import("../sops/mod.ts");
    await unsetSecretValue(file, path, sources(f));
  });

  secrets.command("explain <file>")
    .description(
      "show which .sops.yaml rule applies to a file, why the others do not, and the keys",
    )
    .option("--sops-config <file>", ".sops.yaml to use")
    .action(async (file: string, f: { sopsConfig?: string }, command: Command) => {
      const { explainCreationRules, formatExplanation } = await import("../sops/mod.ts");
      const e = await explainCreationRules(file, f.sopsConfig ? { configPath: f.sopsConfig } : {});
      output(command, e, formatExplanation(e));
    });

  secrets.command("keygen")
    .description("generate an age key (prints it, or writes/imports it)")
    .option("-o, --output <file>", "write the key file here (mode 0600)")
    .option("--import", "add it to the sops keys file ($SOPS_AGE_KEY_FILE or the default)")
    .option("--pq", "a post-quantum hybrid key (age1pq1…, ML-KEM-768 + X25519)")
    .action(async (f: { output?: string; import?: boolean; pq?: boolean }, command: Command) => {
      const { generateAgeKey } = await import("../sops/mod.ts");
      const key = await generateAgeKey({ ...(f.import ? { keysFile: true } : {}), pq: !!f.pq });
      if (f.output) {
        const { writeFileAtomic } = await import("../fs/mod.ts");
        await writeFileAtomic(f.output, key.fileText, { mode: 0o600 });
      }
      if (f.output || f.import) {
        output(command, { recipient: key.recipient }, `Public key: ${key.recipient}`);
      } else write(key.fileText);
    });

  secrets.command("import-key [file]")
    .description(
      "import age identities from a file (or stdin) into the sops keys file, without duplicates",
    )
    .option(
      "--keys-file <file>",
      "keys file (default: $SOPS_AGE_KEY_FILE or the per-OS sops default)",
    )
    .action(async (file: string | undefined, f: { keysFile?: string }, command: Command) => {
      const { importAgeKey } = await import("../sops/mod.ts");
      const text = file
        ? await Deno.readTextFile(file)
        : await new Response(Deno.stdin.readable).text();
      const r = await importAgeKey(text, f.keysFile ? { keysFile: f.keysFile } : {});
      output(
        command,
        r,
        [
          ...r.added.map((k) => `imported ${k}`),
          ...r.alreadyPresent.map((k) => `already present ${k}`),
          `keys file: ${r.keysFile}`,
        ].join("\n"),
      );
    });
  examples(
    secrets,
    "bosun secrets encrypt -i k8s/secrets/db.yaml",
    "bosun secrets explain k8s/secrets/db.yaml",
  );
  const subcommandExamples: Readonly<Record<string, readonly string[]>> = {
    encrypt: [
      "bosun secrets encrypt -i k8s/secrets/db.yaml",
      "bosun secrets encrypt --age age1… secret.env > secret.enc.env",
    ],
    decrypt: [
      "bosun secrets decrypt k8s/secrets/db.yaml",
      'bosun secrets decrypt --extract \'["data"]["password"]\' db.yaml',
    ],
    edit: ["bosun secrets edit k8s/secrets/db.yaml  # opens $SOPS_EDITOR or $EDITOR"],
    rotate: ["bosun secrets rotate -i k8s/secrets/db.yaml"],
    updatekeys: [
      "bosun secrets updatekeys k8s/",
      "bosun secrets updatekeys --dry-run k8s/secrets/db.yaml",
    ],
    set: ['bosun secrets set db.yaml \'["data"]["password"]\' \'"s3cret"\''],
    unset: ['bosun secrets unset db.yaml \'["data"]["password"]\''],
    explain: ["bosun secrets explain k8s/secrets/db.yaml"],
    keygen: ["bosun secrets keygen --import", "bosun secrets keygen -o ~/keys/dev.txt"],
    "import-key": ["bosun secrets import-key ~/Downloads/team.agekey"],
  };
  for (const sub of secrets.commands) examples(sub, ...(subcommandExamples[sub.name()] ?? []));
}
