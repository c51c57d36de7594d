"""Shared pieces of the reliability suite (tests/reliability) and its short
versions registered in ctest (tests/integration/test_rel_*.py): where the
binaries are, the reference stack, simulator flags, result tables.

Every part is a module with run(short, seeds=None, ...) that returns a list
of result rows (dicts) and raises AssertionError naming every failure."""
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.environ.get("RECON_SOURCE_DIR", os.path.dirname(os.path.dirname(HERE)))
sys.path.insert(0, os.path.join(SRC, "tests", "integration"))
import reconlib as rl  # noqa: E402

# RECON_REL_STACK overrides the stack (a directory of .tf files) for trying
# the suite on something else
REFERENCE = os.environ.get("RECON_REL_STACK") or os.path.join(SRC, "examples", "ecs-fargate")

# Faster provisioning for the short (ctest) versions: the same state machines,
# shorter waits. Only flags this recon-sim knows are passed.
FAST_DELAYS = {"nat-delay-ms": 300, "nat-delete-ms": 200, "alb-delay-ms": 300,
               "target-health-ms": 300, "target-drain-ms": 200, "task-start-ms": 300,
               "task-stop-ms": 200}

_known = None


def sim_flags_known():
    global _known
    if _known is None:
        out = subprocess.run([rl.RECON_SIM, "-help"], capture_output=True, text=True).stdout
        _known = set(re.findall(r"^\s*-([a-z0-9-]+)", out, re.M))
    return _known


def delay_flags(fast):
    if not fast:
        return []
    known = sim_flags_known()
    out = []
    for k, v in FAST_DELAYS.items():
        if k in known:
            out += ["-" + k, str(v)]
    return out


def reference_copy():
    return rl.copy_stack(REFERENCE)


def calls_summary(calls):
    """(total, refused) of a /_sim/calls delta: refused = throttled + 5xx +
    dropped, each of which recon had to retry."""
    refused = calls.get("_throttled", 0) + calls.get("_errors", 0) + calls.get("_dropped", 0)
    return calls.get("_total", 0), refused


def table(title, cols, rows):
    print("\n" + title)
    cells = [[str(c) for c in cols]] + [[fmt(r.get(c)) for c in cols] for r in rows]
    w = [max(len(r[i]) for r in cells) for i in range(len(cols))]
    for r in cells:
        print("  " + "  ".join(r[i].rjust(w[i]) for i in range(len(cols))))
    sys.stdout.flush()


def fmt(x):
    if x is None:
        return "-"
    if isinstance(x, float):
        return "%.2f" % x
    return str(x)


def tail(text, n=1200):
    text = (text or "").strip()
    return text[-n:]


def first_error(text):
    for line in (text or "").splitlines():
        if line.startswith("Error:"):
            return line
    return tail(text, 300)
