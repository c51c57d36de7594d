#!/usr/bin/env python3
"""Generates a synthetic recon/Terraform stack of about N resource instances,
written only in real Terraform (count, cidrsubnet, format) so the same files
run under terraform with the AWS provider.

The stack is made of "blocks" of up to 100 instances, one VPC each:
  1 aws_vpc                     10.<b>.0.0/16
  S aws_subnet (count)          /24 subnets of it (S <= 256)
  1 aws_security_group
  R security group rules        aws_security_group_rule (or
                                aws_vpc_security_group_ingress_rule), one port each
  T aws_lb_target_group (count) names <= 32 characters
  L aws_cloudwatch_log_group (count)
Types recon does not register yet (read from resources/types.h and the
rc_rt_* rows) are left out and their share goes to subnets, so the total
stays N. Usage: gen_stack.py N DIR [--types t1,t2,...] prints a JSON summary
{"total": N, "counts": {type: n}} on stdout."""
import argparse
import glob
import json
import math
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.dirname(HERE)

# per block of 100: the mix of a typical network-heavy account
MIX = [("aws_subnet", 60), ("aws_security_group", 1), ("rule", 15),
       ("aws_lb_target_group", 8), ("aws_cloudwatch_log_group", 15)]  # + 1 aws_vpc
RULE_TYPES = ("aws_security_group_rule", "aws_vpc_security_group_ingress_rule")


def registered_types(src=SRC):
    """Resource type names recon registers (resources/types.h rows)."""
    try:
        rows = re.findall(r"X\((rc_rt_\w+)\)", open(os.path.join(src, "resources", "types.h")).read())
    except OSError:
        return set()
    names = set()
    for f in glob.glob(os.path.join(src, "resources", "*.c")):
        text = open(f, errors="replace").read()
        for sym in rows:
            m = re.search(r"const struct rc_resource_type\s+%s\s*=\s*\{(.*?)\n\};" % sym, text, re.S)
            if m:
                n = re.search(r'\.name\s*=\s*"(aws_\w+)"', m.group(1))
                if n:
                    names.add(n.group(1))
            elif '"aws_%s"' % sym[len("rc_rt_"):] in text:  # rows built by a macro
                names.add("aws_" + sym[len("rc_rt_"):])
    return names


def plan_counts(n, types):
    """[(block_index, {kind: count})] summing to n; kind "rule" is the rule type."""
    rule_type = next((t for t in RULE_TYPES if t in types), None)
    have = {k for k, _ in MIX if k in types or (k == "rule" and rule_type)}
    if "aws_vpc" not in types or "aws_subnet" not in types:
        raise SystemExit("gen_stack: recon registers no aws_vpc/aws_subnet yet")
    if "rule" in have and "aws_security_group" not in types:
        have.discard("rule")
    blocks = []
    left = n
    b = 0
    while left > 0:
        size = min(100, left)
        c = {"aws_vpc": 1}
        rest = size - 1
        # scale the mix to this block; missing kinds go to subnets
        for kind, share in MIX[1:]:
            if kind in have:
                k = min(rest - 1, max(1, int(math.floor(share * size / 100.0))))
                if k > 0:
                    c[kind] = k
                    rest -= k
        if "rule" in c and c.get("aws_security_group", 0) == 0:
            rest += c.pop("rule")
        c["aws_subnet"] = rest
        if c["aws_subnet"] > 256:
            raise SystemExit("gen_stack: too many subnets in one /16")
        blocks.append((b, c))
        left -= size
        b += 1
        if b > 255:
            raise SystemExit("gen_stack: more than 256 VPC blocks (N too large)")
    return blocks, rule_type


def render(blocks, rule_type, prefix):
    out = ['provider "aws" {\n  region = "us-east-1"\n}\n',
           'variable "prefix" {\n  type    = string\n  default = "%s"\n}\n' % prefix]
    for b, c in blocks:
        v = "b%03d" % b
        out.append('resource "aws_vpc" "%s" {\n  cidr_block = "10.%d.0.0/16"\n  tags = {\n'
                   '    Name = "${var.prefix}-%s"\n  }\n}\n' % (v, b, v))
        if c.get("aws_subnet"):
            out.append('resource "aws_subnet" "%s" {\n  count      = %d\n  vpc_id     = aws_vpc.%s.id\n'
                       '  cidr_block = cidrsubnet(aws_vpc.%s.cidr_block, 8, count.index)\n'
                       '  availability_zone = count.index %% 2 == 0 ? "us-east-1a" : "us-east-1b"\n'
                       '}\n' % (v, c["aws_subnet"], v, v))
        if c.get("aws_security_group"):
            out.append('resource "aws_security_group" "%s" {\n  name        = "${var.prefix}-%s"\n'
                       '  description = "bench"\n  vpc_id      = aws_vpc.%s.id\n}\n' % (v, v, v))
        if c.get("rule"):
            if rule_type == "aws_vpc_security_group_ingress_rule":
                out.append('resource "aws_vpc_security_group_ingress_rule" "%s" {\n'
                           '  count             = %d\n'
                           '  security_group_id = aws_security_group.%s.id\n'
                           '  cidr_ipv4         = "10.0.0.0/8"\n  ip_protocol       = "tcp"\n'
                           '  from_port         = 1000 + count.index\n'
                           '  to_port           = 1000 + count.index\n}\n' % (v, c["rule"], v))
            else:
                out.append('resource "aws_security_group_rule" "%s" {\n  count             = %d\n'
                           '  type              = "ingress"\n'
                           '  security_group_id = aws_security_group.%s.id\n'
                           '  cidr_blocks       = ["10.0.0.0/8"]\n  protocol          = "tcp"\n'
                           '  from_port         = 1000 + count.index\n'
                           '  to_port           = 1000 + count.index\n}\n' % (v, c["rule"], v))
        if c.get("aws_lb_target_group"):
            out.append('resource "aws_lb_target_group" "%s" {\n  count       = %d\n'
                       '  name        = format("%%s-%s-%%d", var.prefix, count.index)\n'
                       '  port        = 8080\n  protocol    = "HTTP"\n  target_type = "ip"\n'
                       '  vpc_id      = aws_vpc.%s.id\n}\n' % (v, c["aws_lb_target_group"], v, v))
        if c.get("aws_cloudwatch_log_group"):
            out.append('resource "aws_cloudwatch_log_group" "%s" {\n  count             = %d\n'
                       '  name              = "/${var.prefix}/%s/${count.index}"\n'
                       '  retention_in_days = 7\n}\n' % (v, c["aws_cloudwatch_log_group"], v))
    return "\n".join(out)


def generate(n, d, types=None, prefix="bench"):
    """Writes DIR/main.tf for about n instances; returns the summary dict."""
    types = set(types) if types is not None else registered_types()
    blocks, rule_type = plan_counts(n, types)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "main.tf"), "w") as f:
        f.write(render(blocks, rule_type, prefix))
    counts = {}
    for _, c in blocks:
        for k, x in c.items():
            k = rule_type if k == "rule" else k
            counts[k] = counts.get(k, 0) + x
    return {"total": sum(counts.values()), "counts": counts, "vpcs": len(blocks)}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("n", type=int)
    ap.add_argument("dir")
    ap.add_argument("--types", help="comma-separated resource types to use (default: registered)")
    ap.add_argument("--prefix", default="bench")
    a = ap.parse_args()
    types = a.types.split(",") if a.types else None
    print(json.dumps(generate(a.n, a.dir, types, a.prefix)))


if __name__ == "__main__":
    sys.exit(main())
