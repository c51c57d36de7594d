"""The reconciler end to end on a small network stack against recon-sim:
apply from empty, no changes after, in-place update and replacement with
their plans, saved plans and staleness, drift, -target, the lock between two
runs, kill -9 at random moments of an apply followed by a normal apply (no
duplicate, no orphan), destroy to empty."""
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(__file__))
import reconlib as rl

STACK = '''
variable "n" {
  default = 4
}
variable "name" {
  default = "basics"
}
resource "aws_vpc" "main" {
  cidr_block           = "10.20.0.0/16"
  enable_dns_hostnames = true
  tags = {
    Name = var.name
  }
}
resource "aws_subnet" "s" {
  count             = var.n
  vpc_id            = aws_vpc.main.id
  cidr_block        = cidrsubnet(aws_vpc.main.cidr_block, 8, count.index)
  availability_zone = count.index % 2 == 0 ? "us-east-1a" : "us-east-1b"
  tags = {
    Name = "${var.name}-${count.index}"
  }
}
output "subnet_ids" {
  value = aws_subnet.s[*].id
}
'''


def plan_json(cwd, env, *args):
    rc, out, err = rl.recon(["plan", "-json", "-detailed-exitcode"] + list(args), cwd, env)
    assert rc in (0, 2), err
    return rc, json.loads(out)


def actions(doc):
    return {c["address"]: c["change"]["actions"] for c in doc["resource_changes"]
            if c["change"]["actions"] != ["no-op"]}


def live_counts(sim, stack):
    live = rl.tagged_resources(sim.state(), stack)
    return len(live)


def main():
    d = tempfile.mkdtemp(prefix="recon-basics-")
    with open(os.path.join(d, "main.tf"), "w") as f:
        f.write(STACK)
    with rl.Sim() as sim:
        env = sim.env()
        rl.recon(["apply", "-auto-approve"], d, env, check=0)
        rc, doc = plan_json(d, env)
        assert rc == 0 and not actions(doc), actions(doc)
        st = rl.state_file(d)
        stack = st["lineage"]
        assert live_counts(sim, stack) == 5
        # an in-place update (tags) and a replacement (cidr) with their plans
        rc, doc = plan_json(d, env, "-var", "name=renamed")
        a = actions(doc)
        assert a["aws_vpc.main"] == ["update"], a
        assert all(a["aws_subnet.s[%d]" % i] == ["update"] for i in range(4)), a
        rl.recon(["apply", "-auto-approve", "-var", "name=renamed"], d, env, check=0)
        rc, doc = plan_json(d, env, "-var", "name=renamed")
        assert rc == 0, actions(doc)
        # fewer subnets: the extra ones are destroyed with the count reason
        rc, doc = plan_json(d, env, "-var", "name=renamed", "-var", "n=2")
        a = actions(doc)
        assert a == {"aws_subnet.s[2]": ["delete"], "aws_subnet.s[3]": ["delete"]}, a
        reasons = {c["address"]: c.get("action_reason") for c in doc["resource_changes"]}
        assert reasons["aws_subnet.s[3]"] == "delete_because_count_index", reasons
        # a saved plan applies exactly, and refuses once the state moved on
        plan_file = os.path.join(d, "p.bin")
        rl.recon(["plan", "-var", "name=renamed", "-var", "n=2", "-out", plan_file], d, env, check=0)
        rl.recon(["apply", plan_file], d, env, check=0)
        assert live_counts(sim, stack) == 3
        rl.recon(["plan", "-var", "name=renamed", "-out", plan_file], d, env, check=0)
        rl.recon(["apply", "-auto-approve", "-var", "name=renamed", "-var", "n=3"], d, env, check=0)
        rc, out, err = rl.recon(["apply", plan_file], d, env)
        assert rc == 1 and "stale" in err, (rc, err)
        # drift: a tag changed outside recon shows as drift and is put back
        vpc_id = [r for r in rl.state_file(d)["resources"] if r["address"] == "aws_vpc.main"][0]["id"]
        rl.recon(["debug", "aws", "ec2", "CreateTags", "ResourceId.1=" + vpc_id, "Tag.1.Key=Name",
                  "Tag.1.Value=hand-edited"], d, env, check=0)
        rc, doc = plan_json(d, env, "-var", "name=renamed", "-var", "n=3")
        assert rc == 2 and [x["address"] for x in doc["resource_drift"]] == ["aws_vpc.main"], doc["resource_drift"]
        assert actions(doc) == {"aws_vpc.main": ["update"]}, actions(doc)
        # -target pulls in only what the target needs
        rc, doc = plan_json(d, env, "-var", "name=other", "-var", "n=3", "-target", "aws_subnet.s[0]")
        a = actions(doc)
        assert set(a) == {"aws_subnet.s[0]", "aws_vpc.main"}, a
        rl.recon(["apply", "-auto-approve", "-var", "name=renamed", "-var", "n=3"], d, env, check=0)

        # two applies at once: one proceeds, the other names the lock holder
        procs = [subprocess.Popen([rl.RECON, "apply", "-auto-approve", "-var", "name=lock%d" % i,
                                   "-var", "n=3"], cwd=d, env=env, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True) for i in range(2)]
        res = [p.communicate(timeout=120) + (p.returncode,) for p in procs]
        codes = sorted(r[2] for r in res)
        assert codes == [0, 1], res
        loser = [r for r in res if r[2] == 1][0]
        assert "pid" in loser[1] and "lock" in loser[1].lower(), loser[1]
        json.loads(open(os.path.join(d, "recon.tfstate")).read())

        # kill -9 at random moments of an apply, then a normal apply converges
        rng = random.Random(7)
        trials = int(os.environ.get("RECON_CRASH_TRIALS", "10"))
        for t in range(trials):
            rl.recon(["destroy", "-auto-approve", "-var", "n=3"], d, env, check=0)
            p = subprocess.Popen([rl.RECON, "apply", "-auto-approve", "-var", "n=6", "-parallelism", "3"],
                                 cwd=d, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(rng.uniform(0.0, 0.25))
            p.send_signal(signal.SIGKILL)
            p.wait()
            rl.recon(["apply", "-auto-approve", "-var", "n=6"], d, env, check=0)
            dups, orphans = rl.duplicates_and_orphans(sim, d)
            assert not dups and not orphans, (t, dups, orphans)
            rc, doc = plan_json(d, env, "-var", "n=6")
            assert rc == 0, (t, actions(doc))
        rl.recon(["destroy", "-auto-approve", "-var", "n=6"], d, env, check=0)
        assert live_counts(sim, rl.state_file(d)["lineage"]) == 0
        ec2 = sim.state()["ec2"]
        assert not ec2["vpcs"] and not ec2["subnets"], ec2
    print("ok")


if __name__ == "__main__":
    main()
