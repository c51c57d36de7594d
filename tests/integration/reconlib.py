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


def decode_address(enc):
    """The resource address a recon:address tag encodes (the inverse of
    resources/rescommon.c rc_res_address_encode): "/N" is "[N]", "/=key" is
    '["key"]', "+XX" a byte in hex. None when the tag is malformed."""
    out = bytearray()
    i, n = 0, len(enc)

    def byte(j):
        if enc[j] != "+":
            return enc[j].encode(), j + 1
        h = enc[j + 1:j + 3]
        if len(h) != 2 or any(c not in "0123456789abcdefABCDEF" for c in h):
            raise ValueError(enc)
        return bytes([int(h, 16)]), j + 3

    try:
        while i < n:
            if enc[i] != "/":
                b, i = byte(i)
                out += b
                continue
            i += 1
            if i < n and enc[i] == "=":
                i += 1
                out += b'["'
                while i < n and enc[i] not in "./":
                    b, i = byte(i)
                    if b in (b'"', b"\\"):
                        out += b"\\"
                    out += b
                out += b'"]'
            else:
                j = i
                while i < n and enc[i].isdigit():
                    i += 1
                if i == j:
                    return None
                out += b"[" + enc[j:i].encode() + b"]"
        return out.decode("utf-8", "replace")
    except (ValueError, IndexError):
        return None


# status/state values of objects the simulator keeps after they are gone
DEAD_STATES = {"deleted", "inactive"}


def live_alive(entry):
    """False for a simulator object that is gone but still listed (a deleted
    NAT gateway, an INACTIVE service or task definition revision). entry: the
    object's dict, or a (service, kind, id, tags, obj) tuple."""
    obj = entry[4] if isinstance(entry, tuple) and len(entry) > 4 else entry
    if not isinstance(obj, dict):
        return True
    for k in ("state", "status", "State", "Status", "lifecycle"):
        v = obj.get(k)
        if isinstance(v, dict):
            v = v.get("name") or v.get("Name") or v.get("code") or v.get("Code")
        if isinstance(v, str) and v.lower() in DEAD_STATES:
            return False
    return True


def _tags_of(r):
    t = r.get("tags") or r.get("Tags") or r.get("tagSet") or {}
    if isinstance(t, list):
        d = {}
        for x in t:
            if isinstance(x, dict):
                d[x.get("Key", x.get("key"))] = x.get("Value", x.get("value"))
        return d
    return t if isinstance(t, dict) else {}


def live_objects(state, stack=None, alive_only=True):
    """Every object of a /_sim/state document carrying a recon:address tag
    (of `stack` when given), alive ones only unless alive_only=False: a list
    of dicts {service, kind, id, address (decoded), tag, obj}."""
    out = []

    def walk(service, kind, node):
        if isinstance(node, list):
            for r in node:
                if not isinstance(r, dict):
                    continue
                t = _tags_of(r)
                if "recon:address" in t and (stack is None or t.get("recon:stack") == stack):
                    if alive_only and not live_alive(r):
                        continue
                    out.append({"service": service, "kind": kind,
                                "id": r.get("id") or r.get("arn") or r.get("name") or "?",
                                "address": decode_address(t["recon:address"]),
                                "tag": t["recon:address"], "obj": r})
        elif isinstance(node, dict):
            for k, v in node.items():
                walk(service, k, v)

    for service, body in state.items():
        walk(service, service, body)
    return out


def _rollback_kind(kind):
    # ECS keeps older task definition revisions ACTIVE for rollback: several
    # live revisions of one address are not duplicates
    return "task_def" in kind.replace("-", "_").lower()


def copy_stack(path):
    """Copies a stack directory (and the modules it uses, kept at ../../modules
    relative to examples/<x>) into a scratch tree, returns the new stack dir."""
    tmp = tempfile.mkdtemp(prefix="recon-e2e-")
    shutil.copytree(os.path.join(SRC, "modules"), os.path.join(tmp, "modules"))
    dst = os.path.join(tmp, "examples", os.path.basename(path.rstrip("/")))
    shutil.copytree(path, dst, ignore=shutil.ignore_patterns("*.tfstate*", ".recon*"))
    return dst


def recon(args, cwd, env, check=None, timeout=600):
    """Runs recon; returns (rc, stdout, stderr). check: expected exit code.
    RECON_TEST_VERBOSE=1 echoes each command and its exit code on stderr."""
    p = subprocess.run([RECON] + list(args), cwd=cwd, env=env, capture_output=True,
                       encoding="utf-8", errors="replace", timeout=timeout)
    if os.environ.get("RECON_TEST_VERBOSE"):
        sys.stderr.write("+ recon %s -> %d\n" % (" ".join(args), p.returncode))
    if check is not None and p.returncode != check:
        sys.stderr.write("recon %s exited %d (expected %d)\n--- stdout\n%s\n--- stderr\n%s\n" %
                         (" ".join(args), p.returncode, check, p.stdout, p.stderr))
        raise AssertionError("recon %s: exit %d" % (args[0], p.returncode))
    return p.returncode, p.stdout, p.stderr


def state_file(cwd):
    with open(os.path.join(cwd, "recon.tfstate")) as f:
        return json.load(f)


def duplicates_and_orphans(sim, cwd, stack=None, sim_state=None):
    """(duplicates, orphans) of this stack in the simulator: two live objects
    carrying the same recon:address (task definition revisions excepted), or
    a live object with the stack's tag whose address is not in the state.
    Deleted / INACTIVE objects are ignored. stack defaults to the state's
    lineage; sim_state to a fresh GET /_sim/state. duplicates: [(address,
    id1, id2)]; orphans: [(service, kind, id, address)]."""
    st = state_file(cwd) if os.path.exists(os.path.join(cwd, "recon.tfstate")) else \
        {"resources": [], "lineage": stack}
    stack = stack or st["lineage"]
    live = live_objects(sim_state if sim_state is not None else sim.state(), stack)
    seen = {}
    dups = []
    for o in live:
        addr = o["address"] or o["tag"]
        if addr in seen and not _rollback_kind(o["kind"]):
            dups.append((addr, seen[addr], o["id"]))
        seen.setdefault(addr, o["id"])
    addrs = {r.get("address") for r in st.get("resources", [])}
    orphans = [(o["service"], o["kind"], o["id"], o["address"]) for o in live
               if (o["address"] or o["tag"]) not in addrs]
    return dups, orphans


def stack_leftovers(sim, stack, sim_state=None):
    """Live objects of `stack` still in the simulator (after a destroy this
    must be empty): [(service, kind, id, address)]."""
    live = live_objects(sim_state if sim_state is not None else sim.state(), stack)
    return [(o["service"], o["kind"], o["id"], o["address"]) for o in live]


def calls_delta(before, after):
    """Per-key difference of two GET /_sim/calls documents (keys that grew)."""
    d = {}
    for k, v in after.items():
        n = v - before.get(k, 0)
        if n:
            d[k] = n
    return d


GNU_TIME = "/usr/bin/time"


def run_measured(args, cwd, env, timeout=3600, stdin=None):
    """Runs recon; returns a dict: rc, out, err, wall (s), cpu (user+sys s of
    recon alone), maxrss_kb (recon's peak RSS). recon runs under GNU time when
    it is installed: a child forked from python inherits python's RSS until
    exec and the kernel keeps that in the child's ru_maxrss, so wait4's figure
    would be python's size for a small recon. Without GNU time, wait4's. cpu
    is wait4's (GNU time's own share is negligible)."""
    t0 = time.monotonic()
    with tempfile.TemporaryFile() as fo, tempfile.TemporaryFile() as fe, \
            tempfile.NamedTemporaryFile(mode="r", suffix=".time") as ft:
        cmd = [RECON] + list(args)
        timed = os.access(GNU_TIME, os.X_OK)
        if timed:
            cmd = [GNU_TIME, "-q", "-f", "%M %U %S", "-o", ft.name] + cmd
        p = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=fo, stderr=fe,
                             stdin=stdin if stdin is not None else subprocess.DEVNULL,
                             start_new_session=True)
        deadline = t0 + timeout
        while True:
            pid, status, ru = os.wait4(p.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:  # recon and GNU time alike
                os.killpg(p.pid, signal.SIGKILL)
                pid, status, ru = os.wait4(p.pid, 0)
                break
            time.sleep(0.002)
        wall = time.monotonic() - t0
        p.returncode = os.waitstatus_to_exitcode(status)
        fo.seek(0)
        fe.seek(0)
        r = {"rc": p.returncode, "out": fo.read().decode(errors="replace"),
             "err": fe.read().decode(errors="replace"), "wall": wall,
             "cpu": ru.ru_utime + ru.ru_stime, "maxrss_kb": ru.ru_maxrss}
        if timed:
            try:
                last = [l for l in ft.read().splitlines() if l.strip()][-1].split()
                r["maxrss_kb"] = int(last[0])  # cpu: wait4's (GNU time's is in 10 ms steps)
            except (IndexError, ValueError):
                pass
            if r["rc"] > 128 and "Command terminated by signal" in r["err"]:
                r["rc"] = -(r["rc"] - 128)
        return r


class Watched:
    """recon started in the background with every output line time-stamped
    (time.monotonic() relative to the start): .lines is a list of (t, line).
    kill() sends SIGKILL; wait() returns the exit code."""

    def __init__(self, args, cwd, env):
        import threading
        self.t0 = time.monotonic()
        self.lines = []
        self.proc = subprocess.Popen([RECON] + list(args), cwd=cwd, env=env,
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL, encoding="utf-8",
                                     errors="replace", bufsize=1)
        self._th = threading.Thread(target=self._read, daemon=True)
        self._th.start()

    def _read(self):
        for line in self.proc.stdout:
            self.lines.append((time.monotonic() - self.t0, line.rstrip("\n")))

    def kill(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
        return self.wait()

    def wait(self, timeout=None):
        rc = self.proc.wait(timeout=timeout)
        self._th.join(timeout=10)
        self.wall = time.monotonic() - self.t0
        return rc

    def text(self):
        return "\n".join(l for _, l in self.lines)


def lock_file(cwd):
    """The lock info of recon.tfstate.lock (a dict), or None when unlocked."""
    p = os.path.join(cwd, "recon.tfstate.lock")
    try:
        with open(p) as f:
            t = f.read()
        return json.loads(t) if t.strip() else None
    except (OSError, ValueError):
        return None


def force_unlock(cwd, env):
    """Clears a lock left behind (e.g. by a kill -9) with recon force-unlock
    -force <ID>; returns the exit code, or None when there was no lock."""
    info = lock_file(cwd)
    if not info or not info.get("ID"):
        return None
    rc, _, _ = recon(["force-unlock", "-force", info["ID"]], cwd, env)
    return rc
