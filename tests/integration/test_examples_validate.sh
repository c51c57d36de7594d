#!/bin/bash
# Every module and example is valid and formatted:
#  - `recon validate` succeeds on each example and on each module (given its
#    required variables), `recon fmt -check -recursive` passes on modules/
#    and examples/;
#  - the modules' validation blocks reject what they should (bad NAT mode,
#    cpu/memory pair Fargate does not offer, one-subnet ALB, bad image tag);
#  - every variable and output has a description and every module a README;
#  - the CI workflow is valid YAML with the documented triggers (when python3
#    has yaml);
#  - when terraform and the AWS provider are installed locally (no network
#    is used), `terraform validate` accepts the same files: no recon-only
#    syntax.
set -u
cd "${RECON_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}" || exit 1
RECON=${RECON:-$PWD/build/recon}
fail() { echo "FAIL: $*"; exit 1; }
ok=0

valid() { # valid DIR [ARGS...]: recon validate succeeds
  local d=$1; shift
  local out
  out=$("$RECON" -chdir="$d" validate -no-color "$@" 2>&1) || fail "validate $d exited $?: $out"
  [[ "$out" == *"Success! The configuration is valid."* ]] || fail "validate $d said: $out"
  ok=$((ok + 1))
}
invalid() { # invalid DIR MESSAGE [ARGS...]: recon validate fails naming MESSAGE
  local d=$1 msg=$2; shift 2
  local out
  if out=$("$RECON" -chdir="$d" validate -no-color "$@" 2>&1); then
    fail "validate $d $* succeeded; expected: $msg"
  fi
  [[ "$out" == *"$msg"* ]] || fail "validate $d $*: expected \"$msg\" in: $out"
  ok=$((ok + 1))
}

# --- examples: every variable has a default ---
for d in examples/*/; do
  ls "$d"*.tf >/dev/null 2>&1 || continue
  valid "${d%/}"
done

# --- modules, given their required variables ---
VPC=(-var name=demo)
SEC=(-var name=demo -var vpc_id=vpc-0123456789abcdef0 -var container_port=3000)
ALB=(-var name=demo -var vpc_id=vpc-0123456789abcdef0 -var 'subnet_ids=["subnet-1","subnet-2"]'
     -var 'security_group_ids=["sg-1"]' -var container_port=3000)
ECS=(-var name=demo -var region=us-east-1 -var image_repository=example.com/demo -var image_tag=1.0
     -var container_port=3000 -var 'subnet_ids=["subnet-1"]' -var 'security_group_ids=["sg-1"]'
     -var target_group_arn=arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/demo-tg/0123456789abcdef)
valid modules/vpc "${VPC[@]}"
valid modules/vpc "${VPC[@]}" -var nat=per_az -var az_count=3
valid modules/vpc "${VPC[@]}" -var nat=none -var 'azs=["us-east-1a","us-east-1b"]'
valid modules/security "${SEC[@]}"
valid modules/alb "${ALB[@]}"
valid modules/alb "${ALB[@]}" -var certificate_arn=arn:aws:acm:us-east-1:123456789012:certificate/abc \
  -var access_logs_bucket=logs
valid modules/ecs "${ECS[@]}"
valid modules/ecs "${ECS[@]}" -var cpu=1024 -var memory=8192 -var container_insights=true \
  -var 'secrets={DB_PASSWORD="arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf",API_KEY="arn:aws:ssm:us-east-1:123456789012:parameter/api-key"}' \
  -var 'task_role_policy_json={"Version":"2012-10-17","Statement":[]}' -var 'health_check_command=["CMD","/bin/true"]'

# --- the validation blocks bite ---
invalid modules/vpc 'The nat must be one of' "${VPC[@]}" -var nat=double
invalid modules/vpc 'valid IPv4 CIDR block' "${VPC[@]}" -var cidr_block=10.0.0.0/33
invalid modules/security 'valid IPv4 CIDR block' "${SEC[@]}" -var 'ingress_cidr_blocks=["everywhere"]'
invalid modules/alb 'at least two availability zones' "${ALB[@]}" -var 'subnet_ids=["subnet-1"]'
invalid modules/alb 'ACM certificate ARN' "${ALB[@]}" -var certificate_arn=mycert
invalid modules/ecs 'cpu/memory pair' "${ECS[@]}" -var cpu=256 -var memory=4096
invalid modules/ecs 'cpu/memory pair' "${ECS[@]}" -var cpu=4096 -var memory=8000
invalid modules/ecs "Fargate's sizes" "${ECS[@]}" -var cpu=300
invalid modules/ecs 'valid Docker tag' "${ECS[@]}" -var 'image_tag=-bad'
invalid modules/ecs 'log_retention_days' "${ECS[@]}" -var log_retention_days=10
invalid modules/ecs 'Secrets Manager secret ARN' "${ECS[@]}" -var 'secrets={X="plain"}'
invalid modules/ecs 'without a tag' "${ECS[@]}" -var image_repository=repo:1.0
invalid examples/ecs-fargate 'cpu/memory pair' -var memory=300

# --- formatting ---
out=$("$RECON" fmt -check -recursive -no-color modules examples 2>&1) || fail "fmt -check: $out"
ok=$((ok + 1))

# --- documentation: READMEs, descriptions on every variable and output ---
for m in modules/*/ examples/ecs-fargate/ examples/existing-vpc/; do
  [[ -s ${m}README.md ]] || fail "${m}README.md is missing"
done
for f in modules/*/variables.tf modules/*/outputs.tf examples/*/variables.tf examples/*/outputs.tf; do
  missing=$(awk '/^(variable|output) "/ { if (name != "" && !d) print name; name = $2; d = 0 }
                 /^  description *=/ { d = 1 }
                 END { if (name != "" && !d) print name }' "$f")
  [[ -z $missing ]] || fail "$f: no description for $missing"
done
for f in modules/*/variables.tf; do
  nv=$(grep -c '^variable "' "$f"); nt=$(grep -c '^  type *=' "$f")
  [[ $nv == "$nt" ]] || fail "$f: $nv variables but $nt types"
  grep -q '^  validation {' "$f" || fail "$f has no validation block"
done
ok=$((ok + 1))

# --- the CI workflow is YAML with the documented shape ---
if /usr/bin/python3 -c 'import yaml' 2>/dev/null; then
  /usr/bin/python3 - examples/ci/github-actions.yml <<'EOF' || fail "examples/ci/github-actions.yml"
import sys, yaml
d = yaml.safe_load(open(sys.argv[1]))
on = d.get("on", d.get(True))
assert "pull_request" in on, "no pull_request trigger"
inp = on["workflow_dispatch"]["inputs"]
assert inp["action"]["type"] == "choice" and inp["action"]["options"] == ["update", "rollback"], inp
assert "image_tag" in inp
assert d["permissions"]["id-token"] == "write"
text = open(sys.argv[1]).read()
for s in ("-detailed-exitcode", "-out plan.bin", "show -json plan.bin", "GITHUB_STEP_SUMMARY",
          "aws-actions/configure-aws-credentials@v4", "role-to-assume", "aws-region",
          "refs/heads/main", "apply -auto-approve"):
    assert s in text, s
assert "refs/heads/main" in d["jobs"]["apply"]["if"]
EOF
  ok=$((ok + 1))
fi

# --- the same files under terraform validate, when it can run offline ---
TF=$(command -v terraform || true)
PLUGINS=${TF_PLUGIN_DIR:-/opt/tf-plugins}
if [[ -n $TF && -d $PLUGINS/registry.terraform.io/hashicorp/aws ]]; then
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  mkdir -p "$tmp/examples"
  cp -R modules "$tmp/modules"
  cp -R examples/ecs-fargate examples/existing-vpc "$tmp/examples/"
  : >"$tmp/tfrc"
  # the examples call all four modules: validating them validates the modules too
  for d in "$tmp"/examples/*; do
    out=$(cd "$d" && CHECKPOINT_DISABLE=1 TF_CLI_CONFIG_FILE="$tmp/tfrc" TF_IN_AUTOMATION=1 \
          "$TF" init -backend=false -input=false -no-color -plugin-dir="$PLUGINS" 2>&1 &&
          CHECKPOINT_DISABLE=1 TF_CLI_CONFIG_FILE="$tmp/tfrc" "$TF" validate -no-color 2>&1) ||
      fail "terraform validate ${d#"$tmp"/}: $out"
    [[ "$out" == *"Success! The configuration is valid."* ]] || fail "terraform validate ${d#"$tmp"/}: $out"
  done
  echo "terraform validate: ok ($(TF_CLI_CONFIG_FILE="$tmp/tfrc" "$TF" version | head -1))"
else
  echo "terraform validate: skipped (no terraform or no AWS provider in $PLUGINS)"
fi

echo "ok: $ok checks on modules and examples"
