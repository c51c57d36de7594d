#!/bin/bash
# recon-sim -state across a restart, for every service: a network, an ALB
# with a listener, a target group, an IAM role, a log group and an ECS
# service are created (curl, fast), recon-sim is stopped with SIGTERM and
# started again on the same file; awscli then describes the ALB, the target
# group (with its registered task targets), the ECS service (deployment
# COMPLETED, 2 running) and the rest, and the resumed world keeps working:
# an update of the service rolls out to completion.
set -euo pipefail
SIM=${RECON_SIM:-build/recon-sim}
AWS=/usr/bin/aws
export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_PAGER="" AWS_CONFIG_FILE=/dev/null
export AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_MAX_ATTEMPTS=1 AWS_DEFAULT_REGION=us-east-1
tmp=$(mktemp -d)
pid=
stop() { if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; pid=; fi; }
trap 'stop; rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

FLAGS=(-alb-delay-ms 100 -task-start-ms 100 -task-stop-ms 50 -target-health-ms 100
       -target-drain-ms 50 -seed 7 -state "$tmp/state.json")
start() {
  : >"$tmp/out"
  "$SIM" -listen 127.0.0.1:0 "${FLAGS[@]}" >"$tmp/out" 2>"$tmp/err" &
  pid=$!
  for _ in $(seq 1 100); do [ -s "$tmp/out" ] && break; sleep 0.05; done
  line=$(head -n1 "$tmp/out")
  [[ "$line" =~ ^recon-sim\ listening\ on\ (http://127\.0\.0\.1:[0-9]+)$ ]] || fail "first line '$line'"
  EP=${BASH_REMATCH[1]}
}
auth() { echo "Authorization: AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/$1/aws4_request, SignedHeaders=host, Signature=00"; }
q() { # service form → XML answer; fails on non-200
  curl -sf -H "$(auth "$1")" --data "$2" "$EP/" || fail "$1 $2"
}
x() { sed -n "s/.*<$1>\([^<]*\)<\/$1>.*/\1/p" | head -n1; }
j() { # service target-prefix.op body
  curl -sf -H "$(auth "$1")" -H "X-Amz-Target: $2" -H 'Content-Type: application/x-amz-json-1.1' \
    --data "$3" "$EP/" || fail "$2 $3"
}
E="Version=2016-11-15"
ECS=AmazonEC2ContainerServiceV20141113
aws_() { "$AWS" --endpoint-url "$EP" "$@"; }
py() { /usr/bin/python3 -c "import json,sys; d=json.load(sys.stdin); $1"; }

start
vpc=$(q ec2 "Action=CreateVpc&CidrBlock=10.0.0.0%2F16&$E" | x vpcId)
s1=$(q ec2 "Action=CreateSubnet&VpcId=$vpc&CidrBlock=10.0.1.0%2F24&AvailabilityZone=us-east-1a&$E" | x subnetId)
s2=$(q ec2 "Action=CreateSubnet&VpcId=$vpc&CidrBlock=10.0.2.0%2F24&AvailabilityZone=us-east-1b&$E" | x subnetId)
sg=$(q ec2 "Action=CreateSecurityGroup&VpcId=$vpc&GroupName=app&GroupDescription=app&$E" | x groupId)
V="Version=2015-12-01"
lb=$(q elasticloadbalancing "Action=CreateLoadBalancer&Name=my-alb&Subnets.member.1=$s1&Subnets.member.2=$s2&SecurityGroups.member.1=$sg&Tags.member.1.Key=app&Tags.member.1.Value=demo&$V" | x LoadBalancerArn)
tg=$(q elasticloadbalancing "Action=CreateTargetGroup&Name=my-tg&Protocol=HTTP&Port=3000&VpcId=$vpc&TargetType=ip&HealthCheckPath=%2Fhealth&$V" | x TargetGroupArn)
q elasticloadbalancing "Action=ModifyTargetGroupAttributes&TargetGroupArn=$tg&Attributes.member.1.Key=deregistration_delay.timeout_seconds&Attributes.member.1.Value=30&$V" >/dev/null
ls=$(q elasticloadbalancing "Action=CreateListener&LoadBalancerArn=$lb&Port=80&Protocol=HTTP&DefaultActions.member.1.Type=forward&DefaultActions.member.1.TargetGroupArn=$tg&$V" | x ListenerArn)
q elasticloadbalancing "Action=CreateRule&ListenerArn=$ls&Priority=5&Conditions.member.1.Field=path-pattern&Conditions.member.1.Values.member.1=%2Fapi%2F*&Actions.member.1.Type=forward&Actions.member.1.TargetGroupArn=$tg&$V" >/dev/null
trust='%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%5D%7D'
q iam "Action=CreateRole&RoleName=exec&AssumeRolePolicyDocument=$trust&Version=2010-05-08" >/dev/null
j logs Logs_20140328.CreateLogGroup '{"logGroupName":"/ecs/my-app"}' >/dev/null
j ecs $ECS.CreateCluster '{"clusterName":"c","settings":[{"name":"containerInsights","value":"enabled"}]}' >/dev/null
for tag in 1.0 2.0; do
  j ecs $ECS.RegisterTaskDefinition '{"family":"my-app","requiresCompatibilities":["FARGATE"],"networkMode":"awsvpc","cpu":"256","memory":"512","executionRoleArn":"arn:aws:iam::123456789012:role/exec","containerDefinitions":[{"name":"app","image":"app:'$tag'","portMappings":[{"containerPort":3000}]}]}' >/dev/null
done
j ecs $ECS.CreateService '{"cluster":"c","serviceName":"web","taskDefinition":"my-app:1","desiredCount":2,"launchType":"FARGATE","networkConfiguration":{"awsvpcConfiguration":{"subnets":["'$s1'","'$s2'"],"securityGroups":["'$sg'"]}},"loadBalancers":[{"targetGroupArn":"'$tg'","containerName":"app","containerPort":3000}],"tags":[{"key":"k","value":"v"}]}' >/dev/null
# let the first deployment finish before the stop
for _ in $(seq 1 50); do
  st=$(j ecs $ECS.DescribeServices '{"cluster":"c","services":["web"]}' | py 'print(d["services"][0]["deployments"][0]["rolloutState"])')
  [ "$st" = COMPLETED ] && break
  sleep 0.1
done
[ "$st" = COMPLETED ] || fail "first deployment did not complete before the restart"
curl -sf "$EP/_sim/state" >"$tmp/before.json"
kill -TERM "$pid"; wait "$pid" || fail "exit status after SIGTERM"; pid=
[ -s "$tmp/state.json" ] || fail "no state file after SIGTERM"

start
curl -sf "$EP/_sim/state" >"$tmp/after.json"
/usr/bin/python3 - "$tmp/before.json" "$tmp/after.json" <<'EOF' || fail "state differs after the restart"
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
for svc in ("ec2", "elasticloadbalancing", "ecs", "iam", "logs"):
    if a[svc] != b[svc]:
        print("differs:", svc); sys.exit(1)
EOF
# awscli describes what was there
out=$(aws_ elbv2 describe-load-balancers --names my-alb)
echo "$out" | py 'lb=d["LoadBalancers"][0]; assert lb["State"]["Code"]=="active", lb; assert len(lb["AvailabilityZones"])==2' || fail "ALB after restart: $out"
[ "$(aws_ elbv2 describe-tags --resource-arns "$lb" --query 'TagDescriptions[0].Tags[0].Value' --output text)" = demo ] || fail "ALB tags"
out=$(aws_ elbv2 describe-target-groups --names my-tg)
echo "$out" | py 'tg=d["TargetGroups"][0]; assert tg["HealthCheckPath"]=="/health"; assert tg["LoadBalancerArns"]==["'"$lb"'"], tg' || fail "TG after restart: $out"
[ "$(aws_ elbv2 describe-target-group-attributes --target-group-arn "$tg" --query "Attributes[?Key=='deregistration_delay.timeout_seconds'].Value" --output text)" = 30 ] || fail "TG attributes"
out=$(aws_ elbv2 describe-target-health --target-group-arn "$tg")
echo "$out" | py 'h=[t["TargetHealth"]["State"] for t in d["TargetHealthDescriptions"]]; assert h==["healthy","healthy"], h' || fail "targets after restart: $out"
[ "$(aws_ elbv2 describe-rules --listener-arn "$ls" --query 'length(Rules)')" = 2 ] || fail "rules after restart"
out=$(aws_ ecs describe-services --cluster c --services web --include TAGS)
echo "$out" | py 's=d["services"][0]; assert s["status"]=="ACTIVE" and s["runningCount"]==2, s; assert s["deployments"][0]["rolloutState"]=="COMPLETED"; assert s["tags"]==[{"key":"k","value":"v"}]; assert s["events"]' || fail "service after restart: $out"
[ "$(aws_ ecs list-task-definitions --family-prefix my-app --query 'length(taskDefinitionArns)')" = 2 ] || fail "task definition revisions"
[ "$(aws_ ecs describe-clusters --clusters c --query 'clusters[0].settings[0].value' --output text)" = enabled ] || fail "cluster settings"
[ "$(aws_ iam get-role --role-name exec --query Role.RoleName --output text)" = exec ] || fail "role"
[ "$(aws_ logs describe-log-groups --query 'logGroups[0].logGroupName' --output text)" = /ecs/my-app ] || fail "log group"
# and the resumed engine rolls out an update
aws_ ecs update-service --cluster c --service web --task-definition my-app:2 >/dev/null
aws_ ecs wait services-stable --cluster c --services web || fail "update after restart never stable"
[ "$(aws_ ecs describe-services --cluster c --services web --query 'services[0].taskDefinition' --output text)" = arn:aws:ecs:us-east-1:123456789012:task-definition/my-app:2 ] || fail "update"
echo "ok: recon-sim -state restart keeps every service"
