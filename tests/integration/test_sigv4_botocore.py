#!/usr/bin/python3
"""Differential SigV4 test: the same requests signed by botocore (SigV4Auth,
S3SigV4Auth for s3) and by `recon debug sign` with a fixed clock and fixed
keys must carry identical Authorization headers."""
import datetime
import json
import os
import subprocess
import sys
from unittest import mock
from urllib.parse import quote

sys.path.insert(0, "/usr/lib/python3/dist-packages")
try:
    import botocore.auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials
except ImportError as e:  # pragma: no cover
    print("SKIP: botocore is not installed (%s); `make deps` installs python3-botocore" % e)
    sys.exit(0)

RECON = os.environ.get("RECON") or os.path.join(os.environ.get("RECON_BUILD_DIR", "build"), "recon")
FIXED = datetime.datetime(2024, 5, 17, 12, 34, 56)
AMZ_DATE = FIXED.strftime("%Y%m%dT%H%M%SZ")
AK, SK = "AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
TOKEN = "IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQD+/token=="


class FixedDatetime(datetime.datetime):
    @classmethod
    def utcnow(cls):
        return FIXED

    @classmethod
    def now(cls, tz=None):
        return FIXED if tz is None else FIXED.replace(tzinfo=tz)


def q(pairs):
    return "&".join(quote(k, safe="-_.~") + ("=" + quote(v, safe="-_.~") if v is not None else "")
                    for k, v in pairs)


def form(pairs):
    return "&".join(quote(k, safe="-_.~") + "=" + quote(v, safe="-_.~") for k, v in pairs)


FORM_CT = "application/x-www-form-urlencoded; charset=utf-8"
JSON_CT = "application/x-amz-json-1.1"


def cases():
    c = []
    big = "x" * 300000
    utf = "h\u00e9llo w\u00f6rld \u2603 \U0001F680"
    # query protocol, POST form bodies
    c.append(("ec2", "us-east-1", "POST", "https://ec2.us-east-1.amazonaws.com/",
              [("Content-Type", FORM_CT)], form([("Action", "DescribeVpcs"), ("Version", "2016-11-15")]), None))
    c.append(("ec2", "eu-west-1", "POST", "https://ec2.eu-west-1.amazonaws.com/",
              [("Content-Type", FORM_CT)],
              form([("Action", "CreateVpc"), ("Version", "2016-11-15"), ("CidrBlock", "10.0.0.0/16"),
                    ("TagSpecification.1.ResourceType", "vpc"), ("TagSpecification.1.Tag.1.Key", "Name"),
                    ("TagSpecification.1.Tag.1.Value", utf)]), TOKEN))
    c.append(("ec2", "us-east-1", "POST", "https://ec2.us-east-1.amazonaws.com/",
              [("Content-Type", FORM_CT)], form([("Action", "DescribeSubnets"), ("Version", "2016-11-15"),
                                                  ("Filter.1.Name", "tag:recon:stack"),
                                                  ("Filter.1.Value.1", "a&b=c/d+e %f")]), None))
    c.append(("elasticloadbalancing", "us-west-2", "POST", "https://elasticloadbalancing.us-west-2.amazonaws.com/",
              [("Content-Type", FORM_CT)], form([("Action", "DescribeTargetGroups"), ("Version", "2015-12-01"),
                                                  ("Names.member.1", "tg-1"), ("Names.member.2", "tg-2")]), TOKEN))
    c.append(("iam", "us-east-1", "POST", "https://iam.amazonaws.com/", [("Content-Type", FORM_CT)],
              form([("Action", "CreateRole"), ("Version", "2010-05-08"), ("RoleName", "r"),
                    ("AssumeRolePolicyDocument", json.dumps({"Version": "2012-10-17", "Statement": []}))]), None))
    c.append(("sts", "us-east-1", "POST", "https://sts.us-east-1.amazonaws.com/", [("Content-Type", FORM_CT)],
              form([("Action", "GetCallerIdentity"), ("Version", "2011-06-15")]), TOKEN))
    c.append(("sts", "ap-southeast-2", "POST", "http://127.0.0.1:4566/", [("Content-Type", FORM_CT)],
              form([("Action", "AssumeRole"), ("Version", "2011-06-15"), ("RoleArn", "arn:aws:iam::1:role/x"),
                    ("RoleSessionName", "s")]), None))
    c.append(("ec2", "us-east-1", "POST", "https://ec2.us-east-1.amazonaws.com/", [("Content-Type", FORM_CT)],
              form([("Action", "RunInstances"), ("Version", "2016-11-15"), ("UserData", big[:20000])]), None))
    # JSON 1.1
    for op, body, tok in [("CreateCluster", {"clusterName": "c"}, None),
                          ("DescribeServices", {"cluster": "c", "services": ["a", "b"]}, TOKEN),
                          ("RegisterTaskDefinition", {"family": utf, "containerDefinitions": []}, None)]:
        c.append(("ecs", "us-east-1", "POST", "https://ecs.us-east-1.amazonaws.com/",
                  [("Content-Type", JSON_CT), ("X-Amz-Target", "AmazonEC2ContainerServiceV20141113." + op)],
                  json.dumps(body, ensure_ascii=False), tok))
    c.append(("logs", "eu-central-1", "POST", "https://logs.eu-central-1.amazonaws.com/",
              [("Content-Type", JSON_CT), ("X-Amz-Target", "Logs_20140328.DescribeLogGroups")],
              "{}", None))
    c.append(("logs", "eu-central-1", "POST", "http://localhost:4566/",
              [("Content-Type", JSON_CT), ("X-Amz-Target", "Logs_20140328.PutRetentionPolicy")],
              json.dumps({"logGroupName": "/ecs/app", "retentionInDays": 7}), TOKEN))
    c.append(("logs", "us-east-1", "POST", "https://logs.us-east-1.amazonaws.com/",
              [("Content-Type", JSON_CT), ("X-Amz-Target", "Logs_20140328.PutLogEvents")],
              json.dumps({"logEvents": [{"message": big, "timestamp": 1}]}), None))
    # GET with query strings: reserved, UTF-8, repeated keys, empty values
    c.append(("ec2", "us-east-1", "GET", "https://ec2.us-east-1.amazonaws.com/?" +
              q([("Action", "DescribeVpcs"), ("Version", "2016-11-15")]), [], "", None))
    c.append(("ec2", "us-east-1", "GET", "https://ec2.us-east-1.amazonaws.com/?" +
              q([("Filter.1.Value.1", "b"), ("Filter.1.Value.1", "a"), ("Action", "X")]), [], "", None))
    c.append(("service", "us-east-1", "GET", "https://example.amazonaws.com/?" +
              q([("k", "!*'();:@&=+$,/?#[] "), ("\u00e9t\u00e9", utf)]), [], "", TOKEN))
    c.append(("service", "us-east-1", "GET", "https://example.amazonaws.com/?" +
              q([("empty", ""), ("z", "1"), ("a", "2"), ("A", "3"), ("a", "1")]), [], "", None))
    c.append(("service", "us-east-1", "GET", "https://example.amazonaws.com/?" + q([("acl", None)]), [], "", None))
    c.append(("service", "us-east-1", "GET", "https://example.amazonaws.com/a%20b/c~d/%C3%A9", [], "", None))
    c.append(("service", "us-east-1", "GET", "https://example.amazonaws.com//double//slash/./x/../y", [], "", None))
    c.append(("service", "us-east-1", "GET", "https://example.amazonaws.com/",
              [("My-Header", "  a   b  c "), ("X-Custom", "v")], "", None))
    c.append(("service", "us-east-1", "POST", "https://example.amazonaws.com/", [], "", TOKEN))
    c.append(("service", "us-east-1", "POST", "https://example.amazonaws.com:8443/p", [("Content-Type", "text/plain")],
              big, None))
    c.append(("monitoring", "us-east-1", "GET", "https://monitoring.us-east-1.amazonaws.com/?" +
              q([("Action", "ListMetrics"), ("Namespace", "AWS/EC2"), ("NextToken", "a+b/c==")]), [], "", None))
    # S3: not normalised, single-encoded, x-amz-content-sha256
    c.append(("s3", "us-east-1", "GET", "https://bucket.s3.us-east-1.amazonaws.com/state/prod.tfstate", [], "", None))
    c.append(("s3", "us-east-1", "PUT", "https://bucket.s3.us-east-1.amazonaws.com/state/prod.tfstate",
              [("Content-Type", "application/json"), ("If-None-Match", "*")], '{"version": 4}', TOKEN))
    c.append(("s3", "eu-west-1", "PUT", "https://s3.eu-west-1.amazonaws.com/bucket/a%20b/%C3%A9t%C3%A9.json",
              [("If-Match", '"0123456789abcdef"')], big, None))
    c.append(("s3", "us-east-1", "DELETE", "http://127.0.0.1:9000/bucket/key//with/../dots", [], "", None))
    c.append(("s3", "us-east-1", "HEAD", "https://bucket.s3.amazonaws.com/k", [], "", TOKEN))
    c.append(("s3", "us-east-1", "GET", "https://bucket.s3.amazonaws.com/?" +
              q([("list-type", "2"), ("prefix", "env/\u00e9"), ("delimiter", "/")]), [], "", None))
    c.append(("s3", "us-east-1", "GET", "https://bucket.s3.amazonaws.com/?" + q([("versioning", None)]), [], "", None))
    return c


def botocore_auth(service, region, method, url, headers, body, token):
    creds = Credentials(AK, SK, token)
    signer = (botocore.auth.S3SigV4Auth if service == "s3" else botocore.auth.SigV4Auth)(creds, service, region)
    req = AWSRequest(method=method, url=url, data=body.encode("utf-8") if body else b"", headers=dict(headers))
    with mock.patch("botocore.auth.datetime.datetime", FixedDatetime):
        signer.add_auth(req)
    return req.headers["Authorization"]


def recon_auth(service, region, method, url, headers, body, token):
    desc = {"method": method, "url": url, "headers": [list(h) for h in headers], "body": body or "",
            "service": service, "region": region, "access_key": AK, "secret_key": SK,
            "time": AMZ_DATE, "s3": service == "s3"}
    if token:
        desc["session_token"] = token
    p = subprocess.run([RECON, "debug", "sign"], input=json.dumps(desc).encode(), capture_output=True)
    if p.returncode != 0:
        raise AssertionError("recon debug sign failed: %s" % p.stderr.decode())
    return p.stdout.decode().strip()


def main():
    if not os.path.exists(RECON):
        print("FAIL: recon binary not found at %s" % RECON)
        return 1
    cs = cases()
    assert len(cs) >= 30, len(cs)
    bad = 0
    for i, c in enumerate(cs):
        a = botocore_auth(*c)
        assert "/%s/" % AMZ_DATE[:8] in a, "the fixed clock did not take: " + a
        b = recon_auth(*c)
        if a != b:
            bad += 1
            print("MISMATCH case %d (%s %s %s)\n  botocore: %s\n  recon:    %s" % (i, c[0], c[2], c[3][:80], a, b))
    print("%d requests, %d mismatches" % (len(cs), bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
