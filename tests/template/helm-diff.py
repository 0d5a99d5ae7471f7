#!/usr/bin/env python3
"""helm-diff: render template cases with the reference Helm and with tpl_render,
and compare the results byte for byte.

A case is tests/template/cases/NAME.tpl, with optional NAME.values.yaml (cases
without one use _default.values.yaml) and an optional directory NAME.files/
whose contents are copied into the chart (for .Files). Each case becomes templates/case.yaml of a one-template chart
whose values.yaml holds the case's values. Helm only prints a rendered template
as is when it is not valid YAML, so the harness appends a control character
(YAML forbids it) and runs `helm template --debug`, which then prints the raw
rendering. tpl_render gets the very same template text, so line numbers in
errors agree too. When Helm fails to render, the "Error: ..." message is
compared with tpl_render's instead.

usage: helm-diff.py --render TPL_RENDER --get-helm GET_HELM.SH --cache DIR
                    --cases DIR [--keep] NAME...
Exit status: 0 all equal, 1 a difference, 77 Helm unavailable (skip).
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile

SENTINEL = "\x01END\x01"
TEMPLATE = "c/templates/case.yaml"
CHART_YAML = "apiVersion: v2\nname: c\nversion: 0.1.0\n"


def get_helm(script, cache):
    """Path of the reference helm, or None when it cannot be had."""
    r = subprocess.run(["sh", script, cache], capture_output=True, text=True)
    if r.returncode != 0:
        sys.stderr.write(r.stderr)
        return None
    return r.stdout.strip().splitlines()[-1]


def helm_error(stderr):
    """The message of Helm's "Error: ..." line(s), up to its debug trace."""
    i = stderr.find("Error: ")
    if i < 0:
        return stderr
    msg = stderr[i + len("Error: "):]
    j = msg.find("\nhelm.go:")
    return msg[:j] if j >= 0 else msg.rstrip("\n")


def run_helm(helm, chart):
    """("ok", output) or ("error", message) from helm template."""
    r = subprocess.run([helm, "template", "r", chart, "--debug"], capture_output=True)
    out = r.stdout.decode("utf-8", "surrogateescape")
    err = r.stderr.decode("utf-8", "surrogateescape")
    msg = helm_error(err)
    prefix = "---\n# Source: %s\n" % TEMPLATE
    if msg.startswith("YAML parse error on " + TEMPLATE) and out.startswith(prefix):
        body = out[len(prefix):]
        if body.endswith("\n"):
            body = body[:-1]
        return ("ok", body)
    if r.returncode == 0:
        return ("unexpected-success", out)
    return ("error", msg)


def run_ours(render, chart, tpl, values):
    r = subprocess.run([render, "--helm", "--name", TEMPLATE, "--chart-dir", chart, tpl,
                        values], capture_output=True)
    out = r.stdout.decode("utf-8", "surrogateescape")
    err = r.stderr.decode("utf-8", "surrogateescape")
    if r.returncode == 0:
        return ("ok", out)
    if err.startswith("Error: "):
        err = err[len("Error: "):]
    return ("error", err.rstrip("\n"))


def make_chart(work, cases, name):
    """Write the chart for a case; returns (chart dir, template, values)."""
    chart = os.path.join(work, "c")
    files = os.path.join(cases, name + ".files")
    if os.path.isdir(files):
        shutil.copytree(files, chart)
    os.makedirs(os.path.join(chart, "templates"))
    with open(os.path.join(cases, name + ".tpl"), "rb") as f:
        text = f.read() + SENTINEL.encode()
    values = b"{}\n"
    vpath = os.path.join(cases, name + ".values.yaml")
    if not os.path.exists(vpath):
        vpath = os.path.join(cases, "_default.values.yaml")
    if os.path.exists(vpath):
        with open(vpath, "rb") as f:
            values = f.read()
    with open(os.path.join(chart, "Chart.yaml"), "w") as f:
        f.write(CHART_YAML)
    with open(os.path.join(chart, "values.yaml"), "wb") as f:
        f.write(values)
    tpl = os.path.join(chart, "templates", "case.yaml")
    with open(tpl, "wb") as f:
        f.write(text)
    return chart, tpl, os.path.join(chart, "values.yaml")


def check(args, helm, name):
    work = tempfile.mkdtemp(prefix="helm-diff-")
    try:
        chart, tpl, values = make_chart(work, args.cases, name)
        want = run_helm(helm, chart)
        got = run_ours(args.render, chart, tpl, values)
    finally:
        if not args.keep:
            shutil.rmtree(work)
    if want == got:
        return True
    print("FAIL %s" % name)
    print("  helm: %s %r" % want)
    print("  ours: %s %r" % got)
    return False


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--render", required=True)
    ap.add_argument("--get-helm", required=True)
    ap.add_argument("--cache", required=True)
    ap.add_argument("--cases", required=True)
    ap.add_argument("--keep", action="store_true")
    ap.add_argument("names", nargs="*")
    args = ap.parse_args()
    helm = get_helm(args.get_helm, args.cache)
    if not helm:
        print("reference helm unavailable: skipping")
        return 77
    names = args.names or sorted(f[:-4] for f in os.listdir(args.cases) if f.endswith(".tpl"))
    failed = [n for n in names if not check(args, helm, n)]
    print("%d cases, %d failed" % (len(names), len(failed)))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
