#!/usr/bin/env bash
# gotk envsubst: stdin to stdout with ${VAR} substituted, as `flux envsubst`.
# Each check runs the binary, compares stdout, stderr and the exit code, and the
# script exits non-zero if any check failed.
set -u
GOTK="${GOTK_BUILD_ROOT:?GOTK_BUILD_ROOT must point at the build directory}/cli/gotk"
failed=0
passed=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# check NAME WANT_RC WANT_STDOUT WANT_STDERR INPUT [ARGS...]
check() {
    local name=$1 want_rc=$2 want_out=$3 want_err=$4 input=$5
    shift 5
    printf '%s' "$input" | "$GOTK" envsubst "$@" >"$tmp/out" 2>"$tmp/err"
    local rc=$?
    local out err
    out=$(cat "$tmp/out"; printf x)
    err=$(cat "$tmp/err"; printf x)
    if [[ $rc != "$want_rc" || $out != "${want_out}x" || $err != "${want_err}x" ]]; then
        echo "FAIL: $name"
        echo "  exit $rc, want $want_rc"
        echo "  stdout: $(printf '%q' "${out%x}")"
        echo "  want:   $(printf '%q' "$want_out")"
        echo "  stderr: $(printf '%q' "${err%x}")"
        echo "  want:   $(printf '%q' "$want_err")"
        failed=$((failed + 1))
    else
        passed=$((passed + 1))
    fi
}

export REGION=eu-central-1 EMPTY=
unset MISSING OTHER

check "substitutes braced variables and defaults" 0 \
    $'region: eu-central-1\nname: app\nempty: none\n' '' \
    $'region: ${REGION}\nname: ${NAME:=app}\nempty: ${EMPTY:-none}\n'
check "leaves bare \$VAR and unescapes \$\$" 0 \
    $'home: $HOME\nprice: $5 ${REGION}\n' '' \
    $'home: $HOME\nprice: $$5 $${REGION}\n'
check "string functions" 0 \
    $'EU-CENTRAL-1 12 central eu-central\n' '' \
    $'${REGION^^} ${#REGION} ${REGION:3:7} ${REGION%-*}\n'
check "unset variables are empty without --strict" 0 $'[]\n' '' $'[${MISSING}]\n'
check "a last line without newline gets one" 0 $'a\neu-central-1\n' '' $'a\n${REGION}'
check "CRLF line ends become LF" 0 $'a\neu-central-1\n' '' $'a\r\n${REGION}\r\n'
check "empty input gives empty output" 0 '' '' ''
check "--strict passes when everything is set" 0 $'eu-central-1 d\n' '' \
    $'${REGION} ${MISSING:=d}\n' --strict
check "--strict fails on an unset variable" 1 $'ok\n' \
    $'\xe2\x9c\x97 variable not set (strict mode): "MISSING"\n' \
    $'ok\n${MISSING}\nnot reached\n' --strict
check "--strict=false is not strict" 0 $'[]\n' '' $'[${MISSING}]\n' --strict=false
check "--strict=true is strict" 1 '' \
    $'\xe2\x9c\x97 variable not set (strict mode): "OTHER"\n' $'${OTHER}\n' --strict=true
check "an unterminated \${ is an error" 1 '' $'\xe2\x9c\x97 missing closing brace\n' \
    $'x: ${REGION\n'
check "\${VAR-default} is not supported, as in Flux" 1 '' \
    $'\xe2\x9c\x97 missing closing brace\n' $'${MISSING-x}\n'
check "an unknown flag is an error" 1 '' $'\xe2\x9c\x97 unknown flag: --bogus\n' 'x' --bogus
check "an unknown shorthand flag is an error" 1 '' \
    $'\xe2\x9c\x97 unknown shorthand flag: \'s\' in -s\n' 'x' -s
check "arguments are refused" 1 '' \
    $'\xe2\x9c\x97 unknown command "file.yaml" for "gotk envsubst"\n' 'x' file.yaml
check "--strict=maybe is an error" 1 '' \
    $'\xe2\x9c\x97 invalid argument "maybe" for "--strict" flag: strconv.ParseBool: parsing "maybe": invalid syntax\n' \
    'x' --strict=maybe

# --help: exit 0, usage with an example on stdout, nothing read from stdin.
help=$("$GOTK" envsubst --help </dev/null)
rc=$?
if [[ $rc != 0 || $help != *"gotk envsubst --strict"* || $help != *"Usage:"* ]]; then
    echo "FAIL: --help (exit $rc)"
    failed=$((failed + 1))
else
    passed=$((passed + 1))
fi

# The top-level help lists the command.
if ! "$GOTK" --help | grep -q '^  envsubst '; then
    echo "FAIL: gotk --help lists envsubst"
    failed=$((failed + 1))
else
    passed=$((passed + 1))
fi

echo "$passed passed, $failed failed"
[[ $failed == 0 ]]
