#!/bin/bash
# awscli (/usr/bin/aws, an independent client) against recon-sim for the
# services beyond EC2: IAM execution role with the managed policy, log group
# with retention, ALB in two subnets, target group, listener, ECS cluster,
# Fargate task definition with awslogs, a service of 2 behind the target
# group reaching `aws ecs wait services-stable`, an update to image 2.0, a
# deployment of an unhealthy image that the circuit breaker rolls back by
# itself, then everything deleted in reverse; plus S3 put/get with a
# conditional write. Every awscli call must succeed and its answer parse.
set -u
RECON_SIM=${RECON_SIM:-build/recon-sim}
AWS=/usr/bin/aws
if [ ! -x "$RECON_SIM" ]; then echo "SKIP: recon-sim not built ($RECON_SIM)"; exit 0; fi
if [ ! -x "$AWS" ]; then echo "SKIP: $AWS missing"; exit 0; fi
work=$(mktemp -d)
sim_pid=
cleanup() {
  [ -n "$sim_pid" ] && kill "$sim_pid" 2>/dev/null && wait "$sim_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

"$RECON_SIM" -listen 127.0.0.1:0 -unhealthy-image ':bad$' -alb-delay-ms 200 \
  -target-health-ms 200 -target-drain-ms 200 -task-start-ms 300 -task-stop-ms 200 \
  -nat-delay-ms 100 >"$work/sim.out" 2>"$work/sim.err" &
sim_pid=$!
url=
for _ in $(seq 1 100); do
  url=$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$work/sim.out" 2>/dev/null | head -1)
  [ -n "$url" ] && break
  sleep 0.05
done
[ -n "$url" ] || { echo "FAIL: recon-sim did not start"; cat "$work/sim.err"; exit 1; }

for v in $(env | grep -o '^AWS_[A-Z_]*'); do unset "$v"; done
export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=us-east-1
export AWS_EC2_METADATA_DISABLED=true AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null
export AWS_PAGER=""

fail() { echo "FAIL: $*"; exit 1; }
# aws ARGS... : runs awscli with JSON output, which must parse; prints it.
aws() {
  local out
  out=$("$AWS" --endpoint-url "$url" --output json "$@" 2>"$work/err") ||
    fail "aws $* → $(cat "$work/err")"
  if [ -n "$out" ]; then
    printf '%s' "$out" | /usr/bin/python3 -c 'import json,sys; json.load(sys.stdin)' ||
      fail "aws $*: answer does not parse: $out"
  fi
  printf '%s' "$out"
}
# q JSON EXPR : a python expression over the parsed JSON `d`.
q() { printf '%s' "$1" | /usr/bin/python3 -c "import json,sys; d=json.load(sys.stdin); print($2)"; }
expect() { [ "$1" = "$2" ] || fail "$3: got '$1', want '$2'"; }
# aws_fails CODE ARGS... : the call must fail with that AWS error code.
aws_fails() {
  local code=$1; shift
  if "$AWS" --endpoint-url "$url" "$@" >/dev/null 2>"$work/err"; then fail "aws $* succeeded"; fi
  grep -q "($code)" "$work/err" || fail "aws $*: want $code, got $(cat "$work/err")"
}

# --- network (EC2) ---
vpc=$(q "$(aws ec2 create-vpc --cidr-block 10.0.0.0/16)" 'd["Vpc"]["VpcId"]')
pub1=$(q "$(aws ec2 create-subnet --vpc-id "$vpc" --cidr-block 10.0.1.0/24 --availability-zone us-east-1a)" 'd["Subnet"]["SubnetId"]')
pub2=$(q "$(aws ec2 create-subnet --vpc-id "$vpc" --cidr-block 10.0.2.0/24 --availability-zone us-east-1b)" 'd["Subnet"]["SubnetId"]')
priv1=$(q "$(aws ec2 create-subnet --vpc-id "$vpc" --cidr-block 10.0.11.0/24 --availability-zone us-east-1a)" 'd["Subnet"]["SubnetId"]')
priv2=$(q "$(aws ec2 create-subnet --vpc-id "$vpc" --cidr-block 10.0.12.0/24 --availability-zone us-east-1b)" 'd["Subnet"]["SubnetId"]')
alb_sg=$(q "$(aws ec2 create-security-group --vpc-id "$vpc" --group-name alb --description alb)" 'd["GroupId"]')
ecs_sg=$(q "$(aws ec2 create-security-group --vpc-id "$vpc" --group-name ecs --description ecs)" 'd["GroupId"]')

# --- IAM ---
trust='{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole"}]}'
out=$(aws iam create-role --role-name ecsTaskExecutionRole --assume-role-policy-document "$trust")
role_arn=$(q "$out" 'd["Role"]["Arn"]')
expect "$role_arn" "arn:aws:iam::123456789012:role/ecsTaskExecutionRole" "role ARN"
expect "$(q "$out" 'd["Role"]["AssumeRolePolicyDocument"]["Statement"][0]["Action"]')" "sts:AssumeRole" "trust policy round trip"
policy=arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy
aws iam attach-role-policy --role-name ecsTaskExecutionRole --policy-arn "$policy" >/dev/null
out=$(aws iam list-attached-role-policies --role-name ecsTaskExecutionRole)
expect "$(q "$out" 'd["AttachedPolicies"][0]["PolicyArn"]')" "$policy" "attached policy"
aws_fails DeleteConflict iam delete-role --role-name ecsTaskExecutionRole
aws_fails NoSuchEntity iam attach-role-policy --role-name ecsTaskExecutionRole --policy-arn arn:aws:iam::aws:policy/NoSuchPolicy

# --- Logs ---
aws logs create-log-group --log-group-name /ecs/my-app >/dev/null
aws logs put-retention-policy --log-group-name /ecs/my-app --retention-in-days 30 >/dev/null
out=$(aws logs describe-log-groups --log-group-name-prefix /ecs/my-app)
expect "$(q "$out" 'd["logGroups"][0]["retentionInDays"]')" "30" "retention"
aws_fails InvalidParameterException logs put-retention-policy --log-group-name /ecs/my-app --retention-in-days 31

# --- ELBv2 ---
aws_fails ValidationError elbv2 create-load-balancer --name my-alb --subnets "$pub1" --security-groups "$alb_sg"
out=$(aws elbv2 create-load-balancer --name my-alb --subnets "$pub1" "$pub2" --security-groups "$alb_sg")
lb=$(q "$out" 'd["LoadBalancers"][0]["LoadBalancerArn"]')
tg=$(q "$(aws elbv2 create-target-group --name my-tg --protocol HTTP --port 3000 --vpc-id "$vpc" \
  --target-type ip --health-check-path /health)" 'd["TargetGroups"][0]["TargetGroupArn"]')
out=$(aws elbv2 create-listener --load-balancer-arn "$lb" --protocol HTTP --port 80 \
  --default-actions "Type=forward,TargetGroupArn=$tg")
listener=$(q "$out" 'd["Listeners"][0]["ListenerArn"]')
aws_fails ResourceInUse elbv2 delete-target-group --target-group-arn "$tg"
sleep 0.3
expect "$(q "$(aws elbv2 describe-load-balancers --load-balancer-arns "$lb")" 'd["LoadBalancers"][0]["State"]["Code"]')" "active" "ALB state"

# --- ECS ---
aws ecs create-cluster --cluster-name my-cluster --settings name=containerInsights,value=enabled >/dev/null
containers() {
  printf '[{"name":"app","image":"%s","portMappings":[{"containerPort":3000}],"logConfiguration":{"logDriver":"awslogs","options":{"awslogs-group":"/ecs/my-app","awslogs-region":"us-east-1","awslogs-stream-prefix":"app"}}}]' "$1"
}
register() {
  aws ecs register-task-definition --family my-app --requires-compatibilities FARGATE \
    --network-mode awsvpc --cpu 256 --memory 512 --execution-role-arn "$role_arn" \
    --container-definitions "$(containers "$1")"
}
out=$(register my-app:1.0)
td1=$(q "$out" 'd["taskDefinition"]["taskDefinitionArn"]')
expect "$(q "$out" 'd["taskDefinition"]["containerDefinitions"][0]["portMappings"][0]["hostPort"]')" "3000" "hostPort default"
netconf="awsvpcConfiguration={subnets=[$priv1,$priv2],securityGroups=[$ecs_sg],assignPublicIp=DISABLED}"
aws ecs create-service --cluster my-cluster --service-name my-app --task-definition my-app \
  --desired-count 2 --launch-type FARGATE --network-configuration "$netconf" \
  --load-balancers "targetGroupArn=$tg,containerName=app,containerPort=3000" \
  --deployment-configuration 'deploymentCircuitBreaker={enable=true,rollback=true},maximumPercent=200,minimumHealthyPercent=100' \
  --health-check-grace-period-seconds 30 >/dev/null
stable() {
  sleep 1.5 # the engine needs about a second; the waiter then succeeds on its first poll
  "$AWS" --endpoint-url "$url" ecs wait services-stable --cluster my-cluster --services my-app ||
    fail "services-stable ($1)"
}
stable "create"
out=$(aws ecs describe-services --cluster my-cluster --services my-app)
expect "$(q "$out" 'd["services"][0]["runningCount"]')" "2" "running after create"
expect "$(q "$out" 'd["services"][0]["deployments"][0]["rolloutState"]')" "COMPLETED" "first rollout"
out=$(aws elbv2 describe-target-health --target-group-arn "$tg")
expect "$(q "$out" '" ".join(sorted(t["TargetHealth"]["State"] for t in d["TargetHealthDescriptions"]))')" "healthy healthy" "targets"
tasks=$(aws ecs list-tasks --cluster my-cluster --service-name my-app)
out=$(aws ecs describe-tasks --cluster my-cluster --tasks $(q "$tasks" '" ".join(d["taskArns"])'))
expect "$(q "$out" '",".join(sorted(t["lastStatus"] for t in d["tasks"]))')" "RUNNING,RUNNING" "tasks running"
q "$out" 'd["tasks"][0]["attachments"][0]["details"][0]["value"]' | grep -Eq "^($priv1|$priv2)$" ||
  fail "task ENI not in the service's subnets"

td2=$(q "$(register my-app:2.0)" 'd["taskDefinition"]["taskDefinitionArn"]')
aws ecs update-service --cluster my-cluster --service my-app --task-definition "$td2" >/dev/null
stable "update to 2.0"
out=$(aws ecs describe-services --cluster my-cluster --services my-app)
expect "$(q "$out" 'd["services"][0]["taskDefinition"]')" "$td2" "service on 2.0"

td3=$(q "$(register my-app:bad)" 'd["taskDefinition"]["taskDefinitionArn"]')
out=$(aws ecs update-service --cluster my-cluster --service my-app --task-definition "$td3")
bad_id=$(q "$out" 'd["service"]["deployments"][0]["id"]')
sleep 2.5
"$AWS" --endpoint-url "$url" ecs wait services-stable --cluster my-cluster --services my-app ||
  fail "services-stable (rollback)"
out=$(aws ecs describe-services --cluster my-cluster --services my-app)
expect "$(q "$out" 'd["services"][0]["taskDefinition"]')" "$td2" "rolled back to 2.0"
q "$out" '"\n".join(e["message"] for e in d["services"][0]["events"])' >"$work/events"
grep -qF "(service my-app) (deployment $bad_id) deployment failed: tasks failed to start." "$work/events" ||
  fail "no deployment failed event"
grep -q "(service my-app) rolling back to deployment ecs-svc/" "$work/events" || fail "no rollback event"
grep -q "(service my-app) has reached a steady state." "$work/events" || fail "no steady state event"
curl -s "$url/_sim/state" >"$work/state.json"
state=$(cat "$work/state.json")
expect "$(q "$state" "[h for h in d['ecs']['services'][0]['deploymentHistory'] if h['id']=='$bad_id'][0]['rolloutState']")" "FAILED" "bad deployment FAILED"

# --- S3 with a conditional write ---
aws s3api create-bucket --bucket recon-state >/dev/null
printf 'v1' >"$work/v1"
etag=$(q "$(aws s3api put-object --bucket recon-state --key env/state.json --body "$work/v1")" 'd["ETag"]')
expect "$etag" '"'"$(printf v1 | md5sum | cut -c1-32)"'"' "ETag is the MD5"
aws s3api get-object --bucket recon-state --key env/state.json "$work/got" >/dev/null
expect "$(cat "$work/got")" "v1" "object body"
auth="AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=00"
code=$(curl -s -o /dev/null -w '%{http_code}' -X PUT --data-binary v2 -H "Authorization: $auth" \
  -H "x-amz-content-sha256: UNSIGNED-PAYLOAD" -H "If-None-Match: *" "$url/recon-state/env/state.json")
expect "$code" "412" "If-None-Match on an existing key"
code=$(curl -s -o /dev/null -w '%{http_code}' -X PUT --data-binary v1 -H "Authorization: $auth" \
  -H "x-amz-content-sha256: UNSIGNED-PAYLOAD" -H "If-None-Match: *" "$url/recon-state/env/lock")
expect "$code" "200" "If-None-Match on a new key"
aws_fails NoSuchKey s3api get-object --bucket recon-state --key nope "$work/x"
aws s3api delete-object --bucket recon-state --key env/state.json >/dev/null
aws s3api delete-object --bucket recon-state --key env/lock >/dev/null
aws s3api delete-bucket --bucket recon-state >/dev/null

# --- delete everything in reverse ---
aws_fails ClusterContainsServicesException ecs delete-cluster --cluster my-cluster
aws ecs update-service --cluster my-cluster --service my-app --desired-count 0 >/dev/null
aws ecs delete-service --cluster my-cluster --service my-app >/dev/null
sleep 0.5
aws ecs describe-services --cluster my-cluster --services my-app >/dev/null
for td in "$td1" "$td2" "$td3"; do aws ecs deregister-task-definition --task-definition "$td" >/dev/null; done
aws ecs delete-cluster --cluster my-cluster >/dev/null
aws elbv2 delete-listener --listener-arn "$listener" >/dev/null
aws elbv2 delete-target-group --target-group-arn "$tg" >/dev/null
aws elbv2 delete-load-balancer --load-balancer-arn "$lb" >/dev/null
aws logs delete-log-group --log-group-name /ecs/my-app >/dev/null
aws iam detach-role-policy --role-name ecsTaskExecutionRole --policy-arn "$policy" >/dev/null
aws iam delete-role --role-name ecsTaskExecutionRole >/dev/null
for sg in "$alb_sg" "$ecs_sg"; do aws ec2 delete-security-group --group-id "$sg" >/dev/null; done
for s in "$pub1" "$pub2" "$priv1" "$priv2"; do aws ec2 delete-subnet --subnet-id "$s" >/dev/null; done
aws ec2 delete-vpc --vpc-id "$vpc" >/dev/null

# nothing left behind
state=$(curl -s "$url/_sim/state")
left=$(q "$state" 'len(d["iam"]["roles"]) + len(d["logs"]["log_groups"]) + len(d["elasticloadbalancing"]["load_balancers"]) + len(d["elasticloadbalancing"]["target_groups"]) + len([s for s in d["ecs"]["services"] if s["status"] != "INACTIVE"]) + len([t for t in d["ecs"]["tasks"] if t["lastStatus"] != "STOPPED"]) + len(d["s3"]["buckets"])')
expect "$left" "0" "resources left"
calls=$(curl -s "$url/_sim/calls")
expect "$(q "$calls" 'd["ecs.CreateService"]')" "1" "CreateService calls"
echo "PASS"
