#!/bin/bash
# recon validate and recon graph on examples/ecs-fargate: validate succeeds;
# the DOT graph has an edge from every ECS service instance to its target
# group and from every subnet instance to its VPC.
set -u
cd "${RECON_SOURCE_DIR:-$(dirname "$0")/../..}"
RECON=${RECON:-build/recon}
fail() { echo "FAIL: $*"; exit 1; }

out=$("$RECON" -chdir=examples/ecs-fargate validate -no-color) || fail "validate exited $?: $out"
[[ "$out" == *"Success! The configuration is valid."* ]] || fail "validate said: $out"

dot=$("$RECON" -chdir=examples/ecs-fargate graph) || fail "graph exited $?"
[[ "$(head -1 <<<"$dot")" == "digraph {" ]] || fail "graph does not start with digraph {"
[[ "$(tail -1 <<<"$dot")" == "}" ]] || fail "graph does not end with }"

nodes=$(grep -o '^  "[^"]*\(\\"[^"]*\\"[^"]*\)*" \[label=' <<<"$dot" | sed 's/^  "//; s/" \[label=$//')
services=$(grep 'aws_ecs_service\.' <<<"$nodes")
subnets=$(grep 'aws_subnet\.' <<<"$nodes")
[[ -n "$services" ]] || fail "no aws_ecs_service instance in the graph"
[[ $(wc -l <<<"$subnets") -ge 4 ]] || fail "expected 4 subnet instances, got: $subnets"
while read -r s; do
  grep -qF "\"$s\" -> \"" <<<"$dot" || fail "no edges from $s"
  grep -F "\"$s\" -> " <<<"$dot" | grep -q 'aws_lb_target_group\.' || fail "$s has no edge to a target group"
done <<<"$services"
while read -r s; do
  grep -F "\"$s\" -> " <<<"$dot" | grep -q 'aws_vpc\.' || fail "$s has no edge to a VPC"
done <<<"$subnets"

# variables change the graph: three AZs give three public and three private subnets
dot1=$("$RECON" -chdir=examples/ecs-fargate graph -var 'azs=["us-east-1a","us-east-1b","us-east-1c"]') ||
  fail "graph -var exited $?"
n=$(grep -c 'aws_subnet\.[a-z]*\[[0-9]\]" \[label' <<<"$dot1")
[[ "$n" == 6 ]] || fail "with three AZs expected 6 subnets, got $n"
echo "ok: validate and graph"
