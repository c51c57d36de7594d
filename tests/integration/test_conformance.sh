#!/bin/bash
# Terraform conformance corpus: every case under tests/data/conformance/
# (idioms of terraform-aws-modules and cloudposse modules, JSON syntax,
# Terraform's diagnostics) must validate, or fail with the expected first
# error (expected.txt). Passing cases must also be `fmt -check` clean and
# print a graph. A case whose only errors are unregistered resource types
# from recon's supported list is reported PENDING, not failed.
set -u
cd "${RECON_SOURCE_DIR:-$(dirname "$0")/../..}"
RECON=${RECON:-build/recon}
[[ "$RECON" = /* ]] || RECON="$PWD/$RECON"
DIR=tests/data/conformance
SUPPORTED=" aws_vpc aws_subnet aws_internet_gateway aws_eip aws_nat_gateway aws_route_table aws_route
 aws_route_table_association aws_security_group aws_vpc_security_group_ingress_rule
 aws_vpc_security_group_egress_rule aws_security_group_rule aws_lb aws_alb aws_lb_target_group
 aws_lb_listener aws_lb_listener_rule aws_iam_role aws_iam_role_policy aws_iam_role_policy_attachment
 aws_cloudwatch_log_group aws_ecs_cluster aws_ecs_cluster_capacity_providers aws_ecs_task_definition
 aws_ecs_service aws_availability_zones aws_region aws_caller_identity aws_iam_policy_document
 aws_subnets "
SUPPORTED=" $(tr -s ' \n' '  ' <<<"$SUPPORTED") "
fails=0 ran=0 pending=0

# true when every error is an unregistered type from the supported list
only_pending() {
  local out=$1 n_err n_type t
  n_err=$(grep -c '^Error: ' <<<"$out")
  n_type=$(grep -cE '^Error: Invalid (resource type|data source)$' <<<"$out")
  ((n_err > 0 && n_err == n_type)) || return 1
  while read -r t; do
    [[ "$SUPPORTED" == *" $t "* ]] || return 1
  done < <(grep -oE 'recon does not support (the resource type|the data source) "[a-z0-9_]+"' <<<"$out" |
    grep -oE '"[a-z0-9_]+"' | tr -d '"')
}

while IFS= read -r line; do
  [[ -z "$line" || "$line" == \#* ]] && continue
  name=${line%%: *}
  want=${line#*: }
  ran=$((ran + 1))
  if [[ ! -d "$DIR/$name" ]]; then echo "FAIL $name: no such case"; fails=$((fails + 1)); continue; fi
  out=$(cd "$DIR/$name" && timeout 20 "$RECON" validate -no-color 2>&1)
  rc=$?
  if ((rc >= 124)); then echo "FAIL $name: exit $rc (crash or timeout)"; fails=$((fails + 1)); continue; fi
  if [[ "$want" == ok ]]; then
    if ((rc != 0)); then
      if only_pending "$out"; then
        echo "PENDING $name: $(grep -oE '"aws_[a-z0-9_]+"' <<<"$out" | sort -u | tr '\n' ' ')not registered yet"
        pending=$((pending + 1)); continue
      fi
      echo "FAIL $name: validate exited $rc:"; sed 's/^/    /' <<<"$out" | head -40
      fails=$((fails + 1)); continue
    fi
    if ! (cd "$DIR/$name" && "$RECON" fmt -check -recursive >/dev/null); then
      echo "FAIL $name: fmt -check wants changes"; fails=$((fails + 1)); continue
    fi
    g=$(cd "$DIR/$name" && "$RECON" graph -no-color 2>&1)
    if [[ "$g" != digraph* ]]; then
      echo "FAIL $name: graph: $(head -3 <<<"$g")"; fails=$((fails + 1)); continue
    fi
  else
    first=$(grep -m1 '^Error: ' <<<"$out")
    if ((rc != 1)) || [[ "$first" != "$want" ]]; then
      echo "FAIL $name: exit $rc, first error \"$first\", want \"$want\""; fails=$((fails + 1)); continue
    fi
  fi
done <"$DIR/expected.txt"

# every case directory is listed
for d in "$DIR"/*/; do
  n=$(basename "$d")
  grep -q "^$n: " "$DIR/expected.txt" || { echo "FAIL $n: not in expected.txt"; fails=$((fails + 1)); }
done
echo "conformance: $ran cases, $fails failed, $pending pending"
((fails == 0))
