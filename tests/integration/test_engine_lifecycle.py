"""Lifecycle and state management end to end: create_before_destroy and the
default destroy-then-create order, prevent_destroy, -replace,
replace_triggered_by, ignore_changes, moved blocks, state list/show/rm/mv,
refresh, sensitive values never written in clear, SIGINT during an apply."""
import json
import os
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(__file__))
import reconlib as rl

BASE = '''
variable "cidr" {
  default = "10.70.0.0/16"
}
variable "secret" {
  default   = "hunter2-s3cr3t"
  sensitive = true
}
variable "keep" {
  default = false
}
resource "aws_vpc" "main" {
  cidr_block = var.cidr
  tags = {
    Name = "lifecycle"
  }
  lifecycle {
    create_before_destroy = true
    prevent_destroy       = %s
  }
}
resource "aws_subnet" "%s" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = cidrsubnet(aws_vpc.main.cidr_block, 8, 1)
  availability_zone = "us-east-1a"
  tags = {
    Name  = "subnet"
    Owner = "team"
  }
  lifecycle {
    ignore_changes = [tags]
  }
}
resource "aws_cloudwatch_log_group" "logs" {
  name = "/lifecycle/logs"
  tags = {
    Secret = var.secret
  }
  lifecycle {
    replace_triggered_by = [aws_vpc.main]
  }
}
output "secret" {
  value     = var.secret
  sensitive = true
}
%s
'''


def write(d, prevent="false", subnet="s", extra=""):
    with open(os.path.join(d, "main.tf"), "w") as f:
        f.write(BASE % (prevent, subnet, extra))


def plan_actions(d, env, *args):
    rc, out, err = rl.recon(["plan", "-json"] + list(args), d, env)
    assert rc == 0, err
    doc = json.loads(out)
    return {c["address"]: c["change"]["actions"] for c in doc["resource_changes"]
            if c["change"]["actions"] != ["no-op"]}, doc


def main():
    d = tempfile.mkdtemp(prefix="recon-lifecycle-")
    write(d)
    with rl.Sim() as sim:
        env = sim.env()
        rl.recon(["apply", "-auto-approve"], d, env, check=0)
        # secrets are never in clear: not in the state, not in the plan text or JSON
        raw = open(os.path.join(d, "recon.tfstate")).read()
        assert "hunter2-s3cr3t" not in raw, "secret in state"
        rc, out, err = rl.recon(["plan", "-var", "cidr=10.71.0.0/16"], d, env, check=0)
        assert "hunter2-s3cr3t" not in out + err
        # create_before_destroy: the replacement is created first; replace_triggered_by
        # replaces the log group with it
        a, doc = plan_actions(d, env, "-var", "cidr=10.71.0.0/16")
        assert a["aws_vpc.main"] == ["create", "delete"], a
        assert a["aws_subnet.s"] == ["delete", "create"], a
        assert a["aws_cloudwatch_log_group.logs"] == ["delete", "create"], a
        assert "hunter2-s3cr3t" not in json.dumps(doc)
        old_vpc = [r["id"] for r in rl.state_file(d)["resources"] if r["address"] == "aws_vpc.main"][0]
        rc, out, err = rl.recon(["apply", "-auto-approve", "-var", "cidr=10.71.0.0/16"], d, env, check=0)
        assert out.index("aws_vpc.main: Creating") < out.index("aws_vpc.main: Destroying"), out
        vpcs = [v["id"] for v in sim.state()["ec2"]["vpcs"]]
        assert old_vpc not in vpcs and len(vpcs) == 1, vpcs
        assert not any("#deposed" in r["address"] for r in rl.state_file(d)["resources"])
        # ignore_changes: a tag changed outside is not put back
        sub = [r["id"] for r in rl.state_file(d)["resources"] if r["address"] == "aws_subnet.s"][0]
        rl.recon(["debug", "aws", "ec2", "CreateTags", "ResourceId.1=" + sub, "Tag.1.Key=Owner",
                  "Tag.1.Value=other"], d, env, check=0)
        rc, out, err = rl.recon(["plan", "-detailed-exitcode", "-var", "cidr=10.71.0.0/16"], d, env)
        assert rc == 0, out
        # -replace forces a replacement of one instance
        a, _ = plan_actions(d, env, "-var", "cidr=10.71.0.0/16", "-replace", "aws_subnet.s")
        assert a == {"aws_subnet.s": ["delete", "create"]}, a
        # prevent_destroy refuses a plan that would destroy
        write(d, prevent="true")
        rc, out, err = rl.recon(["plan", "-var", "cidr=10.72.0.0/16"], d, env)
        assert rc == 1 and "Instance cannot be destroyed" in err, err
        rc, out, err = rl.recon(["destroy", "-auto-approve", "-var", "cidr=10.71.0.0/16"], d, env)
        assert rc == 1 and "Instance cannot be destroyed" in err, err
        write(d)
        # moved {}: a rename is a move in state, not a destroy and create
        write(d, subnet="renamed", extra='moved {\n  from = aws_subnet.s\n  to   = aws_subnet.renamed\n}\n')
        a, _ = plan_actions(d, env, "-var", "cidr=10.71.0.0/16")
        assert a == {}, a
        rl.recon(["apply", "-auto-approve", "-var", "cidr=10.71.0.0/16"], d, env, check=0)
        rc, out, err = rl.recon(["state", "list"], d, env, check=0)
        assert out.split() == ["aws_cloudwatch_log_group.logs", "aws_subnet.renamed", "aws_vpc.main"], out
        # state mv / show / rm
        rl.recon(["state", "mv", "aws_subnet.renamed", "aws_subnet.s"], d, env, check=0)
        write(d)
        rc, out, err = rl.recon(["plan", "-detailed-exitcode", "-var", "cidr=10.71.0.0/16"], d, env)
        assert rc == 0, out
        rc, out, err = rl.recon(["state", "show", "aws_subnet.s"], d, env, check=0)
        assert sub in out and "10.71.1.0/24" in out, out
        rl.recon(["state", "rm", "aws_subnet.s"], d, env, check=0)
        a, _ = plan_actions(d, env, "-var", "cidr=10.71.0.0/16")
        assert a == {"aws_subnet.s": ["create"]}, a  # forgotten, so planned anew
        rl.recon(["import", "-var", "cidr=10.71.0.0/16", "aws_subnet.s", sub], d, env, check=0)
        # refresh writes what AWS says into state without changing anything
        serial = rl.state_file(d)["serial"]
        rl.recon(["refresh", "-var", "cidr=10.71.0.0/16"], d, env, check=0)
        assert rl.state_file(d)["serial"] >= serial
        rl.recon(["destroy", "-auto-approve", "-var", "cidr=10.71.0.0/16"], d, env, check=0)
        assert not sim.state()["ec2"]["vpcs"]
    sigint()
    print("ok")


def sigint():
    """SIGINT during an apply: in-flight work finishes, the state is saved and
    parses, recon exits non-zero; the next apply converges without duplicates."""
    d = tempfile.mkdtemp(prefix="recon-sigint-")
    subnets = "".join('resource "aws_subnet" "x%d" {\n  vpc_id = aws_vpc.main.id\n'
                      '  cidr_block = "10.80.%d.0/24"\n  availability_zone = "us-east-1b"\n}\n'
                      % (i, i) for i in range(12))
    with open(os.path.join(d, "main.tf"), "w") as f:
        f.write('resource "aws_vpc" "main" {\n  cidr_block = "10.80.0.0/16"\n}\n' + subnets)
    with rl.Sim("-latency-ms", "60") as sim:
        env = sim.env()
        p = subprocess.Popen([rl.RECON, "apply", "-auto-approve", "-parallelism", "1"], cwd=d,
                             env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.time() + 30
        while time.time() < deadline and not os.path.exists(os.path.join(d, "recon.tfstate")):
            time.sleep(0.05)
        time.sleep(0.5)
        p.send_signal(signal.SIGINT)
        out, err = p.communicate(timeout=60)
        assert p.returncode != 0, out
        assert "Gracefully shutting down" in err, err
        st = rl.state_file(d)
        assert 0 < len(st["resources"]) < 13, [r["address"] for r in st["resources"]]
        rl.recon(["apply", "-auto-approve"], d, env, check=0)
        dups, orphans = rl.duplicates_and_orphans(sim, d)
        assert not dups and not orphans, (dups, orphans)
        assert len(rl.state_file(d)["resources"]) == 13
        rl.recon(["destroy", "-auto-approve"], d, env, check=0)


if __name__ == "__main__":
    main()
