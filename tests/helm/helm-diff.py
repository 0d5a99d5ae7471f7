#!/usr/bin/env python3
"""helm-diff: run `helm template` cases through the reference Helm and through
`gotk helm template`, and compare them.

Cases live in cases.txt, one a line:
    NAME: ARGS...
    NAME: !error "EXPECTED TEXT" ARGS...
  NAME: !xfail "WHY" ARGS...
  NAME: !mask REGEX ARGS...     (repeatable; matches replaced in both outputs,
                                 for what is random: generated keys, passwords)
ARGS are shell words given to `helm template` / `gotk helm template`, run in
charts/ (so chart and values paths are relative to it). Two special words:
  @tgz:DIR  is replaced by a .tgz of charts/DIR packed as `helm package` lays
            it out (DIR's name as the top directory);
  @evil:KIND is replaced by a crafted archive (KIND: parent, absolute);
  @outdir   is replaced by an empty directory of each tool's own (for
            --output-dir): its path reads OUTDIR in the outputs, and the
            files written there are compared too.
A plain case passes when both succeed with byte-identical stdout, or both fail
with the same message and the same stdout (empty, or what --debug prints),
and both log the same warnings on stderr ("coalesce.go:298: warning: ...",
compared as sorted lines: Go logs them in map order). An !error case also requires both to fail and the
message (Helm's and ours) to contain EXPECTED TEXT (\\n is a newline). An
!xfail case is known to differ (meson expects it to fail; WHY says why).
A chart that needs a function libgotk/template does not have yet (gotk fails
with 'function "X" not defined' where helm renders) is skipped, naming it.

Helm runs with empty HELM_* directories and no kubeconfig, so the namespace is
"default" as on a machine without a cluster.

usage: helm-diff.py --gotk GOTK --get-helm GET_HELM.SH --cache DIR --dir TESTDIR
                    [--keep] [--list] NAME...
Exit status: 0 all equal, 1 a difference, 77 Helm unavailable (skip).
"""
import argparse
import io
import os
import re
import shlex
import shutil
import subprocess
import sys
import tarfile
import tempfile


def get_helm(script, cache):
    r = subprocess.run(["sh", script, cache], capture_output=True, text=True)
    if r.returncode != 0:
        sys.stderr.write(r.stderr)
        return None
    return r.stdout.strip().splitlines()[-1]


def read_cases(path):
    cases = {}
    with open(path) as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            name, _, rest = line.partition(":")
            words = shlex.split(rest)
            expect = xfail = None
            masks = []
            while words and words[0] == "!mask":
                masks.append(words[1])
                words = words[2:]
            if words and words[0] == "!xfail":
                xfail = words[1]
                words = words[2:]
            if words and words[0] == "!error":
                expect = words[1].replace("\\n", "\n")
                words = words[2:]
            cases[name.strip()] = (expect, words, xfail, masks)
    return cases


def add_tree(tar, src, arcname):
    """Add src under arcname in sorted order, files only (as helm package)."""
    for root, dirs, files in os.walk(src):
        dirs.sort()
        for fn in sorted(files):
            full = os.path.join(root, fn)
            rel = os.path.relpath(full, src)
            tar.add(full, arcname=arcname + "/" + rel, recursive=False)


def make_tgz(charts, work, d):
    out = os.path.join(work, os.path.basename(d) + ".tgz")
    with tarfile.open(out, "w:gz") as tar:
        add_tree(tar, os.path.join(charts, d), os.path.basename(d))
    return out


def make_evil(work, kind):
    out = os.path.join(work, "evil-%s.tgz" % kind)
    with tarfile.open(out, "w:gz") as tar:
        def add(name, data):
            ti = tarfile.TarInfo(name)
            ti.size = len(data)
            tar.addfile(ti, io.BytesIO(data))
        add("evil/Chart.yaml", b"apiVersion: v2\nname: evil\nversion: 0.1.0\n")
        if kind == "parent":
            add("evil/../../etc/evil.yaml", b"kind: ConfigMap\n")
        elif kind == "absolute":
            add("evil//etc/evil.yaml", b"kind: ConfigMap\n")
        elif kind == "empty":
            pass
    return out


def expand(words, charts, work):
    out = []
    for w in words:
        if w.startswith("@tgz:"):
            out.append(make_tgz(charts, work, w[5:]))
        elif w.startswith("@evil:"):
            out.append(make_evil(work, w[6:]))
        else:
            out.append(w)
    return out


def with_outdir(argv, work, tool):
    """argv with @outdir made a fresh directory of the tool's own, and it."""
    d = os.path.join(work, "out-" + tool)
    if "@outdir" not in argv:
        return argv, None
    os.makedirs(d)
    return [d if w == "@outdir" else w for w in argv], d


def outdir_result(res, d):
    """res with d's path read as OUTDIR and d's files appended to its output."""
    if d is None:
        return res
    tree = []
    for root, dirs, files in os.walk(d):
        dirs.sort()
        for fn in sorted(files):
            full = os.path.join(root, fn)
            with open(full, encoding="utf-8", errors="surrogateescape") as f:
                tree.append("=== %s\n%s" % (os.path.relpath(full, d), f.read()))
    res = tuple(x.replace(d, "OUTDIR") if isinstance(x, str) else x for x in res)
    return (res[0], res[1] + "".join(tree)) + res[2:]


def error_text(stderr):
    """The "Error: ..." message, without --debug's trace lines after it."""
    i = stderr.find("Error: ")
    msg = stderr[i + 7:] if i >= 0 else stderr
    j = msg.find("\nhelm.go:")
    return (msg[:j] if j >= 0 else msg).rstrip("\n")


LOG_LINE = re.compile(r"^\w+\.go:\d+: ")


def warnings(stderr):
    """Helm's log warnings ("coalesce.go:298: warning: ...") and the command's
    own ("WARNING: This chart is deprecated"), sorted: Go prints them in map
    order. --debug's own log lines and trace are left out."""
    lines = [l for l in stderr.splitlines()
             if (LOG_LINE.match(l) and "[debug]" not in l and not l.startswith("helm.go:"))
             or l.startswith("WARNING: ")]
    return "\n".join(sorted(lines))


def run(cmd, cwd, env):
    r = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True)
    out = r.stdout.decode("utf-8", "surrogateescape")
    err = r.stderr.decode("utf-8", "surrogateescape")
    if r.returncode == 0:
        return ("ok", out, warnings(err))
    return ("error", error_text(err), out, warnings(err))


def helm_env(work):
    env = dict(os.environ)
    for k in list(env):
        if k.startswith("HELM_") or k == "KUBECONFIG":
            del env[k]
    home = os.path.join(work, "helmhome")
    env["HELM_CACHE_HOME"] = os.path.join(home, "cache")
    env["HELM_CONFIG_HOME"] = os.path.join(home, "config")
    env["HELM_DATA_HOME"] = os.path.join(home, "data")
    env["KUBECONFIG"] = os.path.join(home, "no-kubeconfig")
    return env


def check(args, helm, name, case):
    expect, words, _, masks = case
    charts = os.path.join(args.dir, "charts")
    work = tempfile.mkdtemp(prefix="helm-diff-")
    try:
        argv = expand(words, charts, work)
        env = helm_env(work)
        hargv, hdir = with_outdir(argv, work, "helm")
        gargv, gdir = with_outdir(argv, work, "gotk")
        want = outdir_result(run([helm, "template"] + hargv, charts, env), hdir)
        got = outdir_result(run([args.gotk, "helm", "template"] + gargv, charts, env), gdir)
    finally:
        if not args.keep:
            shutil.rmtree(work)
    for m in masks:
        want = (want[0],) + tuple(re.sub(m, "<masked>", x) for x in want[1:])
        got = (got[0],) + tuple(re.sub(m, "<masked>", x) for x in got[1:])
    missing = re.search(r'function "(\w+)" not defined', got[1])
    if want[0] == "ok" and got[0] == "error" and missing:
        print("SKIP %s: needs %s from libgotk/template" % (name, missing.group(1)))
        return None
    ok = want == got
    if expect is not None:
        ok = ok and want[0] == "error" and expect in want[1] and expect in got[1]
    if ok:
        return True
    print("FAIL %s: %s" % (name, " ".join(words)))
    if want[0] == got[0] == "ok":
        import difflib
        diff = difflib.unified_diff(want[1].splitlines(True), got[1].splitlines(True),
                                    "helm", "gotk", n=2)
        sys.stdout.writelines(list(diff)[:80])
    else:
        print("  helm: %s %r" % (want[0], want[1][:2000]))
        print("  gotk: %s %r" % (got[0], got[1][:2000]))
    if want[-1] != got[-1]:
        print("  helm warnings: %r" % want[-1][:2000])
        print("  gotk warnings: %r" % got[-1][:2000])
    return False


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--gotk")
    ap.add_argument("--get-helm")
    ap.add_argument("--cache")
    ap.add_argument("--dir", required=True)
    ap.add_argument("--keep", action="store_true")
    ap.add_argument("--list", action="store_true")
    ap.add_argument("names", nargs="*")
    args = ap.parse_args()
    cases = read_cases(os.path.join(args.dir, "cases.txt"))
    if args.list:
        for n, c in cases.items():
            print(n, "xfail" if c[2] else "pass")
        return 0
    args.gotk = os.path.abspath(args.gotk)
    helm = get_helm(args.get_helm, os.path.abspath(args.cache))
    if not helm:
        print("reference helm unavailable: skipping")
        return 77
    names = args.names or list(cases)
    results = {n: check(args, helm, n, cases[n]) for n in names}
    failed = [n for n in names if results[n] is False]
    skipped = [n for n in names if results[n] is None]
    print("%d cases, %d failed, %d skipped" % (len(names), len(failed), len(skipped)))
    if failed:
        return 1
    return 77 if skipped else 0


if __name__ == "__main__":
    sys.exit(main())
