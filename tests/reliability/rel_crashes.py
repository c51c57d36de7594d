#!/usr/bin/env python3
"""Crashes: seeded trials of kill -9 of recon at a random moment of an apply
(and of a destroy), then a normal apply (or destroy). In every trial:
  - the follow-up run exits 0 without help: a lock left by the killed recon
    (a dead local process) is taken over by the engine; if the engine refuses
    it, the trial fails and the harness clears it with `recon force-unlock
    -force ID` to go on, so one bug does not hide the others
  - after the apply: plan -detailed-exitcode exits 0, 0 duplicates and 0
    orphans in recon-sim's state (reconlib.duplicates_and_orphans)
  - after the destroy: nothing of the stack is left, 0 orphans
The kill moment of trial i is drawn from Random(seed i) uniformly over the
duration of an uninterrupted run of the same kind measured first (a
calibration run); the report shows where the kills landed (tenths of that
duration, and what recon was doing: the last event line before the kill).

Full: 50 apply trials and 50 destroy trials, default delays. Short (ctest):
10 apply trials and 3 destroy trials, fast delays."""
import argparse
import random
import re
import sys
import time

import rellib
from rellib import rl


def sim_args(fast, seed):
    return ["-seed", str(seed)] + rellib.delay_flags(fast)


def calibrate(fast):
    d = rellib.reference_copy()
    with rl.Sim(*sim_args(fast, 999)) as sim:
        env = sim.env()
        t0 = time.monotonic()
        rl.recon(["apply", "-auto-approve", "-no-color"], d, env, check=0, timeout=1200)
        ta = time.monotonic() - t0
        t0 = time.monotonic()
        rl.recon(["destroy", "-auto-approve", "-no-color"], d, env, check=0, timeout=1200)
        td = time.monotonic() - t0
    return ta, td


def in_flight(w, t):
    """What recon was doing at t: the actions started and not finished, or
    the phase (planning, between actions)."""
    started, done = [], set()
    for s, l in w.lines:
        if s > t:
            break
        m = re.match(r"^(.+?): (Creating|Modifying|Destroying)\.\.\.$", l)
        if m:
            started.append(m.group(1))
        m = re.match(r"^(.+?): (Creation|Modifications|Destruction) complete", l)
        if m:
            done.add(m.group(1))
    run = [a for a in started if a not in done]
    if run:
        return "in flight: " + ", ".join(run)
    if not started:
        return "planning (no action started)"
    return "between actions (%d done)" % len(done)


def follow_up(args, d, env, fails, label):
    """Runs recon after a kill; returns (rc, out, err, lock_note)."""
    rc, out, err = rl.recon(args, d, env, timeout=1200)
    note = ""
    if "took over a stale state lock" in (err + out).lower():
        note = "lock taken over"
    if rc != 0 and "lock" in err.lower():
        fails.append("%s: the run after kill -9 refused the lock left behind: %s" %
                     (label, rellib.first_error(err)))
        if rl.force_unlock(d, env) == 0:
            note = "force-unlock needed"
            rc, out, err = rl.recon(args, d, env, timeout=1200)
    return rc, out, err, note


def trial(kind, i, seed, fast, t_full):
    rnd = random.Random(seed)
    moment = rnd.uniform(0.0, t_full)
    label = "%s trial %d (seed %d, kill at %.2fs)" % (kind, i, seed, moment)
    fails = []
    row = {"trial": i, "seed": seed, "kill_s": moment, "frac": moment / t_full}
    d = rellib.reference_copy()
    with rl.Sim(*sim_args(fast, seed)) as sim:
        env = sim.env()
        if kind == "destroy":
            rl.recon(["apply", "-auto-approve", "-no-color"], d, env, check=0, timeout=1200)
        args = ["apply" if kind == "apply" else "destroy", "-auto-approve", "-no-color"]
        w = rl.Watched(args, d, env)
        while time.monotonic() - w.t0 < moment and w.proc.poll() is None:
            time.sleep(0.005)
        killed = w.proc.poll() is None
        rc = w.kill()
        row["killed"] = killed
        row["during"] = in_flight(w, moment) if killed else "(finished first, rc %d)" % rc
        row["lock_left"] = rl.lock_file(d) is not None
        rc, out, err, row["lock"] = follow_up(args, d, env, fails, label)
        row["rerun_rc"] = rc
        if rc != 0:
            fails.append("%s: %s after the kill exited %d: %s" % (label, args[0], rc,
                                                                   rellib.tail(err or out)))
            return row, fails
        dups, orphans = rl.duplicates_and_orphans(sim, d)
        row["dups"], row["orphans"] = len(dups), len(orphans)
        if dups or orphans:
            fails.append("%s: duplicates %s orphans %s" % (label, dups, orphans))
        if kind == "apply":
            rc, out, err = rl.recon(["plan", "-detailed-exitcode", "-no-color"], d, env)
            row["plan_rc"] = rc
            if rc != 0:
                fails.append("%s: plan -detailed-exitcode after the re-apply exited %d: %s" %
                             (label, rc, rellib.tail(out if rc == 2 else err)))
        else:
            left = rl.stack_leftovers(sim, rl.state_file(d)["lineage"])
            row["left"] = len(left)
            if left:
                fails.append("%s: destroy after the kill left %s" % (label, left))
    return row, fails


def distribution(rows):
    hist = [0] * 10
    for r in rows:
        hist[min(9, int(r["frac"] * 10))] += 1
    return hist


def run(short=True, apply_trials=None, destroy_trials=None, base_seed=1000):
    apply_trials = apply_trials if apply_trials is not None else (10 if short else 50)
    destroy_trials = destroy_trials if destroy_trials is not None else (3 if short else 50)
    t_apply, t_destroy = calibrate(short)
    print("  calibration: apply %.2fs, destroy %.2fs" % (t_apply, t_destroy), flush=True)
    fails, out = [], {}
    for kind, n, t_full in (("apply", apply_trials, t_apply), ("destroy", destroy_trials, t_destroy)):
        rows = []
        for i in range(n):
            seed = base_seed + (0 if kind == "apply" else 500) + i
            r, f = trial(kind, i, seed, short, t_full)
            rows.append(r)
            fails += f
            print("  %s %d: kill %.2fs (%.0f%%) during %s -> rerun %s %s" %
                  (kind, i, r["kill_s"], 100 * r["frac"], r.get("during"), r.get("rerun_rc"),
                   "FAIL" if f else "ok"), flush=True)
        out[kind] = rows
        if rows:
            rellib.table("Crashes: kill -9 during %s (%d trials, uninterrupted run %.2fs)" %
                         (kind, n, t_full),
                         ["trial", "seed", "kill_s", "killed", "lock_left", "lock", "rerun_rc",
                          "plan_rc", "dups", "orphans", "left", "during"], rows)
            print("  kill moments by tenth of the run: %s" % distribution(rows))
    if fails:
        raise AssertionError("\n".join(fails))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--full", action="store_true")
    ap.add_argument("--apply-trials", type=int)
    ap.add_argument("--destroy-trials", type=int)
    a = ap.parse_args()
    try:
        run(short=not a.full, apply_trials=a.apply_trials, destroy_trials=a.destroy_trials)
    except AssertionError as e:
        print("FAIL crashes:\n%s" % e)
        return 1
    print("ok crashes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
