#!/bin/sh
# run-case.sh: one kustomize differential test.
#
# Builds the case directory (or the subdirectory named in its `target` file)
# with `kubectl kustomize` and with `gotk kustomize build`, with --reorder
# legacy and none, and compares stdout byte for byte (kubectl's stderr carries a
# deprecation warning for --reorder and is ignored). A case holding a file
# `expect-error` must make both tools fail; gotk's stderr must contain the text
# of that file. An optional file `flags` holds extra flags for both tools
# (e.g. --load-restrictor LoadRestrictionsNone).
#
# Usage: run-case.sh CASE_DIR [GOTK]
# Exit: 0 same, 1 different or failed, 77 skipped (no kubectl), 99 bad usage.
set -u
case_dir=${1:-}
gotk=${2:-${GOTK_BUILD_ROOT:-.}/cli/gotk}
if [ -z "$case_dir" ] || [ ! -d "$case_dir" ] || [ ! -x "$gotk" ]; then
    echo "usage: run-case.sh CASE_DIR [GOTK]" >&2
    exit 99
fi
if ! command -v kubectl >/dev/null 2>&1; then
    echo "kubectl not found: skipping"
    exit 77
fi
target=$case_dir
[ -f "$case_dir/target" ] && target=$case_dir/$(cat "$case_dir/target")
flags=
[ -f "$case_dir/flags" ] && flags=$(cat "$case_dir/flags")
tmp=$(mktemp -d "${TMPDIR:-/tmp}/gotk-kust.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT INT TERM

if [ -f "$case_dir/expect-error" ]; then
    if kubectl kustomize $flags "$target" >"$tmp/expected" 2>"$tmp/kubectl.err"; then
        echo "kubectl kustomize succeeded on an error case"
        exit 1
    fi
    if "$gotk" kustomize build $flags "$target" >"$tmp/actual" 2>"$tmp/gotk.err"; then
        echo "gotk succeeded on an error case:"
        cat "$tmp/actual"
        exit 1
    fi
    gist=$(cat "$case_dir/expect-error")
    if ! grep -qF -- "$gist" "$tmp/gotk.err"; then
        echo "gotk's error does not contain \"$gist\":"
        cat "$tmp/gotk.err"
        echo "kubectl said:"
        cat "$tmp/kubectl.err"
        exit 1
    fi
    exit 0
fi

rc=0
for order in legacy none; do
    if ! kubectl kustomize $flags --reorder "$order" "$target" >"$tmp/expected" 2>"$tmp/kubectl.err"; then
        echo "kubectl kustomize failed on $target (fix the case):"
        cat "$tmp/kubectl.err"
        exit 1
    fi
    if ! "$gotk" kustomize build $flags --reorder "$order" "$target" >"$tmp/actual" 2>"$tmp/gotk.err"; then
        echo "gotk kustomize build --reorder $order failed:"
        cat "$tmp/gotk.err"
        exit 1
    fi
    if ! cmp -s "$tmp/expected" "$tmp/actual"; then
        echo "--reorder $order: gotk differs from kubectl kustomize:"
        diff -u --label "kubectl kustomize" --label "gotk" "$tmp/expected" "$tmp/actual"
        rc=1
    fi
done
exit $rc
