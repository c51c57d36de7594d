#!/bin/bash
# How many DescribeSubnets calls per second recon-sim serves on one core with
# 1,000 subnets in its state. The simulator is pinned to CPU 0, the load
# generator (python, raw keep-alive HTTP/1.1, N connections) to CPU 1.
# Prints one line per case: the query, calls/s, and the answer size.
# Usage: bench/sim_describe_subnets.sh [seconds-per-case] [connections]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
SIM=${RECON_SIM:-$here/build/recon-sim}
SECS=${1:-3}
CONNS=${2:-4}
tmp=$(mktemp -d)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT

taskset -c 0 "$SIM" -listen 127.0.0.1:0 -seed 1 >"$tmp/out" 2>"$tmp/err" &
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
AUTH = ("AWS4-HMAC-SHA256 Credential=bench/20260101/us-east-1/ec2/aws4_request, "
        "SignedHeaders=host;x-amz-date, Signature=00")

def request(form):
    body = urllib.parse.urlencode(form).encode()
    head = ("POST / HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nAuthorization: %s\r\n"
            "X-Amz-Date: 20260101T000000Z\r\n"
            "Content-Type: application/x-www-form-urlencoded; charset=utf-8\r\n"
            "Content-Length: %d\r\n\r\n" % (port, AUTH, len(body))).encode()
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
st, b = c.call(request({"Action": "CreateVpc", "Version": "2016-11-15", "CidrBlock": "10.0.0.0/16"}))
vpc = re.search(rb"<vpcId>([^<]+)</vpcId>", b).group(1).decode()
ids = []
for i in range(1000):
    form = {"Action": "CreateSubnet", "Version": "2016-11-15", "VpcId": vpc,
            "CidrBlock": "10.0.%d.%d/26" % (i // 4, (i % 4) * 64),
            "AvailabilityZone": "us-east-1" + "abc"[i % 3],
            "TagSpecification.1.ResourceType": "subnet",
            "TagSpecification.1.Tag.1.Key": "Name",
            "TagSpecification.1.Tag.1.Value": "s%d" % i}
    st, b = c.call(request(form))
    assert st == 200, b
    ids.append(re.search(rb"<subnetId>([^<]+)</subnetId>", b).group(1).decode())

cases = [
    ("one subnet by id (SubnetId.1)", {"SubnetId.1": ids[500]}),
    ("filter tag:Name=s500", {"Filter.1.Name": "tag:Name", "Filter.1.Value.1": "s500"}),
    ("filter vpc-id, MaxResults=5 (first page)", {"Filter.1.Name": "vpc-id", "Filter.1.Value.1": vpc,
                                                  "MaxResults": "5"}),
    ("all 1,000 subnets in one answer", {}),
]
for name, extra in cases:
    form = {"Action": "DescribeSubnets", "Version": "2016-11-15"}
    form.update(extra)
    req = request(form)
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
    # served calls/s; the simulator's CPU share of one core; and the calls one
    # fully busy core would serve (n / cpu-seconds), which does not depend on
    # how fast this python client can go
    print("%-42s %7.0f calls/s  sim cpu %3.0f%%  => %7.0f calls/s per core  (%d B/answer)"
          % (name, n / el, 100 * cpu / el, n / cpu if cpu else float("nan"), size))
PY
