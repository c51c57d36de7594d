#!/usr/bin/env python3
"""Concurrency: two `recon apply` started at the same moment on the same
state. Exactly one proceeds (exit 0); the other fails at once (exit 1)
naming the lock holder by its pid; afterwards the state file parses, has
the same lineage as its .backup and a higher serial, holds every resource of
the configuration, the lock file is gone, and a plan -detailed-exitcode
exits 0. A stack of its own (a VPC and subnets behind -latency-ms) keeps the
apply long enough for the two to overlap whatever lands in the reference
stack. Full: 10 rounds; short: 3."""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time

import rellib
from rellib import rl

STACK = '''
resource "aws_vpc" "main" {
  cidr_block = "10.30.0.0/16"
}
resource "aws_subnet" "s" {
  count      = var.n
  vpc_id     = aws_vpc.main.id
  cidr_block = cidrsubnet(aws_vpc.main.cidr_block, 8, count.index)
}
variable "n" {
  default = 6
}
'''


def one(round_, n):
    fails = []
    d = tempfile.mkdtemp(prefix="recon-conc-")
    with open(os.path.join(d, "main.tf"), "w") as f:
        f.write(STACK)
    row = {"round": round_}
    with rl.Sim("-latency-ms", "100", "-seed", str(round_)) as sim:
        env = sim.env()
        if round_ % 2 == 1:  # odd rounds: on top of an existing state (an update)
            rl.recon(["apply", "-auto-approve", "-no-color"], d, env, check=0)
        args = [rl.RECON, "apply", "-auto-approve", "-no-color", "-var", "n=%d" % n]
        ps = [subprocess.Popen(args, cwd=d, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, stdin=subprocess.DEVNULL)
              for _ in range(2)]
        t0 = time.monotonic()
        res = [p.communicate(timeout=600) + (p.returncode, p.pid) for p in ps]
        row["wall"] = time.monotonic() - t0
        rcs = sorted(r[2] for r in res)
        row["rcs"] = "%d,%d" % tuple(rcs)
        if rcs != [0, 1]:
            fails.append("round %d: exit codes %s, want one 0 and one 1:\n%s" %
                         (round_, rcs, "\n".join(rellib.tail(r[1] or r[0], 600) for r in res)))
        else:
            win = next(r for r in res if r[2] == 0)
            lose = next(r for r in res if r[2] == 1)
            err = lose[1]
            row["loser_error"] = rellib.first_error(err)[:110]
            m = re.search(r"pid (\d+)", err)
            if not m or int(m.group(1)) != win[3]:
                fails.append("round %d: the refused apply does not name the holder (pid %d): %s" %
                             (round_, win[3], rellib.first_error(err)))
            if "Apply complete" in lose[0]:
                fails.append("round %d: the refused apply applied something" % round_)
        # the state afterwards
        path = os.path.join(d, "recon.tfstate")
        try:
            st = json.load(open(path))
        except (OSError, ValueError) as e:
            fails.append("round %d: the state does not parse: %s" % (round_, e))
            return row, fails
        row["serial"] = st.get("serial")
        bpath = path + ".backup"
        if os.path.exists(bpath):
            b = json.load(open(bpath))
            row["backup_serial"] = b.get("serial")
            if b.get("lineage") != st.get("lineage") or not (b.get("serial", 0) < st.get("serial", 0)):
                fails.append("round %d: state serial %s lineage %s vs backup serial %s lineage %s" %
                             (round_, st.get("serial"), st.get("lineage"), b.get("serial"),
                              b.get("lineage")))
        addrs = {r["address"] for r in st["resources"]}
        want = {"aws_vpc.main"} | {"aws_subnet.s[%d]" % i for i in range(n)}
        if addrs != want:
            fails.append("round %d: state holds %s, want %s" % (round_, sorted(addrs), sorted(want)))
        if os.path.exists(path + ".lock") and os.path.getsize(path + ".lock") > 0:
            fails.append("round %d: the lock file is left behind" % round_)
        rc, out, err = rl.recon(["plan", "-detailed-exitcode", "-no-color", "-var", "n=%d" % n],
                                d, env)
        row["plan_rc"] = rc
        if rc != 0:
            fails.append("round %d: plan after the race exited %d: %s" % (round_, rc,
                                                                        rellib.tail(err or out)))
        dups, orphans = rl.duplicates_and_orphans(sim, d)
        if dups or orphans:
            fails.append("round %d: duplicates %s orphans %s" % (round_, dups, orphans))
    return row, fails


def run(short=True, rounds=None):
    rounds = rounds or (3 if short else 10)
    rows, fails = [], []
    for i in range(rounds):
        r, f = one(i, 6 + (i % 2) * 2)
        rows.append(r)
        fails += f
    rellib.table("Concurrency: two applies at once (%d rounds)" % rounds,
                 ["round", "rcs", "wall", "serial", "backup_serial", "plan_rc", "loser_error"],
                 rows)
    if fails:
        raise AssertionError("\n".join(fails))
    return rows


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--full", action="store_true")
    a = ap.parse_args()
    try:
        run(short=not a.full)
    except AssertionError as e:
        print("FAIL concurrency:\n%s" % e)
        return 1
    print("ok concurrency")
    return 0


if __name__ == "__main__":
    sys.exit(main())
