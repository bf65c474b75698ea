#!/usr/bin/env bash
# Regenerates tools/k8s/go.mod for K8S_VERSION (default v1.36.3): one replace per staging
# module of k8s.io/kubernetes, read from that release's own go.mod (downloaded through the
# Go module proxy), pinned to the matching v0.X.Y. Run after bumping the version; commit
# the resulting go.mod and go.sum. Needs Go and the module proxy only.
set -euo pipefail
export GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS=-mod=mod
K8S=${K8S_VERSION:-v1.36.3}
STAGING="v0.${K8S#v1.}"
cd "$(dirname "$0")/k8s"
rm -f go.mod go.sum
go mod init bosun.local/tools/k8s >/dev/null 2>&1
go mod edit -go=1.26.0
GOMOD=$(go mod download -json "k8s.io/kubernetes@$K8S" | sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",\{0,1\}$/\1/p')
[ -f "$GOMOD" ] || { echo "cannot find go.mod of k8s.io/kubernetes@$K8S" >&2; exit 1; }
for m in $(sed -n 's#^[[:space:]]*\(k8s\.io/[A-Za-z0-9._-]*\) => \./staging/src/.*#\1#p' "$GOMOD"); do
  go mod edit -replace="$m=$m@$STAGING"
done
if grep -q '^godebug' "$GOMOD"; then grep -m1 '^godebug' "$GOMOD" >>go.mod; fi
go get -tool "k8s.io/kubernetes/cmd/kube-apiserver@$K8S" \
  "k8s.io/kubernetes/cmd/kube-controller-manager@$K8S" \
  "k8s.io/kubernetes/cmd/kube-scheduler@$K8S"
if go list -m all | grep -E '^k8s\.io/[^ ]+ v0\.0\.0$'; then
  echo "unreplaced staging module(s) above" >&2
  exit 1
fi
echo "tools/k8s/go.mod now builds k8s.io/kubernetes $K8S"
