// Command coredns is CoreDNS with the plugins kubeadm's default Corefile uses, and no others:
// errors, health, ready, kubernetes, prometheus, forward, cache, loop, reload, loadbalance
// (plus log and hosts, which users often add). Built for the offline kind node image under the
// name kubeadm asks for (registry.k8s.io/coredns/coredns); see tools/images/README.md.
package main

import (
	"github.com/coredns/coredns/core/dnsserver"
	"github.com/coredns/coredns/coremain"

	_ "github.com/coredns/coredns/plugin/cache"
	_ "github.com/coredns/coredns/plugin/errors"
	_ "github.com/coredns/coredns/plugin/forward"
	_ "github.com/coredns/coredns/plugin/health"
	_ "github.com/coredns/coredns/plugin/hosts"
	_ "github.com/coredns/coredns/plugin/kubernetes"
	_ "github.com/coredns/coredns/plugin/loadbalance"
	_ "github.com/coredns/coredns/plugin/log"
	_ "github.com/coredns/coredns/plugin/loop"
	_ "github.com/coredns/coredns/plugin/metrics"
	_ "github.com/coredns/coredns/plugin/ready"
	_ "github.com/coredns/coredns/plugin/reload"
)

// directives in CoreDNS's own plugin.cfg order, restricted to the plugins above.
var directives = []string{
	"reload", "health", "ready", "prometheus", "errors", "log",
	"loadbalance", "cache", "hosts", "kubernetes", "loop", "forward",
}

func init() {
	keep := map[string]bool{}
	for _, d := range directives {
		keep[d] = true
	}
	ordered := make([]string, 0, len(directives))
	for _, d := range dnsserver.Directives {
		if keep[d] {
			ordered = append(ordered, d)
		}
	}
	dnsserver.Directives = ordered
}

func main() { coremain.Run() }
