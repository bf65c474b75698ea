/**
 * Typed errors raised by the SOPS implementation.
 *
 * @module
 */

/** Base class of every SOPS error raised by Bosun. */
export class SopsError extends Error {
  /** The file concerned, when there is one. */
  readonly path: string | undefined;
  /** Builds the error. */
  constructor(message: string, options?: ErrorOptions & { path?: string | undefined }) {
    super(message, options);
    this.name = "SopsError";
    this.path = options?.path;
  }
}

/** A file or value is not in a form SOPS can read (broken YAML, unknown format, bad `ENC[…]`). */
export class SopsFormatError extends SopsError {
  /** Builds the error. */
  constructor(message: string, options?: ErrorOptions & { path?: string | undefined }) {
    super(message, options);
    this.name = "SopsFormatError";
  }
}

/** The MAC stored in the file does not match its content: it was altered or the key is wrong. */
export class SopsMacMismatchError extends SopsError {
  /** Builds the error. */
  constructor(message: string, options?: ErrorOptions & { path?: string | undefined }) {
    super(message, options);
    this.name = "SopsMacMismatchError";
  }
}

/** A value or comment could not be decrypted with the data key. */
export class SopsValueDecryptError extends SopsError {
  /** The key path of the value (`a:b:`). */
  readonly keyPath: string;
  /** Builds the error. */
  constructor(keyPath: string, options?: ErrorOptions & { path?: string | undefined }) {
    super(
      `Cannot decrypt the value at "${keyPath}"${
        options?.path ? ` in ${options.path}` : ""
      }: authentication failed (the value or its key path was altered, or the data key is wrong)`,
      options,
    );
    this.name = "SopsValueDecryptError";
    this.keyPath = keyPath;
  }
}

/** Why one master key could not unwrap the data key. */
export interface KeyAttempt {
  /** The key, as shown to users (`age:age1…`, `pgp:FBC7…`). */
  readonly key: string;
  /** Why it failed. */
  readonly reason: string;
}

/** No key group (or not enough groups for the Shamir threshold) could be unwrapped. */
export class SopsDecryptKeyError extends SopsError {
  /** Master keys found in the file. */
  readonly recipients: readonly string[];
  /** Identities and key sources that were tried. */
  readonly identitiesTried: readonly string[];
  /** What went wrong per key. */
  readonly attempts: readonly KeyAttempt[];
  /** Builds the error. */
  constructor(
    init: {
      readonly recipients: readonly string[];
      readonly identitiesTried: readonly string[];
      readonly attempts: readonly KeyAttempt[];
      readonly path?: string | undefined;
      readonly detail?: string;
    },
  ) {
    const lines = [
      `Cannot decrypt the data key${init.path ? ` of ${init.path}` : ""}${
        init.detail ? `: ${init.detail}` : ""
      }`,
      `  recipients in the file: ${init.recipients.join(", ") || "(none)"}`,
      `  identities tried: ${init.identitiesTried.join(", ") || "(none found)"}`,
      ...init.attempts.map((a) => `  ${a.key}: ${a.reason}`),
    ];
    super(lines.join("\n"), { path: init.path });
    this.name = "SopsDecryptKeyError";
    this.recipients = init.recipients;
    this.identitiesTried = init.identitiesTried;
    this.attempts = init.attempts;
  }
}

/** A master key could not wrap the data key (encryption side). */
export class SopsKeyProviderError extends SopsError {
  /** The key, as shown to users. */
  readonly key: string;
  /** Why the key could not be used. */
  readonly reason: string;
  /** Builds the error. */
  constructor(key: string, reason: string, options?: ErrorOptions) {
    super(`Cannot use the key ${key}: ${reason}`, options);
    this.name = "SopsKeyProviderError";
    this.key = key;
    this.reason = reason;
  }
}

/** The file is already encrypted (encrypt was asked) or is not (decrypt was asked). */
export class SopsStateError extends SopsError {
  /** Builds the error. */
  constructor(message: string, options?: ErrorOptions & { path?: string | undefined }) {
    super(message, options);
    this.name = "SopsStateError";
  }
}

/**
 * An edit was interrupted (a signal such as SIGINT, or the caller's abort signal) before the
 * file was rewritten. The encrypted file is untouched and the plaintext copy has been removed.
 */
export class SopsEditInterruptedError extends SopsError {
  /** The signal that interrupted the edit (`"SIGINT"`), or `"abort"` for the caller's signal. */
  readonly signal: string;
  /** Builds the error. */
  constructor(path: string, signal: string, options?: ErrorOptions) {
    super(
      `Edit of ${path} interrupted by ${signal}: the file was not changed and the ` +
        "decrypted copy was removed",
      { ...options, path },
    );
    this.name = "SopsEditInterruptedError";
    this.signal = signal;
  }
}

/** Why one creation rule did not apply to a file. */
export interface RuleMiss {
  /** Zero-based rule index in `creation_rules`. */
  readonly index: number;
  /** The rule's `path_regex` (empty when it has none). */
  readonly pathRegex: string;
  /** Why it did not match. */
  readonly reason: string;
}

/** No creation rule applies to a file and no keys were given. */
export class SopsNoMatchingRuleError extends SopsError {
  /** The `.sops.yaml` consulted, if any. */
  readonly configPath: string | undefined;
  /** Each rule tried and why it did not match. */
  readonly misses: readonly RuleMiss[];
  /** Builds the error. */
  constructor(
    init: {
      readonly path: string;
      readonly configPath: string | undefined;
      readonly misses: readonly RuleMiss[];
      readonly detail: string;
    },
  ) {
    const lines = [`Cannot choose keys for ${init.path}: ${init.detail}`];
    for (const m of init.misses) {
      lines.push(`  rule #${m.index + 1} (path_regex ${JSON.stringify(m.pathRegex)}): ${m.reason}`);
    }
    super(lines.join("\n"), { path: init.path });
    this.name = "SopsNoMatchingRuleError";
    this.configPath = init.configPath;
    this.misses = init.misses;
  }
}
