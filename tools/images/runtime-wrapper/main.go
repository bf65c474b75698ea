// Command bosun-runc is an OCI runtime wrapper for machines whose processes lack capabilities in
// their bounding set (on our CI VMs, CAP_SYS_RESOURCE). Docker grants a --privileged container
// every capability, and runc then fails with "unable to apply caps: operation not permitted".
// Before `create`/`run` this wrapper removes from the bundle's config.json every capability that
// is not in its own bounding set (and from the --process file before `exec`), then execs the
// real runc with the same arguments. Nothing else changes.
//
// It is installed only by Bosun's test task, only on a dockerd that task started, and only when
// a `docker run --privileged` probe fails for this reason (tests/harness/docker.ts).
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// realRuntime is the runc this wrapper hands over to (set with -ldflags -X).
var realRuntime = "/usr/sbin/runc"

// capNames are the Linux capability numbers, as in linux/capability.h.
var capNames = []string{
	"CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID",
	"CAP_KILL", "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE",
	"CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW",
	"CAP_IPC_LOCK", "CAP_IPC_OWNER", "CAP_SYS_MODULE", "CAP_SYS_RAWIO", "CAP_SYS_CHROOT",
	"CAP_SYS_PTRACE", "CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT", "CAP_SYS_NICE",
	"CAP_SYS_RESOURCE", "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE",
	"CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL", "CAP_SETFCAP", "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN",
	"CAP_SYSLOG", "CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ", "CAP_PERFMON",
	"CAP_BPF", "CAP_CHECKPOINT_RESTORE",
}

// globalsWithValue are runc's global flags that take a separate value.
var globalsWithValue = map[string]bool{"--root": true, "--log": true, "--log-format": true, "--criu": true, "--rootless": true}

func main() {
	args := os.Args[1:]
	if err := filter(args); err != nil {
		fmt.Fprintf(os.Stderr, "bosun-runc: %v\n", err)
		os.Exit(1)
	}
	argv := append([]string{realRuntime}, args...)
	if err := syscall.Exec(realRuntime, argv, os.Environ()); err != nil {
		fmt.Fprintf(os.Stderr, "bosun-runc: exec %s: %v\n", realRuntime, err)
		os.Exit(1)
	}
}

// filter rewrites the spec file the subcommand will read, if any.
func filter(args []string) error {
	sub, rest := subcommand(args)
	switch sub {
	case "create", "run":
		bundle := flagValue(rest, "--bundle", "-b")
		if bundle == "" {
			bundle = "."
		}
		return rewrite(filepath.Join(bundle, "config.json"), true)
	case "exec":
		if p := flagValue(rest, "--process", "-p"); p != "" {
			return rewrite(p, false)
		}
	}
	return nil
}

func subcommand(args []string) (string, []string) {
	for i := 0; i < len(args); i++ {
		a := args[i]
		if globalsWithValue[a] {
			i++
			continue
		}
		if strings.HasPrefix(a, "-") {
			continue
		}
		return a, args[i+1:]
	}
	return "", nil
}

func flagValue(args []string, long, short string) string {
	for i, a := range args {
		if (a == long || a == short) && i+1 < len(args) {
			return args[i+1]
		}
		if v, ok := strings.CutPrefix(a, long+"="); ok {
			return v
		}
	}
	return ""
}

// bounding reads this process's capability bounding set.
func bounding() (uint64, error) {
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(status), "\n") {
		if v, ok := strings.CutPrefix(line, "CapBnd:"); ok {
			return strconv.ParseUint(strings.TrimSpace(v), 16, 64)
		}
	}
	return 0, fmt.Errorf("no CapBnd in /proc/self/status")
}

// rewrite drops the capabilities outside the bounding set from a runtime spec (`spec` true:
// config.json, whose process is under "process") or a process file.
func rewrite(path string, spec bool) error {
	bnd, err := bounding()
	if err != nil {
		return err
	}
	missing := map[string]bool{}
	for n, name := range capNames {
		if bnd&(1<<uint(n)) == 0 {
			missing[name] = true
		}
	}
	if len(missing) == 0 {
		return nil
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	var doc map[string]any
	if err := json.Unmarshal(raw, &doc); err != nil {
		return fmt.Errorf("%s: %v", path, err)
	}
	proc := doc
	if spec {
		p, ok := doc["process"].(map[string]any)
		if !ok {
			return nil
		}
		proc = p
	}
	caps, ok := proc["capabilities"].(map[string]any)
	if !ok {
		return nil
	}
	changed := false
	for set, list := range caps {
		items, ok := list.([]any)
		if !ok {
			continue
		}
		kept := make([]any, 0, len(items))
		for _, c := range items {
			if name, ok := c.(string); ok && missing[name] {
				changed = true
				continue
			}
			kept = append(kept, c)
		}
		caps[set] = kept
	}
	if !changed {
		return nil
	}
	out, err := json.Marshal(doc)
	if err != nil {
		return err
	}
	info, err := os.Stat(path)
	if err != nil {
		return err
	}
	tmp := path + ".bosun-tmp"
	if err := os.WriteFile(tmp, out, info.Mode().Perm()); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}
