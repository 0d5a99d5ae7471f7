#!/bin/sh
# check-bad.sh: one bad-input test for the YAML parser.
#
# Runs yaml_roundtrip on FILE (malformed YAML from tests/yaml-bad/) and checks
# that it fails cleanly (exit status 1, no crash, nothing on stdout) and that
# its stderr contains every non-empty line of the sidecar FILE-without-.yaml.err
# as a literal substring (e.g. "tab-indentation.yaml:6:1:" and the message).
#
# Usage: check-bad.sh FILE [ROUNDTRIP]
#   ROUNDTRIP defaults to $GOTK_BUILD_ROOT/tests/yaml/yaml_roundtrip.
# Exit: 0 as expected, 1 otherwise, 99 bad usage.
set -u

file=${1:-}
roundtrip=${2:-${GOTK_BUILD_ROOT:-.}/tests/yaml/yaml_roundtrip}
expect=${file%.yaml}.err
if [ -z "$file" ] || [ ! -f "$file" ] || [ ! -f "$expect" ]; then
    echo "usage: check-bad.sh FILE [ROUNDTRIP] (FILE and its .err sidecar must exist)" >&2
    exit 99
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/gotk-yaml-bad.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT INT TERM
"$roundtrip" "$file" >"$tmp/out" 2>"$tmp/err"
rc=$?
status=0
if [ $rc -ne 1 ]; then
    echo "expected exit status 1 from yaml_roundtrip, got $rc"
    status=1
fi
if [ -s "$tmp/out" ]; then
    echo "expected nothing on stdout, got:"
    cat "$tmp/out"
    status=1
fi
while IFS= read -r want || [ -n "$want" ]; do
    [ -z "$want" ] && continue
    if ! grep -qF -- "$want" "$tmp/err"; then
        echo "stderr lacks: $want"
        status=1
    fi
done <"$expect"
if [ $status -ne 0 ]; then
    echo "stderr was:"
    cat "$tmp/err"
fi
exit $status
