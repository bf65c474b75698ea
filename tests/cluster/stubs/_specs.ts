/**
 * The command trees of the real CLIs the stubs stand in for: every command's flags and
 * positional rule, taken from the tools' own help and reference docs:
 *
 * - docker 28.2 (`docker <command> --help`; error wording of docker 28, messages from the
 *   daemon as dockerd 20.10, the engine the e2e suite runs);
 * - kind v0.33.0 (`kind <command> --help` and sigs.k8s.io/kind@v0.33.0/pkg/cmd);
 * - k3d v5 (docs/usage/commands/k3d_*.md);
 * - talosctl 1.13 (website/content/v1.13/reference/cli.md);
 * - eksctl anywhere (docs/content/en/docs/reference/eksctl/anywhere_*.md).
 *
 * A command listed with `opaque` exists in the real CLI but is not modelled: the stub answers
 * it as unsupported instead of pretending.
 *
 * @module
 */

import {
  type ArgsProblem,
  type ArgsRule,
  type CliStyle,
  type CommandSpec,
  type FlagKind,
  type FlagSpec,
  type Outcome,
  usageText,
} from "./_cli.ts";

/** Flags from `"s|long:kind …"` (no `:kind` is a bool flag). */
export function flags(text: string): Record<string, FlagSpec> {
  const out: Record<string, FlagSpec> = {};
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const [names, kind = "bool"] = word.split(":") as [string, FlagKind | undefined];
    const [a, b] = names.split("|");
    const long = b ?? a!;
    out[long] = b === undefined ? { kind } : { kind, short: a! };
  }
  return out;
}

function cmd(
  use: string,
  flagText: string,
  args?: ArgsRule,
  extra: Partial<CommandSpec> = {},
): CommandSpec {
  return { use, flags: flags(flagText), ...(args ? { args } : {}), ...extra };
}

/** A command of the real CLI that the stubs do not model. */
const opaque: CommandSpec = { opaque: true, runnable: true };

function opaqueAll(names: string): Record<string, CommandSpec> {
  return Object.fromEntries(names.split(/\s+/).filter(Boolean).map((n) => [n, opaque]));
}

/** docker 28 (`docker <command> --help`), the commands Bosun and the tests use. */
export const DOCKER: CommandSpec = {
  persistent: flags(
    "config:string c|context:string D|debug H|host:list l|log-level:string tls tlscacert:string tlscert:string tlskey:string tlsverify v|version",
  ),
  commands: {
    version: cmd("[OPTIONS]", "f|format:string", { none: true }),
    info: cmd("[OPTIONS]", "f|format:string", { none: true }),
    ps: cmd(
      "[OPTIONS]",
      "a|all f|filter:string format:string n|last:int l|latest no-trunc q|quiet s|size",
      { none: true },
    ),
    run: cmd(
      "[OPTIONS] IMAGE [COMMAND] [ARG...]",
      "add-host:list annotation:string a|attach:list blkio-weight:int blkio-weight-device:list cap-add:list cap-drop:list cgroup-parent:string cgroupns:string cidfile:string cpu-count:int cpu-percent:int cpu-period:int cpu-quota:int cpu-rt-period:int cpu-rt-runtime:int c|cpu-shares:int cpus:string cpuset-cpus:string cpuset-mems:string d|detach detach-keys:string device:list device-cgroup-rule:list device-read-bps:list device-read-iops:list device-write-bps:list device-write-iops:list disable-content-trust dns:list dns-option:list dns-search:list domainname:string entrypoint:string e|env:list env-file:list expose:list gpus:string group-add:list health-cmd:string health-interval:duration health-retries:int health-start-interval:duration health-start-period:duration health-timeout:duration h|hostname:string init i|interactive io-maxbandwidth:string io-maxiops:int ip:string ip6:string ipc:string isolation:string kernel-memory:string l|label:list label-file:list link:list link-local-ip:list log-driver:string log-opt:list mac-address:string m|memory:string memory-reservation:string memory-swap:string memory-swappiness:int mount:string name:string network:string network-alias:list no-healthcheck oom-kill-disable oom-score-adj:int pid:string pids-limit:int platform:string privileged p|publish:list P|publish-all pull:string q|quiet read-only restart:string rm runtime:string security-opt:list shm-size:string sig-proxy stop-signal:string stop-timeout:int storage-opt:list sysctl:string tmpfs:list t|tty ulimit:string use-api-socket u|user:string userns:string uts:string v|volume:list volume-driver:string volumes-from:list w|workdir:string",
      { min: 1 },
      { stopAtPositional: true },
    ),
    create: cmd(
      "[OPTIONS] IMAGE [COMMAND] [ARG...]",
      "add-host:list annotation:string a|attach:list blkio-weight:int blkio-weight-device:list cap-add:list cap-drop:list cgroup-parent:string cgroupns:string cidfile:string cpu-count:int cpu-percent:int cpu-period:int cpu-quota:int cpu-rt-period:int cpu-rt-runtime:int c|cpu-shares:int cpus:string cpuset-cpus:string cpuset-mems:string device:list device-cgroup-rule:list device-read-bps:list device-read-iops:list device-write-bps:list device-write-iops:list disable-content-trust dns:list dns-option:list dns-search:list domainname:string entrypoint:string e|env:list env-file:list expose:list gpus:string group-add:list health-cmd:string health-interval:duration health-retries:int health-start-interval:duration health-start-period:duration health-timeout:duration h|hostname:string init i|interactive io-maxbandwidth:string io-maxiops:int ip:string ip6:string ipc:string isolation:string kernel-memory:string l|label:list label-file:list link:list link-local-ip:list log-driver:string log-opt:list mac-address:string m|memory:string memory-reservation:string memory-swap:string memory-swappiness:int mount:string name:string network:string network-alias:list no-healthcheck oom-kill-disable oom-score-adj:int pid:string pids-limit:int platform:string privileged p|publish:list P|publish-all pull:string q|quiet read-only restart:string rm runtime:string security-opt:list shm-size:string stop-signal:string stop-timeout:int storage-opt:list sysctl:string tmpfs:list t|tty ulimit:string use-api-socket u|user:string userns:string uts:string v|volume:list volume-driver:string volumes-from:list w|workdir:string",
      { min: 1 },
      { stopAtPositional: true },
    ),
    rm: cmd("[OPTIONS] CONTAINER [CONTAINER...]", "f|force l|link v|volumes", { min: 1 }),
    start: cmd(
      "[OPTIONS] CONTAINER [CONTAINER...]",
      "a|attach checkpoint:string checkpoint-dir:string detach-keys:string i|interactive",
      { min: 1 },
    ),
    stop: cmd("[OPTIONS] CONTAINER [CONTAINER...]", "s|signal:string t|timeout:int", { min: 1 }),
    restart: cmd("[OPTIONS] CONTAINER [CONTAINER...]", "s|signal:string t|timeout:int", { min: 1 }),
    kill: cmd("[OPTIONS] CONTAINER [CONTAINER...]", "s|signal:string", { min: 1 }),
    inspect: cmd("[OPTIONS] NAME|ID [NAME|ID...]", "f|format:string s|size type:string", {
      min: 1,
    }),
    exec: cmd(
      "[OPTIONS] CONTAINER COMMAND [ARG...]",
      "d|detach detach-keys:string e|env:list env-file:list i|interactive privileged t|tty u|user:string w|workdir:string",
      { min: 2 },
      { stopAtPositional: true },
    ),
    logs: cmd(
      "[OPTIONS] CONTAINER",
      "details f|follow since:string n|tail:string t|timestamps until:string",
      { min: 1, max: 1 },
    ),
    cp: cmd("[OPTIONS] CONTAINER:SRC_PATH DEST_PATH|-", "a|archive L|follow-link q|quiet", {
      min: 2,
      max: 2,
    }),
    wait: cmd("CONTAINER [CONTAINER...]", "", { min: 1 }),
    pull: cmd(
      "[OPTIONS] NAME[:TAG|@DIGEST]",
      "a|all-tags disable-content-trust platform:string q|quiet",
      { min: 1, max: 1 },
    ),
    push: cmd("[OPTIONS] NAME[:TAG]", "a|all-tags disable-content-trust platform:string q|quiet", {
      min: 1,
      max: 1,
    }),
    tag: cmd("SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]", "", { min: 2, max: 2 }),
    load: cmd("[OPTIONS]", "i|input:string platform:string q|quiet", { none: true }),
    save: cmd("[OPTIONS] IMAGE [IMAGE...]", "o|output:string platform:string", { min: 1 }),
    images: cmd(
      "[OPTIONS] [REPOSITORY[:TAG]]",
      "a|all digests f|filter:string format:string no-trunc q|quiet tree",
      { max: 1 },
    ),
    rmi: cmd("[OPTIONS] IMAGE [IMAGE...]", "f|force no-prune platform:strings", { min: 1 }),
    network: {
      use: "COMMAND",
      commands: {
        ls: cmd("[OPTIONS]", "f|filter:string format:string no-trunc q|quiet", { none: true }),
        create: cmd(
          "[OPTIONS] NETWORK",
          "attachable aux-address:string config-from:string config-only d|driver:string gateway:strings ingress internal ip-range:strings ipam-driver:string ipam-opt:string ipv4 ipv6 label:list o|opt:string scope:string subnet:strings",
          { min: 1, max: 1 },
        ),
        rm: cmd("NETWORK [NETWORK...]", "f|force", { min: 1 }),
        connect: cmd(
          "[OPTIONS] NETWORK CONTAINER",
          "alias:strings driver-opt:strings gw-priority:int ip:string ip6:string link:list link-local-ip:strings",
          { min: 2, max: 2 },
        ),
        disconnect: cmd("[OPTIONS] NETWORK CONTAINER", "f|force", { min: 2, max: 2 }),
        inspect: cmd("[OPTIONS] NETWORK [NETWORK...]", "f|format:string v|verbose", { min: 1 }),
      },
    },
    volume: {
      use: "COMMAND",
      commands: {
        ls: cmd("[OPTIONS]", "cluster f|filter:string format:string q|quiet", { none: true }),
        create: cmd(
          "[OPTIONS] [VOLUME]",
          "availability:string d|driver:string group:string label:list limit-bytes:string o|opt:string required-bytes:string scope:string secret:string sharing:string topology-preferred:list topology-required:list type:string",
          { max: 1 },
        ),
        rm: cmd("[OPTIONS] VOLUME [VOLUME...]", "f|force", { min: 1 }),
        inspect: cmd("[OPTIONS] VOLUME [VOLUME...]", "f|format:string", { min: 1 }),
      },
    },
    image: {
      use: "COMMAND",
      commands: {
        inspect: cmd("[OPTIONS] IMAGE [IMAGE...]", "f|format:string platform:string", { min: 1 }),
        ls: cmd(
          "[OPTIONS] [REPOSITORY[:TAG]]",
          "a|all digests f|filter:string format:string no-trunc q|quiet tree",
          { max: 1 },
        ),
        load: cmd("[OPTIONS]", "i|input:string platform:string q|quiet", { none: true }),
        save: cmd("[OPTIONS] IMAGE [IMAGE...]", "o|output:string platform:string", { min: 1 }),
        rm: cmd("[OPTIONS] IMAGE [IMAGE...]", "f|force no-prune platform:strings", { min: 1 }),
        tag: cmd("SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]", "", { min: 2, max: 2 }),
        pull: cmd(
          "[OPTIONS] NAME[:TAG|@DIGEST]",
          "a|all-tags disable-content-trust platform:string q|quiet",
          { min: 1, max: 1 },
        ),
        push: cmd(
          "[OPTIONS] NAME[:TAG]",
          "a|all-tags disable-content-trust platform:string q|quiet",
          { min: 1, max: 1 },
        ),
      },
    },
    container: {
      use: "COMMAND",
      commands: {
        inspect: cmd("[OPTIONS] CONTAINER [CONTAINER...]", "f|format:string s|size", { min: 1 }),
        ls: cmd(
          "[OPTIONS]",
          "a|all f|filter:string format:string n|last:int l|latest no-trunc q|quiet s|size",
          { none: true },
        ),
      },
    },
  },
};

/** docker 28's usage-error wording: flag errors exit 125, argument and command errors 1. */
export const DOCKER_STYLE: CliStyle = {
  root: "docker",
  help: { long: "help" },
  findError: (_path, message) => {
    const name = /^unknown command "([^"]*)"/.exec(message)?.[1] ?? message;
    return {
      code: 1,
      stdout: "",
      stderr:
        `docker: unknown command: docker ${name}\n\nRun 'docker --help' for more information\n`,
    };
  },
  flagError: (path, use, message) => ({
    code: 125,
    stdout: "",
    stderr: `${message}\n\nUsage:  ${use}\n\nRun '${path} --help' for more information\n`,
  }),
  argsError: (path, use, problem) => ({
    code: 1,
    stdout: "",
    stderr: `docker: '${path}' ${dockerArgsWords(problem)}\n\nUsage:  ${use}\n\n${
      problem.rule === "min" ? "See" : problem.rule === "max" ? "SRun" : "Run"
    } '${path} --help' for more information\n`,
  }),
  group: (path, positionals, commands): Outcome =>
    positionals.length > 0
      ? {
        code: 1,
        stdout: "",
        stderr: `docker: unknown command: ${path} ${
          positionals[0]
        }\n\nUsage:  ${path} COMMAND\n\nRun '${path} --help' for more information\n`,
      }
      : {
        code: 0,
        stdout: `Usage:  ${path} COMMAND\n\nCommands:\n${commands.map((c) => `  ${c}\n`).join("")}`,
        stderr: "",
      },
};

function dockerArgsWords(p: ArgsProblem): string {
  const n = (k: number) => `${k} argument${k === 1 ? "" : "s"}`;
  switch (p.rule) {
    case "none":
      return "accepts no arguments";
    case "exact":
      return `requires ${n(p.n)}`;
    case "min":
      return `requires at least ${n(p.n)}`;
    case "max":
      return `requires at most ${n(p.n)}`;
    case "range":
      return `requires between ${p.min} and ${n(p.max)}`;
    case "custom":
      return p.message;
  }
}

/** kind v0.33.0. */
export const KIND: CommandSpec = {
  use: "[command]",
  persistent: flags("q|quiet v|verbosity:int"),
  flags: flags("version"),
  commands: {
    build: {
      commands: {
        "node-image": cmd(
          "[kubernetes-source] [flags]",
          "arch:string base-image:string image:string type:string",
          undefined,
          { opaque: true },
        ),
      },
    },
    completion: { commands: opaqueAll("bash fish powershell zsh") },
    create: {
      commands: {
        cluster: cmd(
          "[flags]",
          "config:string image:string kubeconfig:string n|name:string retain wait:duration",
          { none: true },
        ),
      },
    },
    delete: {
      commands: {
        cluster: cmd("[flags]", "kubeconfig:string n|name:string", { none: true }),
        clusters: cmd("[flags]", "A|all kubeconfig:string", undefined, { opaque: true }),
      },
    },
    export: {
      commands: {
        kubeconfig: cmd("[flags]", "internal kubeconfig:string n|name:string", { none: true }, {
          opaque: true,
        }),
        logs: cmd("[output-dir] [flags]", "n|name:string", { max: 1 }, { opaque: true }),
      },
    },
    get: {
      commands: {
        clusters: cmd("[flags]", "", { none: true }),
        kubeconfig: cmd("[flags]", "internal n|name:string", { none: true }),
        nodes: cmd("[flags]", "A|all-clusters n|name:string", { none: true }),
      },
    },
    load: {
      commands: {
        "docker-image": cmd("<IMAGE> [IMAGE...] [flags]", "n|name:string nodes:strings", {
          custom: (a) => a.length < 1 ? "a list of image names is required" : undefined,
        }),
        "image-archive": cmd("<IMAGE.tar> [flags]", "n|name:string nodes:strings", undefined, {
          opaque: true,
        }),
      },
    },
    version: cmd("[flags]", "", { none: true }),
  },
};

/**
 * kind's root and groups silence cobra and print `ERROR: <message>` (exit 1); a group run
 * without a subcommand prints its help and `ERROR: Subcommand is required`.
 */
export const KIND_STYLE: CliStyle = {
  root: "kind",
  findError: (_path, message) => ({ code: 1, stdout: "", stderr: `ERROR: ${message}\n` }),
  flagError: (_path, _use, message) => ({ code: 1, stdout: "", stderr: `ERROR: ${message}\n` }),
  group: (path, _positionals, commands) => ({
    code: 1,
    stdout: `${
      usageText(path, `${path} [flags]`, {
        commands: Object.fromEntries(commands.map((c) => [c, {}])),
      })
    }\n`,
    stderr: "ERROR: Subcommand is required\n",
  }),
};

/** k3d v5. */
export const K3D: CommandSpec = {
  runnable: true,
  persistent: flags("timestamps trace verbose"),
  flags: flags("version"),
  commands: {
    cluster: {
      runnable: true,
      commands: {
        create: cmd(
          "NAME [flags]",
          "a|agents:int agents-memory:string api-port:string c|config:string e|env:list gpus:string host-alias:list host-pid-mode i|image:string k3s-arg:list k3s-node-label:list kubeconfig-switch-context kubeconfig-update-default lb-config-override:strings network:string no-image-volume no-lb no-rollback p|port:list registry-config:string registry-create:string registry-use:list runtime-label:list runtime-ulimit:list s|servers:int servers-memory:string subnet:string timeout:duration token:string v|volume:list wait",
          { max: 1 },
        ),
        delete: cmd("[NAME [NAME ...] | --all] [flags]", "a|all c|config:string"),
        edit: opaque,
        list: cmd("[NAME [NAME...]] [flags]", "no-headers o|output:string token"),
        start: cmd("[NAME [NAME...] | --all] [flags]", "a|all timeout:duration wait"),
        stop: cmd("[NAME [NAME...] | --all] [flags]", "a|all"),
      },
    },
    completion: opaque,
    config: { runnable: true, commands: opaqueAll("init migrate") },
    image: {
      runnable: true,
      commands: {
        import: cmd(
          "[IMAGE | ARCHIVE [IMAGE | ARCHIVE...]] [flags]",
          "c|cluster:list k|keep-tarball t|keep-tools m|mode:string",
          { min: 1 },
        ),
      },
    },
    kubeconfig: {
      runnable: true,
      commands: {
        get: cmd("[CLUSTER [CLUSTER [...]] | --all] [flags]", "a|all"),
        merge: opaque,
      },
    },
    node: { runnable: true, commands: opaqueAll("create delete edit list start stop") },
    registry: { runnable: true, commands: opaqueAll("create delete list") },
    version: { ...cmd("[flags]", "o|output:string"), commands: { list: opaque }, runnable: true },
  },
};

/**
 * k3d leaves cobra's own reporting on (`Error: <message>` and the usage), then logs the
 * error with logrus (`FATA[0000] <message>`) and exits 1. A group run without a subcommand
 * prints its help and exits 0.
 */
export const K3D_STYLE: CliStyle = {
  root: "k3d",
  findError: (path, message) => ({
    code: 1,
    stdout: "",
    stderr: `Error: ${message}\nRun '${path} --help' for usage.\nFATA[0000] ${message}\n`,
  }),
  flagError: (path, use, message) => ({
    code: 1,
    stdout: "",
    stderr: `Error: ${message}\n${usageText(path, use, {})}\n\nFATA[0000] ${message}\n`,
  }),
  group: (path, _positionals, commands) => ({
    code: 0,
    stdout: `${
      usageText(path, `${path} [flags]`, {
        commands: Object.fromEntries(commands.map((c) => [c, {}])),
      })
    }\n`,
    stderr: "",
  }),
};

/** The flags every talosctl command that talks to nodes has (1.13). */
const TALOS_CLIENT =
  "c|cluster:string context:string e|endpoints:strings n|nodes:strings siderov1-keys-dir:string talosconfig:string";

/** talosctl 1.13. */
export const TALOSCTL: CommandSpec = {
  commands: {
    ...opaqueAll(
      "apply-config bootstrap cgroups completion config conformance containers copy dashboard debug dmesg edit etcd events gen get health image inject inspect list logs machineconfig memory meta mounts netstat patch pcap processes read reboot reset restart rollback rotate-ca service shutdown stats support time upgrade usage validate wipe",
    ),
    cluster: {
      persistent: flags("name:string state:string"),
      commands: {
        create: {
          // the legacy form without a provisioner subcommand; not modelled
          opaque: true,
          runnable: true,
          commands: {
            dev: opaque,
            docker: cmd(
              "[flags]",
              "config-patch:list config-patch-controlplanes:list config-patch-workers:list cpus-controlplanes:string cpus-workers:string p|exposed-ports:string host-ip:string image:string kubernetes-version:string memory-controlplanes:string memory-workers:string mount:list subnet:string talosconfig-destination:string workers:int",
              { none: true },
            ),
            qemu: opaque,
          },
        },
        destroy: cmd(
          "[flags]",
          "f|force save-cluster-logs-archive-path:string save-support-archive-path:string",
          { none: true },
        ),
        show: cmd("[flags]", "provisioner:string", { none: true }, { opaque: true }),
      },
    },
    kubeconfig: cmd(
      "[local-path] [flags]",
      `${TALOS_CLIENT} f|force force-context-name:string m|merge`,
      { max: 1 },
    ),
    version: cmd("[flags]", `${TALOS_CLIENT} client i|insecure short`, { none: true }),
  },
};

/**
 * talosctl silences cobra and prints the error itself, followed by the usage when the error
 * is about arguments, flags or commands; exit 1. A group without a subcommand prints its help.
 */
export const TALOSCTL_STYLE: CliStyle = {
  root: "talosctl",
  findError: (path, message) => ({
    code: 1,
    stdout: "",
    stderr: `${message}\n\n${usageText(path, `${path} [command]`, {})}\n`,
  }),
  flagError: (path, use, message) => ({
    code: 1,
    stdout: "",
    stderr: /arg\(s\)|flag|command/.test(message)
      ? `${message}\n\n${usageText(path, use, {})}\n`
      : `${message}\n`,
  }),
  group: (path, _positionals, commands) => ({
    code: 0,
    stdout: `${
      usageText(path, `${path} [command]`, {
        commands: Object.fromEntries(commands.map((c) => [c, {}])),
      })
    }\n`,
    stderr: "",
  }),
};

/** eksctl-anywhere (the `anywhere` plugin of eksctl). */
export const EKSCTL_ANYWHERE: CommandSpec = {
  persistent: flags("v|verbosity:int"),
  commands: {
    ...opaqueAll(
      "apply check-images copy describe download exp generate get import install list renew upgrade",
    ),
    create: {
      commands: {
        cluster: cmd(
          "-f <cluster-config-file> [flags]",
          "bundles-override:string control-plane-wait-timeout:string external-etcd-wait-timeout:string f|filename:string z|hardware-csv:string install-packages:string kubeconfig:string no-timeouts node-startup-timeout:string per-machine-wait-timeout:string skip-ip-check skip-validations:list tinkerbell-bootstrap-ip:string unhealthy-machine-timeout:string",
          undefined,
          { required: ["filename"] },
        ),
        packages: opaque,
      },
    },
    delete: {
      commands: {
        cluster: cmd(
          "(<cluster-name>|-f <config-file>) [flags]",
          "bundles-override:string f|filename:string kubeconfig:string w|w-config:string",
          { max: 1 },
        ),
        packages: opaque,
      },
    },
    version: cmd("[flags]", "", undefined),
  },
};

/**
 * eksctl-anywhere leaves cobra's reporting on (`Error: <message>`; its cluster commands set
 * SilenceUsage) and exits with `os.Exit(-1)`, 255.
 */
export const EKSCTL_ANYWHERE_STYLE: CliStyle = {
  root: "anywhere",
  findError: (path, message) => ({
    code: 255,
    stdout: "",
    stderr: `Error: ${message}\nRun '${path} --help' for usage.\n`,
  }),
  flagError: (_path, _use, message) => ({ code: 255, stdout: "", stderr: `Error: ${message}\n` }),
  group: (path, _positionals, commands) => ({
    code: 0,
    stdout: `${
      usageText(path, `${path} [command]`, {
        commands: Object.fromEntries(commands.map((c) => [c, {}])),
      })
    }\n`,
    stderr: "",
  }),
};
