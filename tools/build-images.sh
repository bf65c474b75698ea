#!/usr/bin/env bash
# Builds, offline, every Docker image the real Kind e2e tests need, into the running Docker engine.
# Each image's root filesystem is cached as a tarball under $BOSUN_IMAGES_CACHE (default
# $HOME/.cache/bosun/images) named by a hash of its inputs; an image in the engine whose label
# dev.bosun.input-hash matches is skipped, a cached tarball is imported instead of rebuilt.
# Needs root (debootstrap, chroot), a Docker engine, cc and the programs that
# `tools/build-peers.sh` builds (run first for whatever is missing). Nothing is pulled.
#
#   tools/build-images.sh           # build or import every missing image
#   tools/build-images.sh --list    # "<image> <input hash> present|missing"
#
# Images, under the names kind v0.33.0, kubeadm v1.36.3 and Bosun ask for:
#   kindest/node:v1.36.3    a kind node: Debian bookworm + systemd + containerd 1.6 (Debian's), kind's
#                           base-image files read from the kind module, kubelet/kubeadm/kubectl,
#                           crictl, and preloaded into its containerd (pinned):
#                           registry.k8s.io/kube-{apiserver,controller-manager,scheduler,proxy}:v1.36.3,
#                           registry.k8s.io/etcd:3.6.8-0 (etcd v3.6.16 under kubeadm's tag),
#                           registry.k8s.io/coredns/coredns:v1.14.2 (tools/coredns: kubeadm's plugins),
#                           registry.k8s.io/pause:3.10.2 and :3.10 (tools/images/pause),
#                           docker.io/kindest/kindnetd:v20260820-69b56db7 (a stand-in: tools/images/kindnet)
#   registry:3              distribution v3.1.2: Bosun's local registry and pull-through mirrors
#   bosun.test/busybox:1    Debian's static busybox: the workload image of the e2e tests
#   registry.k8s.io/metrics-server/metrics-server:v0.8.0  only when the metrics-server peer is built
set -euo pipefail

TOOLS=$(cd "$(dirname "$0")" && pwd)
CACHE=${BOSUN_IMAGES_CACHE:-$HOME/.cache/bosun/images}
GO=${GO:-$(command -v go || echo /usr/local/go/bin/go)}
export DOCKER_BUILDKIT=0 GOTOOLCHAIN=local GOFLAGS=-mod=readonly

SUITE=bookworm
# Packages of the node's root filesystem (kind's base image list, with Debian's containerd,
# runc and CNI plugins instead of kind's own builds; no fuse-overlayfs, NFS or iSCSI).
NODE_PACKAGES="systemd conntrack iptables nftables iproute2 ethtool util-linux mount kmod libseccomp2
pigz e2fsprogs bash ca-certificates curl jq procps containerd runc containernetworking-plugins socat"
ROOTFS_REV=1
KINDNETD_IMAGE=docker.io/kindest/kindnetd:v20260820-69b56db7
ETCD_TAG=3.6.8-0
COREDNS_TAG=v1.14.2
PAUSE_TAGS="3.10.2 3.10"
SELF_HASH=$(sha256sum "$0" | cut -c1-12)

say() { echo "images: $*"; }
sha() { sha256sum | cut -c1-16; }
peer() { awk -v g="$1" '$1 == g { print $3 }' <<<"$PEERS"; }
peer_version() { awk -v g="$1" '$1 == g { print $2 }' <<<"$PEERS"; }
slug() { tr '/:@' '___' <<<"$1"; }
have_image() {
  [ "$(docker image inspect -f '{{index .Config.Labels "dev.bosun.input-hash"}}' "$1" 2>/dev/null)" = "$2" ]
}

# import <ref> <hash> <tarball> [change...]: docker import with Bosun's input-hash label.
import_rootfs() {
  local ref=$1 hash=$2 tarball=$3 c
  shift 3
  local changes=(--change "LABEL dev.bosun.input-hash=$hash")
  for c in "$@"; do changes+=(--change "$c"); done
  docker import "${changes[@]}" "$tarball" "$ref" >/dev/null
}

# pack <dir> <tarball>: a reproducible-enough tarball of a root filesystem, written atomically.
# Tarballs of the same image with another input hash are superseded and removed.
pack() {
  tar -C "$1" --numeric-owner --xattrs -cf "$2.tmp" . && mv "$2.tmp" "$2"
  local old
  for old in "${2%-*}"-*.tar; do [ "$old" = "$2" ] || rm -f "$old"; done
}

# A small image holding static binaries under /usr/local/bin (busybox with its applet links).
#   binary_image <ref> <entrypoint json|-> <cmd json|-> <binary...>
binary_image() {
  local ref=$1 entry=$2 cmd=$3
  shift 3
  local hash tarball root b
  hash=$( (echo "$ref $entry $cmd $SELF_HASH"; sha256sum "$@" | cut -d' ' -f1) | sha)
  if have_image "$ref" "$hash"; then say "$ref present ($hash)"; return; fi
  tarball="$CACHE/$(slug "$ref")-$hash.tar"
  if [ ! -f "$tarball" ]; then
    root=$(mktemp -d "$CACHE/.root-XXXXXX")
    mkdir -p "$root/usr/local/bin" "$root/etc" "$root/tmp" "$root/var/lib/registry"
    chmod 1777 "$root/tmp"
    for b in "$@"; do install -m 0755 "$b" "$root/usr/local/bin/"; done
    if [ "$(basename "$1")" = busybox ]; then
      for b in $("$1" --list); do [ -e "$root/usr/local/bin/$b" ] || ln -s busybox "$root/usr/local/bin/$b"; done
    fi
    printf 'root:x:0:0:root:/:/bin/sh\nnobody:x:65534:65534:nobody:/:/nonexistent\n' >"$root/etc/passwd"
    printf 'root:x:0:\nnogroup:x:65534:\n' >"$root/etc/group"
    if [ "$ref" = registry:3 ]; then
      mkdir -p "$root/etc/distribution"
      registry_config >"$root/etc/distribution/config.yml"
    fi
    pack "$root" "$tarball"
    rm -rf "$root"
  fi
  local changes=("ENV PATH=/usr/local/bin:/usr/bin:/bin")
  [ "$entry" = - ] || changes+=("ENTRYPOINT $entry")
  [ "$cmd" = - ] || changes+=("CMD $cmd")
  if [ "$ref" = registry:3 ]; then
    changes+=('VOLUME ["/var/lib/registry"]' "EXPOSE 5000" "ENV OTEL_TRACES_EXPORTER=none")
  fi
  import_rootfs "$ref" "$hash" "$tarball" "${changes[@]}"
  say "$ref imported ($hash)"
}

# The registry's configuration: what the upstream registry:3 image ships, in substance.
registry_config() {
  cat <<'EOF'
version: 0.1
log:
  fields:
    service: registry
storage:
  delete:
    enabled: true
  cache:
    blobdescriptor: inmemory
  filesystem:
    rootdirectory: /var/lib/registry
http:
  addr: :5000
  headers:
    X-Content-Type-Options: [nosniff]
health:
  storagedriver:
    enabled: true
    interval: 10s
    threshold: 3
EOF
}

# The apt source this machine already uses (never a hard-coded host).
apt_mirror() {
  local m=""
  if [ -f /etc/apt/sources.list.d/debian.sources ]; then
    m=$(awk '/^URIs:/ { print $2; exit }' /etc/apt/sources.list.d/debian.sources)
  fi
  if [ -z "$m" ] && [ -f /etc/apt/sources.list ]; then
    m=$(awk '$1 == "deb" && $0 !~ /security/ { print $2; exit }' /etc/apt/sources.list)
  fi
  [ -n "$m" ] || { echo "images: cannot find a Debian mirror in /etc/apt/sources.list*" >&2; exit 3; }
  echo "$m"
}

# The node's base root filesystem: debootstrap + the packages above, docs and locales stripped.
base_rootfs() {
  local hash tarball root start
  hash=$(echo "$SUITE $NODE_PACKAGES $ROOTFS_REV" | sha)
  tarball="$CACHE/rootfs-$SUITE-$hash.tar"
  BASE_HASH=$hash BASE_TAR=$tarball
  [ ! -f "$tarball" ] || { say "base rootfs cached ($hash)"; return; }
  command -v debootstrap >/dev/null || { echo "images: debootstrap is not installed (apt-get install debootstrap)" >&2; exit 3; }
  start=$(date +%s)
  root=$(mktemp -d "$CACHE/.rootfs-XXXXXX")
  say "debootstrap $SUITE (minbase) ..."
  debootstrap --variant=minbase "$SUITE" "$root" "$(apt_mirror)" >"$CACHE/debootstrap.log" 2>&1 ||
    { tail -n 20 "$CACHE/debootstrap.log" >&2; exit 1; }
  printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
  chmod 0755 "$root/usr/sbin/policy-rc.d"
  cp /etc/resolv.conf "$root/etc/resolv.conf"
  say "apt-get install in the chroot: $(wc -w <<<"$NODE_PACKAGES") packages ..."
  chroot "$root" env DEBIAN_FRONTEND=noninteractive sh -c \
    "apt-get update -qq && apt-get install -y -qq --no-install-recommends $(echo $NODE_PACKAGES)" \
    >"$CACHE/apt.log" 2>&1 || { tail -n 20 "$CACHE/apt.log" >&2; exit 1; }
  chroot "$root" apt-get clean
  rm -rf "$root"/usr/share/{doc,man,info,locale,lintian} "$root"/var/lib/apt/lists/* \
    "$root"/var/cache/apt/* "$root"/var/log/* "$root/usr/sbin/policy-rc.d" "$root/etc/resolv.conf"
  pack "$root" "$tarball"
  rm -rf "$root"
  say "base rootfs built in $(($(date +%s) - start)) s ($hash)"
}

# kube-proxy needs iptables (nft and legacy) and conntrack: copy them, their xtables extensions and
# every library they load from the node's base root filesystem.
kube_proxy_image() {
  local ref="registry.k8s.io/kube-proxy:$K8S" bin hash tarball base root arch
  bin="$(peer kubernetes-node)/kube-proxy"
  hash=$( (echo "$ref $BASE_HASH $SELF_HASH"; sha256sum "$bin" | cut -d' ' -f1) | sha)
  if have_image "$ref" "$hash"; then say "$ref present ($hash)"; return; fi
  tarball="$CACHE/$(slug "$ref")-$hash.tar"
  if [ ! -f "$tarball" ]; then
    base=$(mktemp -d "$CACHE/.base-XXXXXX")
    tar -C "$base" -xf "$BASE_TAR"
    root=$(mktemp -d "$CACHE/.root-XXXXXX")
    arch=$(basename "$(dirname "$(ls -d "$base"/usr/lib/*-linux-gnu/xtables)")")
    local files=(/usr/sbin/xtables-nft-multi /usr/sbin/xtables-legacy-multi /usr/sbin/conntrack)
    local f lib
    for f in "$base/usr/lib/$arch/xtables/"*.so; do files+=("${f#"$base"}"); done
    # merged /usr: keep the top-level links, so every path ldd prints resolves the same way
    mkdir -p "$root"/usr/{bin,sbin,lib,lib64}
    for f in bin sbin lib lib64; do [ ! -L "$base/$f" ] || cp -a "$base/$f" "$root/"; done
    (
      cd "$base"
      for f in "${files[@]}"; do
        cp -a --parents ".$f" "$root/"
        chroot "$base" ldd "$f" | awk '/=>/ { print $3 } /^\t\// { print $1 }'
      done | sort -u | while read -r lib; do
        [ -z "$lib" ] || [ -e "$root$lib" ] || cp -aL --parents ".$lib" "$root/"
      done
    )
    for f in iptables iptables-save iptables-restore ip6tables ip6tables-save ip6tables-restore; do
      ln -sf xtables-nft-multi "$root/usr/sbin/$f"
      ln -sf xtables-nft-multi "$root/usr/sbin/${f/tables/tables-nft}"
      ln -sf xtables-legacy-multi "$root/usr/sbin/${f/tables/tables-legacy}"
    done
    mkdir -p "$root/usr/local/bin" "$root/run" "$root/tmp" "$root/var/lib/kube-proxy" "$root/etc"
    install -m 0755 "$bin" "$root/usr/local/bin/kube-proxy"
    printf 'root:x:0:0:root:/:/bin/sh\n' >"$root/etc/passwd"
    pack "$root" "$tarball"
    rm -rf "$root" "$base"
  fi
  import_rootfs "$ref" "$hash" "$tarball" "ENV PATH=/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
    'ENTRYPOINT ["/usr/local/bin/kube-proxy"]'
  say "$ref imported ($hash)"
}

# kind's default CNI manifest, read from the kind module (kind fills {{ .PodSubnet }} itself).
default_cni_manifest() {
  python3 - "$1" "$KINDNETD_IMAGE" <<'EOF'
import re, sys
src = open(sys.argv[1]).read()
body = re.search(r'const defaultCNIManifest = `(.*?)\n`\n', src, re.S).group(1) + "\n"
body = body.replace("` + kindnetdImage + `", sys.argv[2])
if "`" in body or sys.argv[2] not in body:
    sys.exit("images: cannot read kind's default CNI manifest from " + sys.argv[1])
sys.stdout.write(body)
EOF
}

# The kind node image: base rootfs + kind's base-image files + Kubernetes node binaries, with the
# control-plane, etcd, CoreDNS, pause and CNI images imported into its containerd.
node_image() {
  local ref="kindest/node:$K8S" kindmod hash tarball root img start
  kindmod=$(cd "$TOOLS/kind" && "$GO" list -m -f '{{.Dir}}' sigs.k8s.io/kind)
  local bins=("$(peer kubernetes-node)/kubelet" "$(peer kubernetes-node)/kubeadm"
    "$(peer kubernetes-node)/kubectl" "$(peer crictl)/crictl")
  local preload_ids=""
  for img in "${PRELOAD[@]}"; do preload_ids+="$img=$(docker image inspect -f '{{.Id}}' "$img") "; done
  hash=$( (echo "$ref $BASE_HASH $SELF_HASH $kindmod $preload_ids"; sha256sum "${bins[@]}" | cut -d' ' -f1) | sha)
  if have_image "$ref" "$hash"; then say "$ref present ($hash)"; return; fi
  tarball="$CACHE/$(slug "$ref")-$hash.tar"
  start=$(date +%s)
  if [ ! -f "$tarball" ]; then
    say "assembling $ref ..."
    root=$(mktemp -d "$CACHE/.node-XXXXXX")
    tar -C "$root" -xf "$BASE_TAR"
    # kind's base-image layout (images/base/Dockerfile), from the kind module
    local files="$kindmod/images/base/files"
    mkdir -p "$root/kind/bin" "$root/LICENSES" "$root/etc/kubernetes/manifests" "$root/opt/cni/bin" \
      "$root/kind/manifests"
    install -m 0755 "$files"/usr/local/bin/* "$root/usr/local/bin/"
    install -m 0755 "$files"/kind/bin/* "$root/kind/bin/"
    install -m 0644 "$files/kind/README.txt" "$root/kind/"
    install -m 0644 "$files/etc/crictl.yaml" "$root/etc/"
    install -D -m 0644 -t "$root/etc/containerd" "$files"/etc/containerd/*
    install -D -m 0644 -t "$root/etc/default" "$files"/etc/default/*
    install -D -m 0644 -t "$root/etc/sysctl.d" "$files"/etc/sysctl.d/*
    install -D -m 0644 -t "$root/etc/systemd/system" "$files"/etc/systemd/system/*.service \
      "$files"/etc/systemd/system/*.slice
    install -D -m 0644 -t "$root/etc/systemd/system/kubelet.service.d" \
      "$files"/etc/systemd/system/kubelet.service.d/*
    # Nothing on our machines may lower oom_score_adj.
    sed -i 's/^\(\s*restrict_oom_score_adj\s*=\s*\).*/\1true/' "$root/etc/containerd/config.toml"
    ln -sf /usr/bin/containerd "$root/usr/local/bin/containerd"
    for p in host-local loopback ptp portmap; do cp "$root/usr/lib/cni/$p" "$root/opt/cni/bin/"; done
    chroot "$root" sh -c '
      find /lib/systemd/system/sysinit.target.wants/ -name systemd-tmpfiles-setup.service -delete
      rm -f /lib/systemd/system/multi-user.target.wants/* /etc/systemd/system/*.wants/* \
        /lib/systemd/system/local-fs.target.wants/* /lib/systemd/system/sockets.target.wants/*udev* \
        /lib/systemd/system/sockets.target.wants/*initctl* /lib/systemd/system/basic.target.wants/*
      echo ReadKMsg=no >> /etc/systemd/journald.conf
      ln -sf /usr/lib/systemd/systemd /sbin/init
      systemctl enable kubelet.service containerd.service undo-mount-hacks.service >/dev/null 2>&1
      systemctl mask systemd-binfmt.service >/dev/null 2>&1
      ctr oci spec | jq ".hooks.createContainer[.hooks.createContainer | length] |= . + {\"path\": \"/kind/bin/mount-product-files.sh\"}" | jq "del(.process.rlimits)" > /etc/containerd/cri-base.json
    '
    install -m 0755 "${bins[0]}" "${bins[1]}" "${bins[2]}" "$root/usr/bin/"
    install -m 0755 "${bins[3]}" "$root/usr/local/bin/"
    echo "$K8S" >"$root/kind/version"
    default_cni_manifest "$kindmod/pkg/build/nodeimage/const_cni.go" >"$root/kind/manifests/default-cni.yaml"
    preload "$root"
    pack "$root" "$tarball"
    rm -rf "$root"
  fi
  import_rootfs "$ref-rootfs" "$hash" "$tarball" "ENV container=docker" \
    'ENTRYPOINT ["/usr/local/bin/entrypoint", "/sbin/init"]'
  printf 'FROM %s\nSTOPSIGNAL SIGRTMIN+3\nLABEL dev.bosun.input-hash=%s\n' "$ref-rootfs" "$hash" |
    docker build -q -t "$ref" - >/dev/null 2>&1
  docker rmi "$ref-rootfs" >/dev/null
  say "$ref ready in $(($(date +%s) - start)) s ($hash)"
}

# Imports the images in PRELOAD into the node root filesystem's containerd, through a containerd
# of the host's own (the same release as the node's) pointed at that root, then pins them.
preload() {
  local root=$1 tmp pid img i=0
  tmp=$(mktemp -d /tmp/bosun-preload-XXXXXX)
  cat >"$tmp/config.toml" <<EOF
version = 2
root = "$root/var/lib/containerd"
state = "$tmp/state"
disabled_plugins = ["io.containerd.grpc.v1.cri"]
[grpc]
  address = "$tmp/containerd.sock"
[ttrpc]
  address = "$tmp/containerd.sock.ttrpc"
EOF
  containerd --config "$tmp/config.toml" >"$tmp/containerd.log" 2>&1 &
  pid=$!
  for _ in $(seq 50); do [ -S "$tmp/containerd.sock" ] && break; sleep 0.2; done
  local ctr=(ctr --address "$tmp/containerd.sock" -n k8s.io)
  for img in "${PRELOAD[@]}"; do
    docker save "$img" -o "$tmp/image-$i.tar"
    "${ctr[@]}" images import --all-platforms --no-unpack --digests "$tmp/image-$i.tar" >/dev/null
    rm -f "$tmp/image-$i.tar"
    i=$((i + 1))
  done
  "${ctr[@]}" images ls -q | grep -v '@sha256:' | while read -r img; do
    "${ctr[@]}" images label "$img" io.cri-containerd.pinned=pinned >/dev/null
  done
  say "preloaded: $("${ctr[@]}" images ls -q | grep -vc '@sha256:') image names"
  kill "$pid"
  wait "$pid" 2>/dev/null || true
  rm -rf "$tmp"
}

if [ "$(id -u)" != 0 ]; then echo "images: must run as root (debootstrap, chroot)" >&2; exit 3; fi
docker info >/dev/null 2>&1 || { echo "images: no Docker engine answers (docker info failed)" >&2; exit 3; }
mkdir -p "$CACHE"

NEEDED_PEERS=(etcd kubernetes kind crictl kubernetes-node coredns distribution kindnetd pause runtime-wrapper)
if [ "${1:-}" != --list ]; then
  missing=()
  PEERS=$("$TOOLS/build-peers.sh" --list)
  for g in "${NEEDED_PEERS[@]}"; do
    [ "$(awk -v g="$g" '$1 == g { print $4 }' <<<"$PEERS")" = ok ] || missing+=("$g")
  done
  [ ${#missing[@]} -eq 0 ] || "$TOOLS/build-peers.sh" "${missing[@]}"
fi
PEERS=$("$TOOLS/build-peers.sh" --list)
K8S=$(peer_version kubernetes-node)
K8S_BIN=$(peer kubernetes)
PRELOAD=(
  "registry.k8s.io/kube-apiserver:$K8S" "registry.k8s.io/kube-controller-manager:$K8S"
  "registry.k8s.io/kube-scheduler:$K8S" "registry.k8s.io/kube-proxy:$K8S"
  "registry.k8s.io/etcd:$ETCD_TAG" "registry.k8s.io/coredns/coredns:$COREDNS_TAG"
  "$KINDNETD_IMAGE"
)
for t in $PAUSE_TAGS; do PRELOAD+=("registry.k8s.io/pause:$t"); done

if [ "${1:-}" = --list ]; then
  for img in "${PRELOAD[@]}" "kindest/node:$K8S" registry:3 bosun.test/busybox:1; do
    h=$(docker image inspect -f '{{index .Config.Labels "dev.bosun.input-hash"}}' "$img" 2>/dev/null || true)
    echo "$img ${h:--} $([ -n "$h" ] && echo present || echo missing)"
  done
  exit 0
fi

started=$(date +%s)
base_rootfs
for c in kube-apiserver kube-controller-manager kube-scheduler; do
  binary_image "registry.k8s.io/$c:$K8S" "[\"/usr/local/bin/$c\"]" - "$K8S_BIN/$c"
done
kube_proxy_image
binary_image "registry.k8s.io/etcd:$ETCD_TAG" '["/usr/local/bin/etcd"]' - "$(peer etcd)/etcd"
binary_image "registry.k8s.io/coredns/coredns:$COREDNS_TAG" '["/usr/local/bin/coredns"]' - \
  "$(peer coredns)/coredns"
for t in $PAUSE_TAGS; do
  binary_image "registry.k8s.io/pause:$t" '["/usr/local/bin/pause"]' - "$(peer pause)/pause"
done
binary_image "$KINDNETD_IMAGE" '["/usr/local/bin/kindnetd"]' - "$(peer kindnetd)/kindnetd"
node_image
binary_image registry:3 '["/usr/local/bin/registry"]' '["serve", "/etc/distribution/config.yml"]' \
  "$(peer distribution)/registry"
command -v busybox >/dev/null || { echo "images: busybox is not installed (apt-get install busybox-static)" >&2; exit 3; }
binary_image bosun.test/busybox:1 - '["sh"]' "$(command -v busybox)"
# metrics-server v0.8.0 under the upstream chart's image name, when its peer group has been built
# (`tools/build-peers.sh metrics-server`); side-load it with `kind load docker-image`.
if [ "$(awk '$1 == "metrics-server" { print $4 }' <<<"$PEERS")" = ok ]; then
  binary_image "registry.k8s.io/metrics-server/metrics-server:$(peer_version metrics-server)" \
    '["/usr/local/bin/metrics-server"]' - "$(peer metrics-server)/metrics-server"
fi
docker image prune -f --filter label=dev.bosun.input-hash >/dev/null
say "all images ready in $(($(date +%s) - started)) s"
