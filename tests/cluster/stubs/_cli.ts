/**
 * A small model of how cobra (spf13/cobra + spf13/pflag) finds a command and parses its
 * flags, so the stub tools reject what the real CLIs reject, with their messages.
 *
 * The rules follow cobra 1.10: the command is found by walking the arguments (flags skipped;
 * a `--flag` the command does not know is assumed to take a value, as cobra's `stripFlags`
 * does); an unknown name directly under the root is `unknown command "x" for "tool"`; the
 * flags are then parsed against the command's own flags and its ancestors' persistent ones
 * (`unknown flag: --x`, `unknown shorthand flag: 'x' in -x`, `flag needs an argument: --x`,
 * `invalid argument "v" for "--x" flag: …`); then the positional arguments are checked.
 * How a tool prints those errors (prefix, usage, exit code) is its {@linkcode CliStyle}.
 *
 * @module
 */

/**
 * The kind of value a flag takes. `bool` flags take none (`--x`, `--x=false`); `list` is
 * repeatable (`--label a --label b`, docker's ListOpts, pflag's StringArray); `strings` is
 * repeatable and split at commas (pflag's StringSlice).
 */
export type FlagKind = "bool" | "string" | "int" | "duration" | "list" | "strings";

/** One flag: its kind and, when it has one, its one-letter shorthand. */
export interface FlagSpec {
  readonly kind: FlagKind;
  readonly short?: string;
}

/** What a command accepts as positional arguments (cobra's `Args`). */
export type ArgsRule =
  | { readonly none: true } // cobra.NoArgs: `unknown command "x" for "<path>"`
  | { readonly min?: number; readonly max?: number } // Minimum/Maximum/Range/ExactArgs
  | { readonly custom: (args: readonly string[]) => string | undefined }; // a RunE/Args check

/** What is wrong with the positional arguments, for a {@linkcode CliStyle} to word. */
export type ArgsProblem =
  | { readonly rule: "none"; readonly first: string }
  | { readonly rule: "exact" | "min" | "max"; readonly n: number; readonly got: number }
  | { readonly rule: "range"; readonly min: number; readonly max: number; readonly got: number }
  | { readonly rule: "custom"; readonly message: string };

/** cobra's own words for an {@linkcode ArgsProblem}. */
export function cobraArgsMessage(path: string, p: ArgsProblem): string {
  switch (p.rule) {
    case "none":
      return `unknown command ${JSON.stringify(p.first)} for ${JSON.stringify(path)}`;
    case "exact":
      return `accepts ${p.n} arg(s), received ${p.got}`;
    case "range":
      return `accepts between ${p.min} and ${p.max} arg(s), received ${p.got}`;
    case "min":
      return `requires at least ${p.n} arg(s), only received ${p.got}`;
    case "max":
      return `accepts at most ${p.n} arg(s), received ${p.got}`;
    case "custom":
      return p.message;
  }
}

/** A command: its flags, subcommands and positional rule. */
export interface CommandSpec {
  /** Local flags, by long name. */
  readonly flags?: Readonly<Record<string, FlagSpec>>;
  /** Flags this command's subcommands inherit too. */
  readonly persistent?: Readonly<Record<string, FlagSpec>>;
  /** Subcommands, by name. */
  readonly commands?: Readonly<Record<string, CommandSpec>>;
  /** Positional arguments. @default any */
  readonly args?: ArgsRule;
  /** Usage line after the command path (`[flags]`, `NAME [flags]`). @default "[flags]" */
  readonly use?: string;
  /** Flags parsed only up to the first positional argument (docker run's `IMAGE [COMMAND]`). */
  readonly stopAtPositional?: boolean;
  /** Whether the command runs by itself; a group that is not runnable prints its help. */
  readonly runnable?: boolean;
  /** Flags the command requires (cobra's MarkFlagRequired). */
  readonly required?: readonly string[];
  /** The real command exists but the stubs do not model it (answered as unsupported). */
  readonly opaque?: boolean;
}

/** How a tool reports what cobra found wrong, and its help. */
export interface CliStyle {
  /** The root's name as cobra shows it in paths (`kind`, `anywhere`). */
  readonly root: string;
  /** The help flag's names. @default ["help", "h"] */
  readonly help?: { readonly long: string; readonly short?: string };
  /** An error from finding the command (unknown command at the root). */
  findError(path: string, message: string): Outcome;
  /** An error from the flags of a command found (unknown, missing value, bad value, required). */
  flagError(path: string, use: string, message: string): Outcome;
  /** Wrong positional arguments. @default flagError with cobra's words */
  argsError?(path: string, use: string, problem: ArgsProblem): Outcome;
  /** A group command run without a subcommand, or with one it does not have. */
  group(path: string, positionals: readonly string[], commands: readonly string[]): Outcome;
}

/** What a process prints and how it exits. */
export interface Outcome {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** A command found and its arguments parsed. */
export interface Parsed {
  /** The command names after the root (`["create", "cluster"]`). */
  readonly path: readonly string[];
  /** Whether the command found is one the stubs do not model. */
  readonly opaque: boolean;
  /** Every flag given, by long name, each value in order (`"true"` for a bare bool). */
  readonly flags: ReadonlyMap<string, readonly string[]>;
  /** The positional arguments. */
  readonly positionals: readonly string[];
  /** The last value of a flag. */
  flag(name: string): string | undefined;
  /** Every value of a repeatable flag. */
  all(name: string): readonly string[];
  /** Whether a bool flag is set to true. */
  has(name: string): boolean;
}

/** Parses `args` against `root` the way cobra would; a usage error is an {@linkcode Outcome}. */
export function parseCli(
  root: CommandSpec,
  style: CliStyle,
  args: readonly string[],
): Parsed | Outcome {
  const help = style.help ?? { long: "help", short: "h" };
  // 1. find the command (cobra's Find/innerfind with stripFlags)
  const chain: CommandSpec[] = [root];
  const names: string[] = [];
  let rest = [...args];
  for (;;) {
    const here = chain.at(-1)!;
    const next = firstName(rest, visibleFlags(chain));
    const child = next === undefined ? undefined : here.commands?.[next.name];
    if (child === undefined || next === undefined) break;
    chain.push(child);
    names.push(next.name);
    rest = [...rest.slice(0, next.index), ...rest.slice(next.index + 1)];
  }
  const here = chain.at(-1)!;
  const path = [style.root, ...names].join(" ");
  const use = `${path} ${here.use ?? "[flags]"}`;
  if (chain.length === 1 && here.commands !== undefined && here.args === undefined) {
    const candidate = firstName(rest, visibleFlags(chain));
    if (candidate !== undefined) {
      return style.findError(
        path,
        `unknown command ${JSON.stringify(candidate.name)} for ${JSON.stringify(path)}` +
          suggestions(candidate.name, Object.keys(here.commands)),
      );
    }
  }
  // a real command the stubs do not model: its flags are not known either
  if (here.opaque === true && here.flags === undefined && here.commands === undefined) {
    return parsedOf(names, true, new Map(), rest);
  }
  // 2. parse the flags
  const known = visibleFlags(chain);
  const withHelp: Record<string, FlagSpec> = {
    ...known,
    [help.long]: { kind: "bool", ...(help.short ? { short: help.short } : {}) },
  };
  const parsed = parseFlags(rest, withHelp, here.stopAtPositional === true);
  if (typeof parsed === "string") return style.flagError(path, use, parsed);
  if (parsed.flags.has(help.long)) {
    return { code: 0, stdout: `${usageText(path, use, here)}\n`, stderr: "" };
  }
  // 3. a group prints its help (or the tool's own message)
  const runnable = here.runnable ?? here.commands === undefined;
  if (!runnable) {
    return style.group(path, parsed.positionals, Object.keys(here.commands ?? {}).sort());
  }
  // 4. positional arguments, then required flags
  const problem = checkArgs(here.args, parsed.positionals);
  if (problem !== undefined) {
    return style.argsError?.(path, use, problem) ??
      style.flagError(path, use, cobraArgsMessage(path, problem));
  }
  const missing = (here.required ?? []).filter((f) => !parsed.flags.has(f));
  if (missing.length > 0) {
    return style.flagError(
      path,
      use,
      `required flag(s) ${missing.map((m) => JSON.stringify(m)).join(", ")} not set`,
    );
  }
  return parsedOf(names, here.opaque === true, parsed.flags, parsed.positionals);
}

function parsedOf(
  path: readonly string[],
  opaque: boolean,
  flags: ReadonlyMap<string, readonly string[]>,
  positionals: readonly string[],
): Parsed {
  return {
    path,
    opaque,
    flags,
    positionals,
    flag: (name) => flags.get(name)?.at(-1),
    all: (name) => flags.get(name) ?? [],
    has: (name) => {
      const v = flags.get(name)?.at(-1);
      return v !== undefined && v !== "false";
    },
  };
}

/** Whether a parse ended in a usage error. */
export function isOutcome(value: Parsed | Outcome): value is Outcome {
  return "code" in value;
}

function visibleFlags(chain: readonly CommandSpec[]): Record<string, FlagSpec> {
  const out: Record<string, FlagSpec> = {};
  for (const c of chain.slice(0, -1)) Object.assign(out, c.persistent);
  const last = chain.at(-1)!;
  Object.assign(out, last.persistent, last.flags);
  return out;
}

/** The first argument that is not a flag or a flag's value, as cobra's stripFlags sees it. */
function firstName(
  args: readonly string[],
  flags: Readonly<Record<string, FlagSpec>>,
): { name: string; index: number } | undefined {
  const byShort = shortIndex(flags);
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === "--") return undefined;
    if (a.startsWith("--")) {
      const name = a.slice(2);
      if (!name.includes("=") && flags[name]?.kind !== "bool") i++;
      continue;
    }
    if (a.startsWith("-") && a.length > 1) {
      if (a.length === 2 && byShort.get(a[1]!)?.[1].kind !== "bool") i++;
      continue;
    }
    return { name: a, index: i };
  }
  return undefined;
}

function shortIndex(flags: Readonly<Record<string, FlagSpec>>): Map<string, [string, FlagSpec]> {
  const out = new Map<string, [string, FlagSpec]>();
  for (const [long, spec] of Object.entries(flags)) {
    if (spec.short) out.set(spec.short, [long, spec]);
  }
  return out;
}

function flagLabel(long: string, spec: FlagSpec): string {
  return spec.short ? `-${spec.short}, --${long}` : `--${long}`;
}

function checkValue(long: string, spec: FlagSpec, value: string): string | undefined {
  const bad = (why: string) =>
    `invalid argument ${JSON.stringify(value)} for ${
      JSON.stringify(flagLabel(long, spec))
    } flag: ${why}`;
  switch (spec.kind) {
    case "bool":
      return /^(1|0|t|f|T|F|true|false|TRUE|FALSE|True|False)$/.test(value)
        ? undefined
        : bad(`strconv.ParseBool: parsing ${JSON.stringify(value)}: invalid syntax`);
    case "int":
      return /^[+-]?\d+$/.test(value)
        ? undefined
        : bad(`strconv.ParseInt: parsing ${JSON.stringify(value)}: invalid syntax`);
    case "duration": {
      const why = durationProblem(value);
      return why === undefined ? undefined : bad(why);
    }
    default:
      return undefined;
  }
}

/** Go's time.ParseDuration errors, word for word. */
function durationProblem(text: string): string | undefined {
  const quoted = JSON.stringify(text);
  let s = text.replace(/^[+-]/, "");
  if (s === "0") return undefined;
  if (s === "") return `time: invalid duration ${quoted}`;
  while (s !== "") {
    const number = /^(\d*)(\.\d*)?/.exec(s)![0];
    if (number === "" || number === ".") return `time: invalid duration ${quoted}`;
    s = s.slice(number.length);
    const unit = /^[^\d.]*/.exec(s)![0];
    if (unit === "") return `time: missing unit in duration ${quoted}`;
    if (!["ns", "us", "µs", "μs", "ms", "s", "m", "h"].includes(unit)) {
      return `time: unknown unit ${JSON.stringify(unit)} in duration ${quoted}`;
    }
    s = s.slice(unit.length);
  }
  return undefined;
}

/** pflag's parse: the flags by long name, the positionals; an error message as a string. */
function parseFlags(
  args: readonly string[],
  flags: Readonly<Record<string, FlagSpec>>,
  stopAtPositional: boolean,
): { flags: Map<string, string[]>; positionals: string[] } | string {
  const values = new Map<string, string[]>();
  const positionals: string[] = [];
  const byShort = shortIndex(flags);
  const set = (long: string, spec: FlagSpec, value: string): string | undefined => {
    const problem = checkValue(long, spec, value);
    if (problem) return problem;
    const list = values.get(long) ?? [];
    list.push(...(spec.kind === "strings" ? value.split(",") : [value]));
    values.set(long, list);
    return undefined;
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === "--") {
      positionals.push(...args.slice(i + 1));
      break;
    }
    if (a.startsWith("--") && a.length > 2) {
      const eq = a.indexOf("=");
      const long = eq < 0 ? a.slice(2) : a.slice(2, eq);
      const spec = flags[long];
      if (spec === undefined) return `unknown flag: --${long}`;
      let value = eq < 0 ? undefined : a.slice(eq + 1);
      if (value === undefined) {
        if (spec.kind === "bool") value = "true";
        else if (i + 1 < args.length) value = args[++i]!;
        else return `flag needs an argument: --${long}`;
      }
      const problem = set(long, spec, value);
      if (problem) return problem;
      continue;
    }
    if (a.startsWith("-") && a.length > 1) {
      for (let j = 1; j < a.length; j++) {
        const c = a[j]!;
        const entry = byShort.get(c);
        if (entry === undefined) return `unknown shorthand flag: '${c}' in ${a}`;
        const [long, spec] = entry;
        if (spec.kind === "bool") {
          if (a[j + 1] === "=") {
            const problem = set(long, spec, a.slice(j + 2));
            if (problem) return problem;
            break;
          }
          const problem = set(long, spec, "true");
          if (problem) return problem;
          continue;
        }
        let value = a.slice(j + 1).replace(/^=/, "");
        if (value === "") {
          if (i + 1 < args.length) value = args[++i]!;
          else return `flag needs an argument: '${c}' in -${c}`;
        }
        const problem = set(long, spec, value);
        if (problem) return problem;
        break;
      }
      continue;
    }
    positionals.push(a);
    if (stopAtPositional) {
      positionals.push(...args.slice(i + 1));
      break;
    }
  }
  return { flags: values, positionals };
}

function checkArgs(rule: ArgsRule | undefined, args: readonly string[]): ArgsProblem | undefined {
  if (rule === undefined) return undefined;
  if ("none" in rule) return args.length > 0 ? { rule: "none", first: args[0]! } : undefined;
  if ("custom" in rule) {
    const message = rule.custom(args);
    return message === undefined ? undefined : { rule: "custom", message };
  }
  const { min, max } = rule;
  const got = args.length;
  if (min !== undefined && min === max) {
    return got === min ? undefined : { rule: "exact", n: min, got };
  }
  if (min !== undefined && max !== undefined) {
    return got < min || got > max ? { rule: "range", min, max, got } : undefined;
  }
  if (min !== undefined && got < min) return { rule: "min", n: min, got };
  if (max !== undefined && got > max) return { rule: "max", n: max, got };
  return undefined;
}

/** cobra's "Did you mean this?" (Levenshtein distance ≤ 2, or a prefix). */
function suggestions(typed: string, names: readonly string[]): string {
  const found = names.filter((n) =>
    levenshtein(typed.toLowerCase(), n.toLowerCase()) <= 2 ||
    n.toLowerCase().startsWith(typed.toLowerCase())
  );
  return found.length === 0
    ? ""
    : `\n\nDid you mean this?\n${found.map((n) => `\t${n}\n`).join("")}`;
}

function levenshtein(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i]![j] = Math.min(
        d[i - 1]![j]! + 1,
        d[i]![j - 1]! + 1,
        d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
  }
  return d[a.length]![b.length]!;
}

/** A short help text: the usage line and the subcommands (the stubs do not copy the real help). */
export function usageText(path: string, use: string, spec: CommandSpec): string {
  const lines = ["Usage:", `  ${use}`];
  const subs = Object.keys(spec.commands ?? {});
  if (subs.length > 0) {
    lines.push(`  ${path} [command]`, "", "Available Commands:", ...subs.map((s) => `  ${s}`));
  }
  return lines.join("\n");
}
