#!/bin/bash
# recon's AWS client against recon-sim, which checks every SigV4 signature:
# `recon debug aws` calls over the query and JSON protocols, a create then a
# describe, and error answers mapped to exit 1 with the AWS code.
set -u
RECON=${RECON:-build/recon}
RECON_SIM=${RECON_SIM:-build/recon-sim}
if [ ! -x "$RECON_SIM" ]; then
  echo "SKIP: recon-sim not built yet ($RECON_SIM)"
  exit 0
fi
if [ ! -x "$RECON" ]; then
  echo "FAIL: recon not found at $RECON"
  exit 1
fi
work=$(mktemp -d)
sim_pid=
cleanup() {
  [ -n "$sim_pid" ] && kill "$sim_pid" 2>/dev/null && wait "$sim_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

"$RECON_SIM" -listen 127.0.0.1:0 -verify-signature test:testsecret >"$work/sim.out" 2>"$work/sim.err" &
sim_pid=$!
url=
for _ in $(seq 1 100); do
  url=$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$work/sim.out" 2>/dev/null | head -1)
  [ -n "$url" ] && break
  sleep 0.05
done
if [ -z "$url" ]; then
  echo "FAIL: recon-sim did not start"; cat "$work/sim.err"; exit 1
fi

for v in $(env | grep -o '^AWS_[A-Z_]*'); do unset "$v"; done
export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=testsecret AWS_REGION=us-east-1
export AWS_ENDPOINT_URL="$url" AWS_EC2_METADATA_DISABLED=true
export AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null

fails=0
check() { # name, expected exit, grep pattern (stdout+stderr), command...
  local name=$1 want=$2 pat=$3; shift 3
  "$@" >"$work/out" 2>"$work/err"
  local rc=$?
  if [ "$rc" != "$want" ] || ! grep -q -- "$pat" "$work/out" "$work/err"; then
    echo "FAIL: $name (exit $rc, want $want, pattern $pat)"; cat "$work/out" "$work/err" | head -20
    fails=$((fails + 1))
  else
    echo "ok: $name"
  fi
}

check "ec2 DescribeAvailabilityZones" 0 'availabilityZoneInfo' \
  "$RECON" debug aws ec2 DescribeAvailabilityZones
check "sts GetCallerIdentity" 0 '"Account"' "$RECON" debug aws sts GetCallerIdentity
check "ec2 CreateVpc" 0 '"vpcId"' "$RECON" debug aws ec2 CreateVpc CidrBlock=10.42.0.0/16 \
  TagSpecification.1.ResourceType=vpc TagSpecification.1.Tag.1.Key=Name TagSpecification.1.Tag.1.Value=client-test
vpc=$(grep -o '"vpcId": "vpc-[0-9a-f]*"' "$work/out" | head -1 | grep -o 'vpc-[0-9a-f]*')
check "ec2 DescribeVpcs by id" 0 "$vpc" "$RECON" debug aws ec2 DescribeVpcs "VpcId.1=$vpc"
check "ec2 DescribeVpcs by tag filter" 0 "$vpc" "$RECON" debug aws ec2 DescribeVpcs \
  Filter.1.Name=tag:Name Filter.1.Value.1=client-test
check "ec2 error maps to exit 1 with the AWS code" 1 'Error: InvalidVpcID.NotFound' \
  "$RECON" debug aws ec2 DescribeVpcs VpcId.1=vpc-00000000000000000
check "logs CreateLogGroup (JSON 1.1)" 0 '{' "$RECON" debug aws logs CreateLogGroup logGroupName=/ecs/client-test
check "logs DescribeLogGroups" 0 '/ecs/client-test' "$RECON" debug aws logs DescribeLogGroups logGroupNamePrefix=/ecs/
check "logs error" 1 'Error: ResourceNotFoundException' "$RECON" debug aws logs DeleteLogGroup logGroupName=/no/such
check "iam error" 1 'Error: NoSuchEntity' "$RECON" debug aws iam GetRole RoleName=no-such-role-xyz
AWS_SECRET_ACCESS_KEY=wrongsecret check "a bad signature is refused" 1 'Error: ' \
  "$RECON" debug aws sts GetCallerIdentity
if grep -q wrongsecret "$work/out" "$work/err"; then echo "FAIL: secret printed"; fails=$((fails + 1)); fi

echo "aws client vs recon-sim: $fails failure(s)"
[ "$fails" = 0 ]
