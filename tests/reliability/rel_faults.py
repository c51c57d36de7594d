#!/usr/bin/env python3
"""Faults: the reference stack applied and destroyed while recon-sim
throttles, fails, drops and hides fresh resources. Every seed must converge:
apply exits 0, plan -detailed-exitcode right after exits 0, destroy exits 0
and leaves nothing of the stack (no live object with its recon:stack tag),
with no duplicate or orphan after the apply.

Full: -throttle-rate 0.3 -error-rate 0.1 -drop-rate 0.05
-consistency-delay-ms 1000, 10 seeds, default provisioning delays.
Short (ctest): issue 5's rates -throttle-rate 0.3 -error-rate 0.05
-consistency-delay-ms 500, 2 seeds, fast provisioning delays."""
import argparse
import sys
import time

import rellib
from rellib import rl

FULL = ["-throttle-rate", "0.3", "-error-rate", "0.1", "-drop-rate", "0.05",
        "-consistency-delay-ms", "1000"]
SHORT = ["-throttle-rate", "0.3", "-error-rate", "0.05", "-consistency-delay-ms", "500"]


def one(seed, flags, fast):
    row = {"seed": seed}
    fails = []
    d = rellib.reference_copy()
    with rl.Sim(*(flags + ["-seed", str(seed)] + rellib.delay_flags(fast))) as sim:
        env = sim.env()
        for step, args in (("apply", ["apply", "-auto-approve", "-no-color"]),
                           ("plan", ["plan", "-detailed-exitcode", "-no-color"]),
                           ("destroy", ["destroy", "-auto-approve", "-no-color"])):
            c0 = sim.calls()
            t0 = time.monotonic()
            rc, out, err = rl.recon(args, d, env, timeout=1200)
            dt = time.monotonic() - t0
            total, refused = rellib.calls_summary(rl.calls_delta(c0, sim.calls()))
            row[step + "_rc"] = rc
            row[step + "_s"] = dt
            row[step + "_calls"] = total
            row[step + "_retried"] = refused
            if rc != 0:
                fails.append("seed %d: %s exited %d: %s" % (seed, step, rc,
                                                             rellib.tail(err or out)))
                if step == "apply":
                    break
            if step == "apply" and rc == 0:
                dups, orphans = rl.duplicates_and_orphans(sim, d)
                row["dups"], row["orphans"] = len(dups), len(orphans)
                if dups or orphans:
                    fails.append("seed %d: after apply, duplicates %s orphans %s" %
                                 (seed, dups, orphans))
        stack = rl.state_file(d)["lineage"]
        left = rl.stack_leftovers(sim, stack)
        row["left"] = len(left)
        if row.get("destroy_rc") == 0 and left:
            fails.append("seed %d: destroy left %s" % (seed, left))
    return row, fails


def run(short=True, seeds=None):
    seeds = seeds or ([1, 2] if short else list(range(1, 11)))
    flags = SHORT if short else FULL
    rows, fails = [], []
    for s in seeds:
        r, f = one(s, flags, short)
        rows.append(r)
        fails += f
        print("  faults seed %d: %s" % (s, r), flush=True)
    rellib.table("Faults (%s): %s" % ("short" if short else "full", " ".join(flags)),
                 ["seed", "apply_rc", "apply_s", "apply_calls", "apply_retried", "plan_rc",
                  "dups", "orphans", "destroy_rc", "destroy_s", "destroy_calls",
                  "destroy_retried", "left"], rows)
    if fails:
        raise AssertionError("\n".join(fails))
    return rows


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--full", action="store_true")
    ap.add_argument("--seeds", help="comma-separated")
    a = ap.parse_args()
    seeds = [int(x) for x in a.seeds.split(",")] if a.seeds else None
    try:
        run(short=not a.full, seeds=seeds)
    except AssertionError as e:
        print("FAIL faults:\n%s" % e)
        return 1
    print("ok faults")
    return 0


if __name__ == "__main__":
    sys.exit(main())
