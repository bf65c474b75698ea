// Command kindnetd is Bosun's stand-in for kind's default CNI daemon (kindnetd), which cannot be
// built here: its module is not served. It runs as kind's own `kindnet` DaemonSet (host network,
// NET_ADMIN) under kind's image name and does the two things a kind cluster needs from it:
//
//   - writes /etc/cni/net.d/10-kindnet.conflist for this node: ptp + host-local over the node's
//     spec.podCIDR, masquerading traffic that leaves the node's pods (ptp's ipMasq), portmap
//     for hostPorts;
//   - keeps a route to every other node's PodCIDR via that node's InternalIP.
//
// IPv4 only; no NetworkPolicy. It talks to the API server with its service account, through
// the standard library only (no client-go), and re-lists nodes every few seconds.
package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/vishvananda/netlink"
)

const (
	saDir   = "/var/run/secrets/kubernetes.io/serviceaccount"
	cniFile = "/etc/cni/net.d/10-kindnet.conflist"
	period  = 5 * time.Second
)

type nodeList struct {
	Items []struct {
		Metadata struct {
			Name string `json:"name"`
		} `json:"metadata"`
		Spec struct {
			PodCIDR string `json:"podCIDR"`
		} `json:"spec"`
		Status struct {
			Addresses []struct {
				Type    string `json:"type"`
				Address string `json:"address"`
			} `json:"addresses"`
		} `json:"status"`
	} `json:"items"`
}

func main() {
	hostIP := os.Getenv("HOST_IP")
	podSubnet := os.Getenv("POD_SUBNET")
	if net.ParseIP(hostIP) == nil {
		log.Fatalf("kindnetd: HOST_IP %q is not an IP address", hostIP)
	}
	client, base, token, err := apiClient()
	if err != nil {
		log.Fatalf("kindnetd: %v", err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	log.Printf("kindnetd (bosun stand-in): host %s, pod subnet %s", hostIP, podSubnet)
	for {
		if err := syncOnce(ctx, client, base, token, hostIP, podSubnet); err != nil {
			log.Printf("kindnetd: %v", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(period):
		}
	}
}

func apiClient() (*http.Client, string, string, error) {
	host, port := os.Getenv("KUBERNETES_SERVICE_HOST"), os.Getenv("KUBERNETES_SERVICE_PORT")
	if host == "" || port == "" {
		return nil, "", "", fmt.Errorf("KUBERNETES_SERVICE_HOST/PORT are not set: not running in a pod?")
	}
	ca, err := os.ReadFile(filepath.Join(saDir, "ca.crt"))
	if err != nil {
		return nil, "", "", err
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(ca) {
		return nil, "", "", fmt.Errorf("no certificate in %s/ca.crt", saDir)
	}
	token, err := os.ReadFile(filepath.Join(saDir, "token"))
	if err != nil {
		return nil, "", "", err
	}
	client := &http.Client{
		Timeout:   10 * time.Second,
		Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}},
	}
	return client, "https://" + net.JoinHostPort(host, port), string(token), nil
}

func syncOnce(ctx context.Context, client *http.Client, base, token, hostIP, podSubnet string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/api/v1/nodes", nil)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("list nodes: %s", resp.Status)
	}
	var nodes nodeList
	if err := json.NewDecoder(resp.Body).Decode(&nodes); err != nil {
		return fmt.Errorf("list nodes: %v", err)
	}
	for _, n := range nodes.Items {
		ip := ""
		for _, a := range n.Status.Addresses {
			if a.Type == "InternalIP" && net.ParseIP(a.Address).To4() != nil {
				ip = a.Address
			}
		}
		if ip == "" || n.Spec.PodCIDR == "" {
			continue
		}
		if ip == hostIP {
			if err := writeConfig(n.Spec.PodCIDR); err != nil {
				return err
			}
			continue
		}
		_, dst, err := net.ParseCIDR(n.Spec.PodCIDR)
		if err != nil {
			return fmt.Errorf("node %s: podCIDR %q: %v", n.Metadata.Name, n.Spec.PodCIDR, err)
		}
		route := &netlink.Route{Dst: dst, Gw: net.ParseIP(ip)}
		if err := netlink.RouteReplace(route); err != nil {
			return fmt.Errorf("route %s via %s: %v", dst, ip, err)
		}
	}
	return nil
}

func writeConfig(podCIDR string) error {
	conf := map[string]any{
		"cniVersion": "0.4.0",
		"name":       "kindnet",
		"plugins": []any{
			map[string]any{
				"type":   "ptp",
				"ipMasq": true,
				"ipam": map[string]any{
					"type":   "host-local",
					"ranges": []any{[]any{map[string]any{"subnet": podCIDR}}},
					"routes": []any{map[string]any{"dst": "0.0.0.0/0"}},
				},
				"mtu": 1500,
			},
			map[string]any{"type": "portmap", "capabilities": map[string]bool{"portMappings": true}},
		},
	}
	out, err := json.MarshalIndent(conf, "", "  ")
	if err != nil {
		return err
	}
	if old, err := os.ReadFile(cniFile); err == nil && string(old) == string(out) {
		return nil
	}
	tmp := cniFile + ".tmp"
	if err := os.WriteFile(tmp, out, 0o644); err != nil {
		return err
	}
	if err := os.Rename(tmp, cniFile); err != nil {
		return err
	}
	log.Printf("kindnetd: wrote %s for %s", cniFile, podCIDR)
	return nil
}
