"""Helpers for recon's end-to-end tests: start a recon-sim on a free loopback
port, run recon against it in a scratch copy of a stack, read the simulator's
state. Used by test_*.py here, the demo and the reliability suite."""
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request

SRC = os.environ.get("RECON_SOURCE_DIR", os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..")))
BUILD = os.environ.get("RECON_BUILD_DIR", os.path.join(SRC, "build"))
RECON = os.environ.get("RECON", os.path.join(BUILD, "recon"))
RECON_SIM = os.environ.get("RECON_SIM", os.path.join(BUILD, "recon-sim"))


class Sim:
    """A recon-sim process; use as a context manager."""

    def __init__(self, *flags):
        self.flags = list(flags)
        self.proc = None
        self.url = None

    def __enter__(self):
        self.proc = subprocess.Popen([RECON_SIM, "-listen", "127.0.0.1:0"] + self.flags,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline()
        if "http://" not in line:
            err = self.proc.stderr.read()
            raise RuntimeError("recon-sim did not start: %r %s" % (line, err))
        self.url = line[line.index("http://"):].strip()
        return self

    def __exit__(self, *exc):
        self.stop()

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def get(self, path):
        with urllib.request.urlopen(self.url + path, timeout=30) as r:
            return json.loads(r.read().decode())

    def state(self):
        return self.get("/_sim/state")

    def calls(self):
        return self.get("/_sim/calls")

    def env(self):
        e = dict(os.environ)
        for k in list(e):
            if k.startswith("AWS_") or k.startswith("TF_VAR_") or k.startswith("RECON_VAR_"):
                del e[k]
        e.update({
            "AWS_ENDPOINT_URL": self.url,
            "AWS_ACCESS_KEY_ID": "test",
            "AWS_SECRET_ACCESS_KEY": "testsecret",
            "AWS_REGION": "us-east-1",
            "AWS_EC2_METADATA_DISABLED": "true",
            "AWS_CONFIG_FILE": "/dev/null",
            "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
            "NO_COLOR": "1",
        })
        return e


def tagged_resources(state, stack=None):
    """Every live resource in a /_sim/state document that carries recon tags:
    a list of (service, kind, id, tags)."""
    out = []

    def tags_of(r):
        t = r.get("tags") or r.get("Tags") or r.get("tagSet") or {}
        if isinstance(t, list):
            d = {}
            for x in t:
                k = x.get("Key", x.get("key"))
                v = x.get("Value", x.get("value"))
                d[k] = v
            return d
        return t if isinstance(t, dict) else {}

    def walk(service, kind, node):
        if isinstance(node, list):
            for r in node:
                if isinstance(r, dict):
                    t = tags_of(r)
                    if "recon:address" in t and (stack is None or t.get("recon:stack") == stack):
                        out.append((service, kind, r.get("id") or r.get("Id") or r.get("arn") or "?", t))
        elif isinstance(node, dict):
            for k, v in node.items():
                walk(service, k, v)

    for service, body in state.items():
        walk(service, service, body)
    return out


def live_alive(entry):
    return True


def copy_stack(path):
    """Copies a stack directory (and the modules it uses, kept at ../../modules
    relative to examples/<x>) into a scratch tree, returns the new stack dir."""
    tmp = tempfile.mkdtemp(prefix="recon-e2e-")
    shutil.copytree(os.path.join(SRC, "modules"), os.path.join(tmp, "modules"))
    dst = os.path.join(tmp, "examples", os.path.basename(path.rstrip("/")))
    shutil.copytree(path, dst, ignore=shutil.ignore_patterns("*.tfstate*", ".recon*"))
    return dst


def recon(args, cwd, env, check=None, timeout=600):
    """Runs recon; returns (rc, stdout, stderr). check: expected exit code."""
    p = subprocess.run([RECON] + list(args), cwd=cwd, env=env, capture_output=True, text=True,
                       timeout=timeout)
    if check is not None and p.returncode != check:
        sys.stderr.write("recon %s exited %d (expected %d)\n--- stdout\n%s\n--- stderr\n%s\n" %
                         (" ".join(args), p.returncode, check, p.stdout, p.stderr))
        raise AssertionError("recon %s: exit %d" % (args[0], p.returncode))
    return p.returncode, p.stdout, p.stderr


def state_file(cwd):
    with open(os.path.join(cwd, "recon.tfstate")) as f:
        return json.load(f)


def duplicates_and_orphans(sim, cwd):
    """(duplicates, orphans) of this stack: two live resources with the same
    recon:address, or a live resource with the stack's tag not in state."""
    st = state_file(cwd)
    stack = st["lineage"]
    live = tagged_resources(sim.state(), stack)
    seen = {}
    dups = []
    for service, kind, rid, t in live:
        addr = t["recon:address"]
        if addr in seen:
            dups.append((addr, seen[addr], rid))
        seen[addr] = rid
    ids = {r.get("id") for r in st["resources"]}
    orphans = [(s, k, rid) for s, k, rid, t in live if rid not in ids]
    return dups, orphans
