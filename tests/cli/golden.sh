#!/usr/bin/env bash
# Runs one CLI golden case: tests/cli/golden/NAME.args holds the arguments,
# written as in a shell (quotes as a user types them; book commands verbatim),
# and the command runs in the golden directory (so ./values.yaml names its files).
# With NAME.golden the command must exit 0 and print exactly that on stdout;
# with NAME.err it must exit 1 and print exactly that on stderr, nothing on stdout.
set -u
name=$1
dir="$GOTK_TESTS_DIR/cli/golden"
gotk="$GOTK_BUILD_ROOT/cli/gotk"
eval "args=($(< "$dir/$name.args"))"
out=$(mktemp) err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT
(cd "$dir" && "$gotk" "${args[@]}") >"$out" 2>"$err"
rc=$?
if [ -f "$dir/$name.golden" ]; then
  [ $rc -eq 0 ] || { echo "exit $rc, want 0; stderr:"; cat "$err"; exit 1; }
  diff -u "$dir/$name.golden" "$out" || exit 1
else
  [ $rc -eq 1 ] || { echo "exit $rc, want 1"; exit 1; }
  [ ! -s "$out" ] || { echo "unexpected stdout:"; cat "$out"; exit 1; }
  diff -u "$dir/$name.err" "$err" || exit 1
fi
