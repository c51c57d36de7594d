#!/bin/bash
# recon-sim as a process: loopback-only listening, the stdout line, SIGTERM
# with the -state file saved and reloaded, -verify-signature with awscli's real
# signatures, and the misbehaviour flags (throttle, drop, latency, consistency).
set -euo pipefail
SIM=${RECON_SIM:-build/recon-sim}
AWS=/usr/bin/aws
export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_PAGER="" AWS_CONFIG_FILE=/dev/null
export AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_MAX_ATTEMPTS=1 AWS_RETRY_MODE=standard
tmp=$(mktemp -d)
pid=
stop() { if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; pid=; fi; }
trap 'stop; rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

start() { # flags...
  "$SIM" -listen 127.0.0.1:0 "$@" >"$tmp/out" 2>"$tmp/err" &
  pid=$!
  for _ in $(seq 1 100); do [ -s "$tmp/out" ] && break; sleep 0.05; done
  line=$(head -n1 "$tmp/out")
  [[ "$line" =~ ^recon-sim\ listening\ on\ http://127\.0\.0\.1:([0-9]+)$ ]] || fail "first line '$line'"
  port=${BASH_REMATCH[1]}
  EP="http://127.0.0.1:$port"
}
ec2() { "$AWS" --endpoint-url "$EP" --region us-east-1 ec2 "$@"; }

# loopback only
if "$SIM" -listen 0.0.0.0:0 2>"$tmp/e"; then fail "listened on 0.0.0.0"; fi
grep -q "loopback" "$tmp/e" || fail "refusal message: $(cat "$tmp/e")"

# state saved on SIGTERM, loaded at start; signatures checked with the real key
start -verify-signature test:test -state "$tmp/state.json" -seed 5
vpc=$(ec2 create-vpc --cidr-block 10.4.0.0/16 --query Vpc.VpcId --output text)
if AWS_SECRET_ACCESS_KEY=nope ec2 describe-vpcs 2>"$tmp/e" >/dev/null; then fail "bad secret accepted"; fi
grep -q SignatureDoesNotMatch "$tmp/e" || fail "bad secret error: $(cat "$tmp/e")"
"$AWS" --endpoint-url "$EP" --region us-east-1 sts get-caller-identity >/dev/null || fail "sts signed call"
kill -TERM "$pid"; wait "$pid" || fail "exit status after SIGTERM"; pid=
[ -s "$tmp/state.json" ] || fail "no state file after SIGTERM"
start -state "$tmp/state.json" -seed 5
[ "$(ec2 describe-vpcs --vpc-ids "$vpc" --query 'Vpcs[0].CidrBlock' --output text)" = 10.4.0.0/16 ] || fail "state not reloaded"
vpc2=$(ec2 create-vpc --cidr-block 10.5.0.0/16 --query Vpc.VpcId --output text)
[ "$vpc2" != "$vpc" ] || fail "id reused after restart"
curl -sf -X POST "$EP/_sim/reset" >/dev/null
[ "$(ec2 describe-vpcs --query 'length(Vpcs)')" = 0 ] || fail "reset left VPCs"
stop

# throttling in the service's own shape
start -throttle-rate 1
if ec2 describe-vpcs 2>"$tmp/e" >/dev/null; then fail "throttle-rate 1 answered"; fi
grep -q RequestLimitExceeded "$tmp/e" || fail "throttle error: $(cat "$tmp/e")"
stop

# dropped connections: no answer at all
start -drop-rate 1
AUTHZ='AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/ec2/aws4_request, SignedHeaders=host, Signature=00'
rc=0
curl -s -o /dev/null -H "Authorization: $AUTHZ" --data 'Action=DescribeVpcs&Version=2016-11-15' "$EP/" || rc=$?
[ "$rc" = 52 ] || [ "$rc" = 56 ] || fail "drop: curl exit $rc, want 52 (empty reply)"
stop

# latency and eventual consistency
start -latency-ms 300 -consistency-delay-ms 1500
t=$(curl -s -o /dev/null -w '%{time_total}' -H "Authorization: $AUTHZ" --data 'Action=DescribeVpcs&Version=2016-11-15' "$EP/")
/usr/bin/python3 -c "import sys; sys.exit(0 if float('$t') >= 0.3 else 1)" || fail "latency $t < 0.3 s"
# curl, not awscli, right after the create: awscli's start-up on a loaded
# machine could outlast the delay
q() { curl -s -H "Authorization: $AUTHZ" --data "$1&Version=2016-11-15" "$EP/"; }
vpc=$(q 'Action=CreateVpc&CidrBlock=10.6.0.0%2F16' | sed -n 's/.*<vpcId>\([^<]*\)<.*/\1/p')
[ -n "$vpc" ] || fail "create-vpc by curl"
q "Action=DescribeVpcs&VpcId.1=$vpc" | grep -q InvalidVpcID.NotFound || fail "new VPC visible at once"
sleep 1.6
ec2 describe-vpcs --vpc-ids "$vpc" >/dev/null || fail "VPC never became visible"
stop
echo "ok: recon-sim server behaviour"
