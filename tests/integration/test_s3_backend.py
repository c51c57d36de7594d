"""The S3 state backend against recon-sim's S3: state written with
conditional writes, the lock object present only while a run holds it, a
second run refused while the lock exists, and the state readable back."""
import json
import os
import subprocess
import sys
import tempfile
import urllib.request

sys.path.insert(0, os.path.dirname(__file__))
import reconlib as rl

STACK = '''
terraform {
  backend "s3" {
    bucket = "recon-state"
    key    = "envs/test/recon.tfstate"
    region = "us-east-1"
  }
}
variable "name" {
  default = "s3"
}
resource "aws_vpc" "main" {
  cidr_block = "10.30.0.0/16"
  tags = {
    Name = var.name
  }
}
output "vpc" {
  value = aws_vpc.main.id
}
'''


def main():
    d = tempfile.mkdtemp(prefix="recon-s3-")
    with open(os.path.join(d, "main.tf"), "w") as f:
        f.write(STACK)
    with rl.Sim() as sim:
        env = sim.env()
        subprocess.run(["/usr/bin/aws", "--endpoint-url", sim.url, "s3api", "create-bucket",
                        "--bucket", "recon-state"], env=env, check=True, capture_output=True)
        rl.recon(["apply", "-auto-approve"], d, env, check=0)
        assert not os.path.exists(os.path.join(d, "recon.tfstate")), "state went to a local file"
        s3 = sim.state().get("s3", {})
        text = json.dumps(s3)
        assert "envs/test/recon.tfstate" in text, text[:500]
        assert "recon.tfstate.tflock" not in text, "lock left behind"
        rc, out, err = rl.recon(["output", "-raw", "vpc"], d, env, check=0)
        assert out.startswith("vpc-"), out
        rc, out, err = rl.recon(["plan", "-detailed-exitcode"], d, env)
        assert rc == 0, (out, err)
        # a lock object held by someone else refuses the run, naming the holder
        body = json.dumps({"ID": "11111111-2222-3333-4444-555555555555", "Operation": "apply",
                           "Who": "someone@elsewhere", "Version": "0.1.0",
                           "Created": "2026-01-01T00:00:00Z", "Path": "x", "PID": 4242,
                           "Host": "elsewhere"})
        with tempfile.NamedTemporaryFile("w", delete=False) as lf:
            lf.write(body)
        subprocess.run(["/usr/bin/aws", "--endpoint-url", sim.url, "s3api", "put-object",
                        "--bucket", "recon-state", "--key", "envs/test/recon.tfstate.tflock",
                        "--body", lf.name], env=env, check=True, capture_output=True)
        rc, out, err = rl.recon(["apply", "-auto-approve", "-var", "name=locked"], d, env)
        assert rc == 1 and "4242" in err, (rc, err)
        rl.recon(["force-unlock", "-force", "11111111-2222-3333-4444-555555555555"], d, env, check=0)
        rl.recon(["apply", "-auto-approve", "-var", "name=unlocked"], d, env, check=0)
        rl.recon(["destroy", "-auto-approve", "-var", "name=unlocked"], d, env, check=0)
        assert not sim.state()["ec2"]["vpcs"]
    print("ok")


if __name__ == "__main__":
    main()
