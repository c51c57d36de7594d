"""Adopting what recon did not create and finding what it did: import {}
blocks, `recon import ADDR ID`, and `recon state recover -stack ID` after the
state file is lost."""
import json
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(__file__))
import reconlib as rl

STACK = '''
resource "aws_vpc" "main" {
  cidr_block = "10.40.0.0/16"
  tags = {
    Name = "recover-me"
  }
}
resource "aws_subnet" "s" {
  count             = 2
  vpc_id            = aws_vpc.main.id
  cidr_block        = cidrsubnet(aws_vpc.main.cidr_block, 8, count.index)
  availability_zone = "us-east-1a"
}
'''

IMPORT = '''
import {
  to = aws_vpc.adopted
  id = "%s"
}
resource "aws_vpc" "adopted" {
  cidr_block = "10.50.0.0/16"
  tags = {
    Name = "adopted"
  }
}
resource "aws_vpc" "by_cli" {
  cidr_block = "10.60.0.0/16"
}
'''


def vpc_id_of(out):
    return json.loads(out)["vpc"]["vpcId"]


def main():
    with rl.Sim() as sim:
        env = sim.env()
        # --- import {} and recon import
        d = tempfile.mkdtemp(prefix="recon-import-")
        rc, out, err = rl.recon(["debug", "aws", "ec2", "CreateVpc", "CidrBlock=10.50.0.0/16"], d, env, check=0)
        a = vpc_id_of(out)
        rc, out, err = rl.recon(["debug", "aws", "ec2", "CreateVpc", "CidrBlock=10.60.0.0/16"], d, env, check=0)
        b = vpc_id_of(out)
        with open(os.path.join(d, "main.tf"), "w") as f:
            f.write(IMPORT % a)
        rc, out, err = rl.recon(["plan", "-json"], d, env, check=0)
        changes = {c["address"]: c["change"]["actions"] for c in json.loads(out)["resource_changes"]}
        assert changes["aws_vpc.adopted"] == ["update"], changes  # only its tags change
        assert changes["aws_vpc.by_cli"] == ["create"], changes
        rl.recon(["import", "aws_vpc.by_cli", b], d, env, check=0)
        rc, out, err = rl.recon(["import", "aws_vpc.by_cli", b], d, env)
        assert rc == 1 and "already managed" in err, err
        rc, out, err = rl.recon(["import", "aws_vpc.nope", b], d, env)
        assert rc == 1 and "does not exist" in err, err
        rl.recon(["apply", "-auto-approve"], d, env, check=0)
        ids = {r["address"]: r["id"] for r in rl.state_file(d)["resources"]}
        assert ids == {"aws_vpc.adopted": a, "aws_vpc.by_cli": b}, ids
        rc, out, err = rl.recon(["plan", "-detailed-exitcode"], d, env)
        assert rc == 0, out
        rl.recon(["destroy", "-auto-approve"], d, env, check=0)

        # --- state recover
        d = tempfile.mkdtemp(prefix="recon-recover-")
        with open(os.path.join(d, "main.tf"), "w") as f:
            f.write(STACK)
        rl.recon(["apply", "-auto-approve"], d, env, check=0)
        before = {r["address"]: r["id"] for r in rl.state_file(d)["resources"]}
        stack = rl.state_file(d)["lineage"]
        for name in ("recon.tfstate", "recon.tfstate.backup"):
            p = os.path.join(d, name)
            if os.path.exists(p):
                os.unlink(p)
        rc, out, err = rl.recon(["state", "recover"], d, env)
        assert rc == 1 and "-stack" in err, err
        rl.recon(["state", "recover", "-stack", stack], d, env, check=0)
        after = {r["address"]: r["id"] for r in rl.state_file(d)["resources"]}
        assert after == before, (before, after)
        assert rl.state_file(d)["lineage"] == stack
        rc, out, err = rl.recon(["plan", "-detailed-exitcode"], d, env)
        assert rc == 0, out
        rl.recon(["destroy", "-auto-approve"], d, env, check=0)
        assert not sim.state()["ec2"]["vpcs"], sim.state()["ec2"]["vpcs"]
    print("ok")


if __name__ == "__main__":
    main()
