"""Short version of the reliability suite's badinput part (tests/reliability/rel_badinput.py;
the full one runs in make reliability)."""
import os
import sys

sys.path.insert(0, os.path.join(os.environ.get("RECON_SOURCE_DIR", os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "..")), "tests", "reliability"))
import rel_badinput  # noqa: E402

if __name__ == "__main__":
    sys.exit(rel_badinput.main())
