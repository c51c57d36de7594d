#!/usr/bin/env python3
"""Leaks: one end-to-end apply (and plan, and destroy) of the reference stack
with recon under valgrind --leak-check=full (and/or an ASan+LeakSanitizer
build of recon), against a normal recon-sim. Passes when every run exits 0
and reports no definite or indirect leak and no invalid access.

  rel_leaks.py [--valgrind] [--asan-recon PATH]
The unit tests under ASan/LeakSanitizer are run by run.sh (ctest -L unit in
the ASan build), as make test does."""
import argparse
import os
import re
import subprocess
import sys
import tempfile
import time

import rellib
from rellib import rl


def valgrind_run(args, d, env):
    log = tempfile.mktemp(prefix="recon-vg-", suffix=".log")
    cmd = ["valgrind", "--leak-check=full", "--show-leak-kinds=definite,indirect",
           "--errors-for-leak-kinds=definite,indirect", "--error-exitcode=99",
           "--log-file=" + log, rl.RECON] + args
    t0 = time.monotonic()
    p = subprocess.run(cmd, cwd=d, env=env, capture_output=True, text=True, timeout=3600)
    text = open(log).read()
    m = re.search(r"ERROR SUMMARY: (\d+) errors", text)
    lost = re.search(r"definitely lost: ([\d,]+) bytes in ([\d,]+) blocks", text)
    ind = re.search(r"indirectly lost: ([\d,]+) bytes", text)
    return {"tool": "valgrind", "cmd": args[0], "rc": p.returncode, "wall": time.monotonic() - t0,
            "errors": int(m.group(1)) if m else None,
            "definitely_lost": lost.group(1) if lost else "0",
            "indirectly_lost": ind.group(1) if ind else "0", "log": log,
            "stderr": p.stderr}


def asan_run(recon, args, d, env):
    env = dict(env, ASAN_OPTIONS="detect_leaks=1:halt_on_error=1:exitcode=99",
               UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1")
    t0 = time.monotonic()
    p = subprocess.run([recon] + args, cwd=d, env=env, capture_output=True, text=True,
                       timeout=3600)
    leaks = re.findall(r"SUMMARY: (?:Address|Leak|UndefinedBehavior)Sanitizer: .*", p.stderr)
    return {"tool": "asan", "cmd": args[0], "rc": p.returncode, "wall": time.monotonic() - t0,
            "errors": len(leaks), "definitely_lost": "; ".join(leaks)[:120] or "0",
            "indirectly_lost": "-", "log": "", "stderr": p.stderr}


def run(valgrind=True, asan_recon=None, fast=True):
    rows, fails = [], []
    tools = []
    if valgrind:
        tools.append(("valgrind", None))
    if asan_recon:
        tools.append(("asan", asan_recon))
    for tool, path in tools:
        d = rellib.reference_copy()
        with rl.Sim(*rellib.delay_flags(fast)) as sim:
            env = sim.env()
            for args in (["apply", "-auto-approve", "-no-color"],
                         ["plan", "-detailed-exitcode", "-no-color"],
                         ["destroy", "-auto-approve", "-no-color"]):
                r = valgrind_run(args, d, env) if tool == "valgrind" else \
                    asan_run(path, args, d, env)
                rows.append(r)
                if r["rc"] != 0 or r["errors"]:
                    fails.append("%s recon %s: exit %d, %s errors, definitely lost %s, "
                                 "indirectly lost %s (log %s)\n%s" %
                                 (tool, args[0], r["rc"], r["errors"], r["definitely_lost"],
                                  r["indirectly_lost"], r["log"], rellib.tail(r["stderr"], 1500)))
    rellib.table("Leaks: the reference stack end to end", ["tool", "cmd", "rc", "wall", "errors",
                                                            "definitely_lost", "indirectly_lost"],
                 rows)
    if fails:
        raise AssertionError("\n".join(fails))
    return rows


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--no-valgrind", action="store_true")
    ap.add_argument("--asan-recon")
    ap.add_argument("--full", action="store_true", help="default provisioning delays")
    a = ap.parse_args()
    try:
        run(valgrind=not a.no_valgrind, asan_recon=a.asan_recon, fast=not a.full)
    except AssertionError as e:
        print("FAIL leaks:\n%s" % e)
        return 1
    print("ok leaks")
    return 0


if __name__ == "__main__":
    sys.exit(main())
