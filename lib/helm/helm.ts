/**
 * A wrapper over the `helm` CLI (3.x and 4.x): install-or-upgrade with wait
 * and timeout, uninstall, status, values and template. Values always travel in
 * a private values file, never as `--set` strings.
 *
 * @module
 */

import { CommandError, defaultRunner, findTool, type Runner } from "../exec/mod.ts";
import { chartArgs, chartName, type ChartRef, describeChart } from "./chart.ts";
import { HelmError, helmMessage, type HelmOperation } from "./errors.ts";
import { canonicalJson, CHART_DIGEST_PREFIX, localChartDigest, withValuesFile } from "./_values.ts";
import type { Values } from "./values.ts";

/** The oldest Helm the wrapper supports. */
export const HELM_MIN_VERSION = "3.8.0";

/** Options for {@linkcode connectHelm}. */
export interface HelmConnectOptions {
  /** Kubeconfig file passed as `--kubeconfig`. @default Helm's own default */
  readonly kubeconfig?: string | undefined;
  /** Context passed as `--kube-context`. @default the kubeconfig's current context */
  readonly context?: string | undefined;
  /** Explicit helm binary. @default `helm` on PATH */
  readonly path?: string | undefined;
  /** Process runner. @default defaultRunner */
  readonly runner?: Runner;
  /** Extra environment for every helm call (`HELM_CACHE_HOME`, …). */
  readonly env?: Readonly<Record<string, string>>;
}

/** A release as Helm reports it. */
export interface HelmRelease {
  /** Release name. */
  readonly name: string;
  /** Namespace. */
  readonly namespace: string;
  /** Revision number (1 after the first install). */
  readonly revision: number;
  /** `deployed`, `failed`, `pending-install`, … */
  readonly status: string;
  /** `<chart>-<version>`, as `helm list` prints it. */
  readonly chart: string;
  /** The chart's app version, when it declares one. */
  readonly appVersion: string | undefined;
  /**
   * The revision's description (`Install complete`, Helm's failure message, or for a local
   * chart Bosun installed: `Bosun: local chart sha256:…`, the digest of the chart's files).
   */
  readonly description: string | undefined;
}

/** Options for {@linkcode Helm.upgradeInstall}. */
export interface UpgradeInstallOptions {
  /** The release namespace. */
  readonly namespace: string;
  /** Create the namespace when missing. @default true */
  readonly createNamespace?: boolean;
  /** Chart version (repository and OCI charts). @default the newest */
  readonly version?: string | undefined;
  /** Values, written to a private 0600 values file. @default {} */
  readonly values?: Values;
  /** Wait until every resource is ready (`--wait`). @default true */
  readonly wait?: boolean;
  /** Also wait for Jobs to complete (`--wait-for-jobs`). @default the value of `wait` */
  readonly waitForJobs?: boolean;
  /** Helm's `--timeout`, in milliseconds. @default 300000 */
  readonly timeoutMs?: number;
  /** Upgrade even when the deployed release already has this chart and these values. @default false */
  readonly force?: boolean;
  /** Roll back (Helm 4 `--rollback-on-failure`, Helm 3 `--atomic`) when the upgrade fails. @default false */
  readonly rollbackOnFailure?: boolean;
  /** Kills helm when aborted. */
  readonly signal?: AbortSignal | undefined;
}

/** What {@linkcode Helm.upgradeInstall} did. */
export interface UpgradeInstallResult {
  /** The release afterwards. */
  readonly release: HelmRelease;
  /** `false` when the deployed release already matched and nothing ran. */
  readonly changed: boolean;
}

/** Options naming a release's namespace. */
export interface ReleaseOptions {
  /** The release namespace. */
  readonly namespace: string;
  /** Kills helm when aborted. */
  readonly signal?: AbortSignal | undefined;
}

/** Options for {@linkcode Helm.uninstall}. */
export interface UninstallOptions extends ReleaseOptions {
  /** Wait until the resources are deleted. @default true */
  readonly wait?: boolean;
  /** Timeout in milliseconds. @default 300000 */
  readonly timeoutMs?: number;
}

/** Options for {@linkcode Helm.template}. */
export interface TemplateOptions {
  /** Namespace the manifests are rendered for. @default "default" */
  readonly namespace?: string;
  /** Chart version. */
  readonly version?: string | undefined;
  /** Values. @default {} */
  readonly values?: Values;
  /** Kills helm when aborted. */
  readonly signal?: AbortSignal | undefined;
}

/** What the constructor of {@linkcode Helm} needs (no I/O happens there). */
export interface HelmInit {
  /** The helm binary. */
  readonly path: string;
  /** Its version, without `v`. */
  readonly version: string;
  /** Kubeconfig file. */
  readonly kubeconfig?: string | undefined;
  /** Kubeconfig context. */
  readonly context?: string | undefined;
  /** Process runner. @default defaultRunner */
  readonly runner?: Runner;
  /** Extra environment. */
  readonly env?: Readonly<Record<string, string>>;
}

const DEFAULT_TIMEOUT_MS = 300_000;

/**
 * Finds helm (3.8 or newer), checks its version and binds it to a kubeconfig
 * context.
 *
 * @param options Kubeconfig, context, binary and runner.
 * @returns A {@linkcode Helm} client.
 * @throws {ToolNotFoundError} helm is missing or older than 3.8; the message says how to install it.
 *
 * @example
 * ```ts ignore
 * import { connectHelm } from "@bosun/sdk";
 * const helm = await connectHelm({ context: "kind-dev" });
 * await helm.upgradeInstall("web", { path: "./charts/web" }, { namespace: "web", values: { replicas: 2 } });
 * ```
 */
export async function connectHelm(options: HelmConnectOptions = {}): Promise<Helm> {
  const tool = await findTool("helm", {
    minVersion: HELM_MIN_VERSION,
    versionArgs: ["version", "--short"],
    ...(options.path === undefined ? {} : { path: options.path }),
    ...(options.runner === undefined ? {} : { runner: options.runner }),
  });
  return new Helm({
    path: tool.path,
    version: tool.version ?? HELM_MIN_VERSION,
    kubeconfig: options.kubeconfig,
    context: options.context,
    ...(options.runner === undefined ? {} : { runner: options.runner }),
    ...(options.env === undefined ? {} : { env: options.env }),
  });
}

/**
 * A helm binary bound to one kubeconfig context. Create it with
 * {@linkcode connectHelm}.
 */
export class Helm {
  /** The helm binary. */
  readonly path: string;
  /** Its version, without `v`. */
  readonly version: string;
  /** Kubeconfig file, when set. */
  readonly kubeconfig: string | undefined;
  /** Context, when set. */
  readonly context: string | undefined;
  #runner: Runner;
  #env: Readonly<Record<string, string>> | undefined;

  /** Binds a known helm binary; see {@linkcode connectHelm}. */
  constructor(init: HelmInit) {
    this.path = init.path;
    this.version = init.version;
    this.kubeconfig = init.kubeconfig;
    this.context = init.context;
    this.#runner = init.runner ?? defaultRunner;
    this.#env = init.env;
  }

  /** The major version (3 or 4). */
  get major(): number {
    return Number(this.version.split(".")[0]);
  }

  /**
   * Installs the release, or upgrades it when it exists (`helm upgrade
   * --install`). When the deployed release already has the same chart and
   * values, nothing runs and `changed` is false. "The same chart" is the same
   * name and version for repository and OCI charts, and for a local chart the
   * same files: a digest of them is kept in the revision's description, so
   * edited templates are upgraded even when the chart's version did not change.
   *
   * @param release Release name.
   * @param chart Repository, OCI or local chart.
   * @param options Namespace, version, values, wait, timeout.
   * @returns The release and whether anything changed.
   * @throws {HelmError} Helm failed; carries Helm's message and `timedOut` when the wait ran out.
   */
  async upgradeInstall(
    release: string,
    chart: ChartRef,
    options: UpgradeInstallOptions,
  ): Promise<UpgradeInstallResult> {
    const { namespace } = options;
    const values = options.values ?? {};
    const shown = describeChart(chart, options.version);
    if (options.force !== true) {
      const current = await this.#unchanged(release, chart, options, values);
      if (current !== undefined) return { release: current, changed: false };
    }
    const wait = options.wait ?? true;
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const ref = chartArgs(chart, options.version);
    const digest = "path" in chart ? await localChartDigest(chart.path) : undefined;
    await withValuesFile(values, async (file) => {
      const args = [
        "upgrade",
        "--install",
        release,
        ref.chart,
        ...ref.flags,
        "--namespace",
        namespace,
        "--values",
        file,
        "--timeout",
        `${Math.max(1, Math.ceil(timeoutMs / 1000))}s`,
      ];
      if (digest !== undefined) args.push("--description", `${CHART_DIGEST_PREFIX}${digest}`);
      if (options.createNamespace ?? true) args.push("--create-namespace");
      if (wait) args.push("--wait");
      if (wait && (options.waitForJobs ?? true)) args.push("--wait-for-jobs");
      if (options.rollbackOnFailure) {
        args.push(this.major >= 4 ? "--rollback-on-failure" : "--atomic");
      }
      await this.#helm("install", release, namespace, shown, args, {
        timeoutMs: timeoutMs + 120_000,
        signal: options.signal,
      });
    });
    const after = await this.status(release, { namespace, signal: options.signal });
    if (after === undefined) {
      throw new HelmError({
        operation: "install",
        release,
        namespace,
        chart: shown,
        helmMessage: "helm reported success but the release does not exist",
        timedOut: false,
      });
    }
    return { release: after, changed: true };
  }

  /**
   * Uninstalls a release.
   *
   * @param release Release name.
   * @param options Namespace, wait and timeout.
   * @returns `false` when the release did not exist.
   * @throws {HelmError} Helm failed for another reason.
   */
  async uninstall(release: string, options: UninstallOptions): Promise<boolean> {
    if (await this.status(release, options) === undefined) return false;
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const args = [
      "uninstall",
      release,
      "--namespace",
      options.namespace,
      "--timeout",
      `${Math.max(1, Math.ceil(timeoutMs / 1000))}s`,
    ];
    if (options.wait ?? true) args.push("--wait");
    await this.#helm("uninstall", release, options.namespace, undefined, args, {
      timeoutMs: timeoutMs + 60_000,
      signal: options.signal,
    });
    return true;
  }

  /**
   * Reads a release's status.
   *
   * @param release Release name.
   * @param options Namespace.
   * @returns The release, or `undefined` when it does not exist.
   * @throws {HelmError} Helm failed for another reason than "not found".
   */
  async status(release: string, options: ReleaseOptions): Promise<HelmRelease | undefined> {
    // `helm history` reports the chart as `<name>-<version>` in Helm 3 and 4 alike
    // (Helm 4's `status -o json` no longer carries the chart).
    const out = await this.#call("status", release, options.namespace, undefined, [
      "history",
      release,
      "--namespace",
      options.namespace,
      "--max",
      "1",
      "--output",
      "json",
    ], { signal: options.signal, notFoundIsUndefined: true });
    if (out === undefined) return undefined;
    const rows = JSON.parse(out || "[]") as readonly Record<string, unknown>[] | null;
    const row = rows?.[rows.length - 1];
    if (row === undefined) return undefined;
    return {
      name: release,
      namespace: options.namespace,
      revision: Number(row.revision ?? 0),
      status: String(row.status ?? "unknown"),
      chart: String(row.chart ?? ""),
      appVersion: typeof row.app_version === "string" && row.app_version !== ""
        ? row.app_version
        : undefined,
      description: typeof row.description === "string" && row.description !== ""
        ? row.description
        : undefined,
    };
  }

  /**
   * Reads the values a release was installed with (user-supplied only).
   *
   * @param release Release name.
   * @param options Namespace.
   * @returns The values (`{}` when none), or `undefined` when the release does not exist.
   * @throws {HelmError} Helm failed for another reason.
   */
  async values(
    release: string,
    options: ReleaseOptions,
  ): Promise<Record<string, unknown> | undefined> {
    const out = await this.#call("values", release, options.namespace, undefined, [
      "get",
      "values",
      release,
      "--namespace",
      options.namespace,
      "--output",
      "json",
    ], { signal: options.signal, notFoundIsUndefined: true });
    if (out === undefined) return undefined;
    return (JSON.parse(out || "null") as Record<string, unknown> | null) ?? {};
  }

  /**
   * Renders a chart's manifests locally (`helm template`); nothing touches a cluster.
   *
   * @param release Release name used in the templates.
   * @param chart The chart.
   * @param options Namespace, version, values.
   * @returns The rendered YAML.
   * @throws {HelmError} The chart cannot be fetched or rendered.
   */
  async template(release: string, chart: ChartRef, options: TemplateOptions = {}): Promise<string> {
    const namespace = options.namespace ?? "default";
    const ref = chartArgs(chart, options.version);
    return await withValuesFile(options.values ?? {}, async (file) =>
      await this.#helm(
        "template",
        release,
        namespace,
        describeChart(chart, options.version),
        ["template", release, ref.chart, ...ref.flags, "--namespace", namespace, "--values", file],
        { signal: options.signal, global: false },
      ));
  }

  async #unchanged(
    release: string,
    chart: ChartRef,
    options: UpgradeInstallOptions,
    values: Values,
  ): Promise<HelmRelease | undefined> {
    const current = await this.status(release, options);
    if (current === undefined || current.status !== "deployed") return undefined;
    if ("path" in chart) {
      // a local chart is the same when its files are: the version alone says nothing
      const digest = await localChartDigest(chart.path);
      if (digest === undefined || current.description !== `${CHART_DIGEST_PREFIX}${digest}`) {
        return undefined;
      }
    } else {
      const name = chartName(chart);
      if (name === undefined || options.version === undefined) return undefined;
      const wanted = `${name}-${options.version.replace(/^v(?=\d)/, "")}`;
      if (current.chart.replace(/-v(?=\d[^-]*$)/, "-") !== wanted) return undefined;
    }
    const deployed = await this.values(release, options);
    if (deployed === undefined) return undefined;
    return canonicalJson(deployed) === canonicalJson(JSON.parse(JSON.stringify(values)))
      ? current
      : undefined;
  }

  async #helm(
    operation: HelmOperation,
    release: string,
    namespace: string,
    chart: string | undefined,
    args: string[],
    opts: HelmCallOptions,
  ): Promise<string> {
    return (await this.#call(operation, release, namespace, chart, args, opts)) ?? "";
  }

  async #call(
    operation: HelmOperation,
    release: string,
    namespace: string,
    chart: string | undefined,
    args: string[],
    opts: HelmCallOptions,
  ): Promise<string | undefined> {
    const argv = [...args];
    if (opts.global !== false) {
      if (this.kubeconfig !== undefined) argv.push("--kubeconfig", this.kubeconfig);
      if (this.context !== undefined) argv.push("--kube-context", this.context);
    }
    try {
      const out = await this.#runner.run(this.path, argv, {
        timeoutMs: opts.timeoutMs ?? 120_000,
        ...(opts.signal === undefined ? {} : { signal: opts.signal }),
        ...(this.#env === undefined ? {} : { env: this.#env }),
      });
      return out.stdout;
    } catch (cause) {
      if (!(cause instanceof CommandError)) throw cause;
      const message = cause.stderr.trim() ? helmMessage(cause.stderr) : cause.message;
      if (opts.notFoundIsUndefined && /^release: not found$/m.test(message)) {
        return undefined;
      }
      throw new HelmError({
        operation,
        release,
        namespace,
        chart,
        helmMessage: message,
        timedOut: /context deadline exceeded|timed out|timeout/i.test(message),
      }, { cause });
    }
  }
}

interface HelmCallOptions {
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal | undefined;
  readonly global?: boolean;
  readonly notFoundIsUndefined?: boolean;
}
