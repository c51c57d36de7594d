#!/bin/bash
# How many calls per second recon-sim serves on one core for the Describe
# calls of the other services: DescribeTargetGroups with 200 target groups,
# DescribeServices with 10 ECS services (2 tasks each, in their target
# groups), DescribeLogGroups with 500 log groups. Same harness as
# sim_describe_subnets.sh: the simulator pinned to CPU 0, the load generator
# (python, raw keep-alive HTTP/1.1, N connections) to CPU 1.
# Usage: bench/sim_describe_services.sh [seconds-per-case] [connections]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
SIM=${RECON_SIM:-$here/build/recon-sim}
SECS=${1:-3}
CONNS=${2:-4}
tmp=$(mktemp -d)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT

taskset -c 0 "$SIM" -listen 127.0.0.1:0 -seed 1 -alb-delay-ms 0 -task-start-ms 0 -target-health-ms 0 >"$tmp/out" 2>"$tmp/err" &
pid=$!
for _ in $(seq 1 100); do [ -s "$tmp/out" ] && break; sleep 0.05; done
port=$(sed -n 's/.*127\.0\.0\.1:\([0-9]*\).*/\1/p' "$tmp/out")
[ -n "$port" ] || { echo "recon-sim did not start"; cat "$tmp/err"; exit 1; }

taskset -c 1 /usr/bin/python3 - "$port" "$SECS" "$CONNS" "$pid" <<'PY'
import socket, sys, time, threading, urllib.parse, re

port, secs, conns, simpid = int(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
import os
TICK = os.sysconf("SC_CLK_TCK")

def sim_cpu():
    """CPU seconds the simulator has used (user + system)."""
    f = open("/proc/%s/stat" % simpid).read().rsplit(")", 1)[1].split()
    return (int(f[11]) + int(f[12])) / TICK
import json

def auth(service):
    return ("AWS4-HMAC-SHA256 Credential=bench/20260101/us-east-1/%s/aws4_request, "
            "SignedHeaders=host;x-amz-date, Signature=00" % service)

def request(form, service="ec2"):
    body = urllib.parse.urlencode(form).encode()
    head = ("POST / HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nAuthorization: %s\r\n"
            "X-Amz-Date: 20260101T000000Z\r\n"
            "Content-Type: application/x-www-form-urlencoded; charset=utf-8\r\n"
            "Content-Length: %d\r\n\r\n" % (port, auth(service), len(body))).encode()
    return head + body

def jrequest(service, target, doc):
    body = json.dumps(doc).encode()
    head = ("POST / HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nAuthorization: %s\r\n"
            "X-Amz-Date: 20260101T000000Z\r\nX-Amz-Target: %s\r\n"
            "Content-Type: application/x-amz-json-1.1\r\n"
            "Content-Length: %d\r\n\r\n" % (port, auth(service), target, len(body))).encode()
    return head + body

class Conn:
    def __init__(self):
        self.s = socket.create_connection(("127.0.0.1", port))
        self.s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buf = b""
    def call(self, req):
        self.s.sendall(req)
        while b"\r\n\r\n" not in self.buf:
            self.buf += self.s.recv(65536)
        head, _, rest = self.buf.partition(b"\r\n\r\n")
        n = int(re.search(rb"(?i)content-length: *(\d+)", head).group(1))
        while len(rest) < n:
            rest += self.s.recv(max(65536, n - len(rest)))
        self.buf = rest[n:]
        status = int(head.split(b" ", 2)[1])
        return status, rest[:n]

c = Conn()
def ok(req):
    st, b = c.call(req)
    assert st == 200, b
    return b
E = {"Version": "2016-11-15"}
def ec2(**kw):
    kw.update(E)
    return ok(request(kw))
b = ec2(Action="CreateVpc", CidrBlock="10.0.0.0/16")
vpc = re.search(rb"<vpcId>([^<]+)</vpcId>", b).group(1).decode()
subnets = []
for i, az in enumerate("ab"):
    b = ec2(Action="CreateSubnet", VpcId=vpc, CidrBlock="10.0.%d.0/24" % i,
            AvailabilityZone="us-east-1" + az)
    subnets.append(re.search(rb"<subnetId>([^<]+)</subnetId>", b).group(1).decode())
b = ec2(Action="CreateSecurityGroup", VpcId=vpc, GroupName="app", GroupDescription="app")
sg = re.search(rb"<groupId>([^<]+)</groupId>", b).group(1).decode()
V = {"Version": "2015-12-01"}
def elb(**kw):
    kw.update(V)
    return ok(request(kw, "elasticloadbalancing"))
b = elb(Action="CreateLoadBalancer", Name="alb", **{"Subnets.member.1": subnets[0],
        "Subnets.member.2": subnets[1], "SecurityGroups.member.1": sg})
lb = re.search(rb"<LoadBalancerArn>([^<]+)<", b).group(1).decode()
tgs = []
for i in range(200):
    b = elb(Action="CreateTargetGroup", Name="tg-%03d" % i, Protocol="HTTP", Port="3000",
            VpcId=vpc, TargetType="ip", HealthCheckPath="/health",
            **{"Tags.member.1.Key": "recon:address", "Tags.member.1.Value": "tg%d" % i})
    tgs.append(re.search(rb"<TargetGroupArn>([^<]+)<", b).group(1).decode())
b = elb(Action="CreateListener", LoadBalancerArn=lb, Port="80", Protocol="HTTP",
        **{"DefaultActions.member.1.Type": "forward", "DefaultActions.member.1.TargetGroupArn": tgs[0]})
ls = re.search(rb"<ListenerArn>([^<]+)<", b).group(1).decode()
ECS = "AmazonEC2ContainerServiceV20141113."
def ecs(op, doc):
    return ok(jrequest("ecs", ECS + op, doc))
ecs("CreateCluster", {"clusterName": "c"})
ecs("RegisterTaskDefinition", {"family": "app", "requiresCompatibilities": ["FARGATE"],
    "networkMode": "awsvpc", "cpu": "256", "memory": "512",
    "executionRoleArn": "arn:aws:iam::123456789012:role/exec",
    "containerDefinitions": [{"name": "app", "image": "app:1.0",
                              "portMappings": [{"containerPort": 3000}]}]})
names = []
for i in range(10):
    # each service's target group must be in use by the load balancer
    elb(Action="CreateRule", ListenerArn=ls, Priority=str(i + 1),
        **{"Conditions.member.1.Field": "path-pattern",
           "Conditions.member.1.Values.member.1": "/s%d/*" % i,
           "Actions.member.1.Type": "forward", "Actions.member.1.TargetGroupArn": tgs[i + 1]})
    names.append("svc-%d" % i)
    ecs("CreateService", {"cluster": "c", "serviceName": names[-1], "taskDefinition": "app",
        "desiredCount": 2, "launchType": "FARGATE",
        "networkConfiguration": {"awsvpcConfiguration": {"subnets": subnets, "securityGroups": [sg]}},
        "loadBalancers": [{"targetGroupArn": tgs[i + 1], "containerName": "app", "containerPort": 3000}]})
LOGS = "Logs_20140328."
for i in range(500):
    ok(jrequest("logs", LOGS + "CreateLogGroup", {"logGroupName": "/ecs/app-%03d" % i}))
time.sleep(0.5)
st = json.loads(ok(jrequest("ecs", ECS + "DescribeServices", {"cluster": "c", "services": names})))
running = sum(s["runningCount"] for s in st["services"])

cases = [
    ("DescribeTargetGroups, all 200 in one answer", request(dict(Action="DescribeTargetGroups", **V), "elasticloadbalancing")),
    ("DescribeTargetGroups, one by name", request(dict(Action="DescribeTargetGroups", **{"Names.member.1": "tg-150"}, **V), "elasticloadbalancing")),
    ("DescribeTargetHealth, 2 targets", request(dict(Action="DescribeTargetHealth", TargetGroupArn=tgs[1], **V), "elasticloadbalancing")),
    ("DescribeServices, 10 services (%d tasks running)" % running, jrequest("ecs", ECS + "DescribeServices", {"cluster": "c", "services": names})),
    ("DescribeServices, 1 service", jrequest("ecs", ECS + "DescribeServices", {"cluster": "c", "services": names[:1]})),
    ("DescribeLogGroups of 500, first page (50)", jrequest("logs", LOGS + "DescribeLogGroups", {})),
    ("DescribeLogGroups of 500, prefix /ecs/app-25", jrequest("logs", LOGS + "DescribeLogGroups", {"logGroupNamePrefix": "/ecs/app-25"})),
]
for name, req in cases:
    size = len(c.call(req)[1])
    count = [0] * conns
    stop = time.time() + secs
    def worker(k):
        cc = Conn()
        while time.time() < stop:
            s, _ = cc.call(req)
            assert s == 200
            count[k] += 1
    ths = [threading.Thread(target=worker, args=(k,)) for k in range(conns)]
    t0, cpu0 = time.time(), sim_cpu()
    for t in ths: t.start()
    for t in ths: t.join()
    el, cpu = time.time() - t0, sim_cpu() - cpu0
    n = sum(count)
    print("%-50s %7.0f calls/s  sim cpu %3.0f%%  => %7.0f calls/s per core  (%d B/answer)"
          % (name, n / el, 100 * cpu / el, n / cpu if cpu else float("nan"), size))
PY
