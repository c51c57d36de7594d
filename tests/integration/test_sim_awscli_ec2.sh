#!/bin/bash
# awscli (an independent client) against recon-sim: the network half of the
# reference stack, created, described with filters, refused where AWS refuses,
# and deleted in reverse; /_sim/state must hold none of it at the end.
set -euo pipefail

SIM=${RECON_SIM:-build/recon-sim}
AWS=/usr/bin/aws
PY=/usr/bin/python3
export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_PAGER="" AWS_CONFIG_FILE=/dev/null
export AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_DEFAULT_OUTPUT=json
unset AWS_PROFILE AWS_SESSION_TOKEN || true

tmp=$(mktemp -d)
sim_pid=
cleanup() {
  if [ -n "$sim_pid" ]; then kill "$sim_pid" 2>/dev/null || true; wait "$sim_pid" 2>/dev/null || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT

"$SIM" -listen 127.0.0.1:0 -seed 7 -nat-delay-ms 0 -nat-delete-ms 0 >"$tmp/out" 2>"$tmp/err" &
sim_pid=$!
for _ in $(seq 1 100); do
  [ -s "$tmp/out" ] && break
  sleep 0.05
done
line=$(head -n1 "$tmp/out")
case "$line" in
  "recon-sim listening on http://127.0.0.1:"*) ;;
  *) echo "FAIL: unexpected first line: '$line'"; cat "$tmp/err"; exit 1 ;;
esac
port=${line##*:}
EP="http://127.0.0.1:$port"
ec2() { "$AWS" --endpoint-url "$EP" --region us-east-1 ec2 "$@"; }
fail() { echo "FAIL: $*"; exit 1; }
# j FILE EXPR: evaluates a python expression on the JSON document d
j() { "$PY" -c 'import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"; }
eq() { [ "$1" = "$2" ] || fail "$3: got '$1', want '$2'"; }

# --- VPC ---
ec2 create-vpc --cidr-block 10.0.0.0/16 \
  --tag-specifications 'ResourceType=vpc,Tags=[{Key=Name,Value=demo},{Key=recon:stack,Value=t1}]' >"$tmp/vpc.json"
vpc=$(j "$tmp/vpc.json" 'd["Vpc"]["VpcId"]')
case "$vpc" in vpc-?????????????????) ;; *) fail "vpc id shape: $vpc" ;; esac
eq "$(j "$tmp/vpc.json" 'd["Vpc"]["CidrBlock"]')" 10.0.0.0/16 "vpc cidr"
ec2 modify-vpc-attribute --vpc-id "$vpc" --enable-dns-hostnames '{"Value":true}'
eq "$(ec2 describe-vpc-attribute --vpc-id "$vpc" --attribute enableDnsHostnames \
      --query EnableDnsHostnames.Value --output text)" True "dns hostnames"
ec2 describe-vpcs --filters Name=tag:Name,Values=demo >"$tmp/d.json"
eq "$(j "$tmp/d.json" 'len(d["Vpcs"])')" 1 "vpc by tag"
eq "$(j "$tmp/d.json" '{t["Key"]:t["Value"] for t in d["Vpcs"][0]["Tags"]}["recon:stack"]')" t1 "vpc tag"
eq "$(ec2 describe-vpcs --filters Name=tag:Name,Values=nope --query 'length(Vpcs)')" 0 "no vpc"
if ec2 describe-vpcs --vpc-ids vpc-00000000000000000 2>"$tmp/e"; then fail "describe unknown vpc"; fi
grep -q "InvalidVpcID.NotFound" "$tmp/e" || fail "unknown vpc error: $(cat "$tmp/e")"

# --- AZs ---
ec2 describe-availability-zones >"$tmp/az.json"
az1=$(j "$tmp/az.json" 'd["AvailabilityZones"][0]["ZoneName"]')
az2=$(j "$tmp/az.json" 'd["AvailabilityZones"][1]["ZoneName"]')
eq "$az1" us-east-1a "first az"
[ "$(j "$tmp/az.json" 'len(d["AvailabilityZones"])')" -ge 3 ] || fail "at least 3 AZs"

# --- subnets ---
mk_subnet() { # cidr az name tier
  ec2 create-subnet --vpc-id "$vpc" --cidr-block "$1" --availability-zone "$2" \
    --tag-specifications "ResourceType=subnet,Tags=[{Key=Name,Value=$3},{Key=tier,Value=$4}]" \
    --query Subnet.SubnetId --output text
}
pub1=$(mk_subnet 10.0.0.0/24 "$az1" pub-a public)
pub2=$(mk_subnet 10.0.1.0/24 "$az2" pub-b public)
prv1=$(mk_subnet 10.0.10.0/24 "$az1" prv-a private)
prv2=$(mk_subnet 10.0.11.0/24 "$az2" prv-b private)
for s in $pub1 $pub2; do ec2 modify-subnet-attribute --subnet-id "$s" --map-public-ip-on-launch; done
if ec2 create-subnet --vpc-id "$vpc" --cidr-block 10.0.0.128/25 2>"$tmp/e" >/dev/null; then fail "overlap accepted"; fi
grep -q "InvalidSubnet.Conflict" "$tmp/e" || fail "overlap error: $(cat "$tmp/e")"
if ec2 create-subnet --vpc-id "$vpc" --cidr-block 10.1.0.0/24 2>"$tmp/e" >/dev/null; then fail "out of range accepted"; fi
grep -q "InvalidSubnet.Range" "$tmp/e" || fail "range error: $(cat "$tmp/e")"
ec2 describe-subnets --filters Name=vpc-id,Values="$vpc" Name=tag:tier,Values=public >"$tmp/d.json"
eq "$(j "$tmp/d.json" 'sorted(s["SubnetId"] for s in d["Subnets"]) == sorted(["'$pub1'","'$pub2'"])')" True "public subnets"
eq "$(j "$tmp/d.json" 'all(s["MapPublicIpOnLaunch"] for s in d["Subnets"])')" True "map public ip"
eq "$(ec2 describe-subnets --subnet-ids "$prv2" --query 'Subnets[0].[AvailabilityZone,CidrBlock,VpcId]' --output text)" \
   "$az2	10.0.11.0/24	$vpc" "private subnet fields"
eq "$(ec2 describe-subnets --filters Name=availability-zone,Values="$az1" Name=vpc-id,Values="$vpc" --query 'length(Subnets)')" 2 "subnets in az1"
# pagination: 4 subnets, pages of 5 → awscli follows NextToken; MaxResults out of range refused
eq "$(ec2 describe-subnets --filters Name=vpc-id,Values="$vpc" --page-size 5 --query 'length(Subnets)')" 4 "paged subnets"
# awscli validates MaxResults itself, so send the out-of-range value raw
AUTHZ='AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/ec2/aws4_request, SignedHeaders=host;x-amz-date, Signature=00'
code=$(curl -s -o "$tmp/e" -w '%{http_code}' -H "Authorization: $AUTHZ" -H 'X-Amz-Date: 20260101T000000Z' \
       --data 'Action=DescribeSubnets&Version=2016-11-15&MaxResults=3' "$EP/")
eq "$code" 400 "MaxResults=3 status"
grep -q "<Code>InvalidParameterValue</Code>" "$tmp/e" || fail "MaxResults error: $(cat "$tmp/e")"
# unsigned requests are refused as AWS refuses them
code=$(curl -s -o "$tmp/e" -w '%{http_code}' --data 'Action=DescribeVpcs&Version=2016-11-15' "$EP/")
eq "$code" 403 "unsigned status"
grep -q "MissingAuthenticationToken" "$tmp/e" || fail "unsigned error: $(cat "$tmp/e")"

# --- internet gateway ---
igw=$(ec2 create-internet-gateway --tag-specifications 'ResourceType=internet-gateway,Tags=[{Key=Name,Value=demo-igw}]' \
      --query InternetGateway.InternetGatewayId --output text)
ec2 attach-internet-gateway --internet-gateway-id "$igw" --vpc-id "$vpc"
if ec2 attach-internet-gateway --internet-gateway-id "$igw" --vpc-id "$vpc" 2>"$tmp/e"; then fail "double attach"; fi
grep -q "Resource.AlreadyAssociated" "$tmp/e" || fail "double attach error: $(cat "$tmp/e")"
eq "$(ec2 describe-internet-gateways --filters Name=attachment.vpc-id,Values="$vpc" \
      --query 'InternetGateways[0].[InternetGatewayId,Attachments[0].State]' --output text)" "$igw	available" "igw attachment"

# --- EIP + NAT ---
alloc=$(ec2 allocate-address --domain vpc --tag-specifications 'ResourceType=elastic-ip,Tags=[{Key=Name,Value=nat-eip}]' \
        --query AllocationId --output text)
ec2 create-nat-gateway --subnet-id "$pub1" --allocation-id "$alloc" --client-token tok-1 \
  --tag-specifications 'ResourceType=natgateway,Tags=[{Key=Name,Value=demo-nat}]' >"$tmp/nat.json"
nat=$(j "$tmp/nat.json" 'd["NatGateway"]["NatGatewayId"]')
eq "$(j "$tmp/nat.json" 'd["NatGateway"]["State"]')" pending "nat starts pending"
nat2=$(ec2 create-nat-gateway --subnet-id "$pub1" --allocation-id "$alloc" --client-token tok-1 \
       --query NatGateway.NatGatewayId --output text)
eq "$nat2" "$nat" "client token idempotency"
if ec2 release-address --allocation-id "$alloc" 2>"$tmp/e"; then fail "released an EIP in use"; fi
grep -q "InvalidIPAddress.InUse" "$tmp/e" || fail "eip in use error: $(cat "$tmp/e")"
ec2 wait nat-gateway-available --nat-gateway-ids "$nat"
ec2 describe-nat-gateways --filter Name=vpc-id,Values="$vpc" Name=state,Values=available >"$tmp/d.json"
eq "$(j "$tmp/d.json" 'd["NatGateways"][0]["NatGatewayId"]')" "$nat" "nat by filter"
eq "$(j "$tmp/d.json" 'd["NatGateways"][0]["NatGatewayAddresses"][0]["AllocationId"]')" "$alloc" "nat eip"
eq "$(ec2 describe-addresses --allocation-ids "$alloc" --query 'Addresses[0].NetworkInterfaceId!=`null`')" true "eip associated"
eq "$(ec2 describe-network-interfaces --filters Name=subnet-id,Values="$pub1" --query 'NetworkInterfaces[0].InterfaceType' --output text)" \
   nat_gateway "nat eni"

# --- route tables ---
eq "$(ec2 describe-route-tables --filters Name=vpc-id,Values="$vpc" Name=association.main,Values=true \
      --query 'RouteTables[0].Routes[0].[DestinationCidrBlock,GatewayId]' --output text)" "10.0.0.0/16	local" "main table"
rt_pub=$(ec2 create-route-table --vpc-id "$vpc" --tag-specifications 'ResourceType=route-table,Tags=[{Key=Name,Value=public}]' \
         --query RouteTable.RouteTableId --output text)
rt_prv=$(ec2 create-route-table --vpc-id "$vpc" --tag-specifications 'ResourceType=route-table,Tags=[{Key=Name,Value=private}]' \
         --query RouteTable.RouteTableId --output text)
ec2 create-route --route-table-id "$rt_pub" --destination-cidr-block 0.0.0.0/0 --gateway-id "$igw" >/dev/null
ec2 create-route --route-table-id "$rt_prv" --destination-cidr-block 0.0.0.0/0 --nat-gateway-id "$nat" >/dev/null
if ec2 create-route --route-table-id "$rt_pub" --destination-cidr-block 0.0.0.0/0 --gateway-id "$igw" 2>"$tmp/e"; then
  fail "duplicate route"; fi
grep -q "RouteAlreadyExists" "$tmp/e" || fail "duplicate route error: $(cat "$tmp/e")"
a1=$(ec2 associate-route-table --route-table-id "$rt_pub" --subnet-id "$pub1" --query AssociationId --output text)
a2=$(ec2 associate-route-table --route-table-id "$rt_pub" --subnet-id "$pub2" --query AssociationId --output text)
a3=$(ec2 associate-route-table --route-table-id "$rt_prv" --subnet-id "$prv1" --query AssociationId --output text)
a4=$(ec2 associate-route-table --route-table-id "$rt_prv" --subnet-id "$prv2" --query AssociationId --output text)
ec2 describe-route-tables --filters Name=association.subnet-id,Values="$prv1" >"$tmp/d.json"
eq "$(j "$tmp/d.json" 'd["RouteTables"][0]["RouteTableId"]')" "$rt_prv" "table of prv1"
eq "$(j "$tmp/d.json" '[r.get("NatGatewayId") for r in d["RouteTables"][0]["Routes"] if r["DestinationCidrBlock"]=="0.0.0.0/0"][0]')" "$nat" "nat route"
eq "$(j "$tmp/d.json" 'len(d["RouteTables"][0]["Associations"])')" 2 "private associations"
eq "$(ec2 describe-route-tables --route-table-ids "$rt_pub" --query 'RouteTables[0].Routes[?DestinationCidrBlock==`0.0.0.0/0`].State' --output text)" active "route state"

# --- security groups ---
sg_alb=$(ec2 create-security-group --group-name alb --description "ALB" --vpc-id "$vpc" \
         --tag-specifications 'ResourceType=security-group,Tags=[{Key=Name,Value=alb}]' --query GroupId --output text)
sg_ecs=$(ec2 create-security-group --group-name ecs --description "ECS tasks" --vpc-id "$vpc" --query GroupId --output text)
ec2 authorize-security-group-ingress --group-id "$sg_alb" \
  --ip-permissions 'IpProtocol=tcp,FromPort=80,ToPort=80,IpRanges=[{CidrIp=0.0.0.0/0,Description="http from anywhere"}]' >/dev/null
ec2 authorize-security-group-ingress --group-id "$sg_ecs" \
  --ip-permissions "IpProtocol=tcp,FromPort=3000,ToPort=3000,UserIdGroupPairs=[{GroupId=$sg_alb}]" \
  --tag-specifications 'ResourceType=security-group-rule,Tags=[{Key=Name,Value=alb-to-app}]' >"$tmp/r.json"
rule=$(j "$tmp/r.json" 'd["SecurityGroupRules"][0]["SecurityGroupRuleId"]')
eq "$(j "$tmp/r.json" 'd["SecurityGroupRules"][0]["ReferencedGroupInfo"]["GroupId"]')" "$sg_alb" "rule ref"
if ec2 authorize-security-group-ingress --group-id "$sg_ecs" --protocol tcp --port 3000 --source-group "$sg_alb" 2>"$tmp/e"; then
  fail "duplicate rule"; fi
grep -q "InvalidPermission.Duplicate" "$tmp/e" || fail "duplicate rule error: $(cat "$tmp/e")"
ec2 describe-security-groups --filters Name=vpc-id,Values="$vpc" Name=group-name,Values=ecs >"$tmp/d.json"
eq "$(j "$tmp/d.json" 'd["SecurityGroups"][0]["IpPermissions"][0]["UserIdGroupPairs"][0]["GroupId"]')" "$sg_alb" "sg-to-sg rule"
eq "$(j "$tmp/d.json" 'd["SecurityGroups"][0]["IpPermissions"][0]["FromPort"]')" 3000 "rule port"
eq "$(j "$tmp/d.json" 'd["SecurityGroups"][0]["IpPermissionsEgress"][0]["IpRanges"][0]["CidrIp"]')" 0.0.0.0/0 "default egress"
eq "$(ec2 describe-security-groups --group-ids "$sg_alb" --query 'SecurityGroups[0].IpPermissions[0].IpRanges[0].Description' --output text)" \
   "http from anywhere" "rule description"
eq "$(ec2 describe-security-groups --filters Name=vpc-id,Values="$vpc" --query 'length(SecurityGroups)')" 3 "default + 2 groups"
ec2 describe-security-group-rules --filters Name=group-id,Values="$sg_ecs" >"$tmp/d.json"
eq "$(j "$tmp/d.json" 'len(d["SecurityGroupRules"])')" 2 "ecs rules (ingress + default egress)"
eq "$(ec2 describe-security-group-rules --security-group-rule-ids "$rule" --query 'SecurityGroupRules[0].Tags[0].Value' --output text)" \
   alb-to-app "rule tag"
ec2 modify-security-group-rules --group-id "$sg_ecs" --security-group-rules \
  "SecurityGroupRuleId=$rule,SecurityGroupRule={IpProtocol=tcp,FromPort=3000,ToPort=3001,ReferencedGroupId=$sg_alb,Description=app}" >/dev/null
eq "$(ec2 describe-security-group-rules --security-group-rule-ids "$rule" --query 'SecurityGroupRules[0].[ToPort,Description]' --output text)" \
   "3001	app" "modified rule"
if ec2 delete-security-group --group-id "$sg_alb" 2>"$tmp/e"; then fail "deleted a referenced SG"; fi
grep -q "DependencyViolation" "$tmp/e" || fail "referenced SG error: $(cat "$tmp/e")"

# --- tags ---
ec2 create-tags --resources "$vpc" "$pub1" --tags Key=env,Value=test
eq "$(ec2 describe-tags --filters Name=key,Values=env --query 'length(Tags)')" 2 "describe-tags"
ec2 delete-tags --resources "$pub1" --tags Key=env
eq "$(ec2 describe-tags --filters Name=key,Values=env Name=resource-type,Values=vpc --query 'Tags[0].ResourceId' --output text)" "$vpc" "tag left"

# --- STS ---
eq "$("$AWS" --endpoint-url "$EP" --region us-east-1 sts get-caller-identity --query Account --output text)" 123456789012 "account"

# --- refusals AWS gives ---
if ec2 delete-vpc --vpc-id "$vpc" 2>"$tmp/e"; then fail "deleted a VPC with subnets"; fi
grep -q "DependencyViolation" "$tmp/e" || fail "delete-vpc error: $(cat "$tmp/e")"
if ec2 delete-internet-gateway --internet-gateway-id "$igw" 2>"$tmp/e"; then fail "deleted an attached IGW"; fi
grep -q "DependencyViolation" "$tmp/e" || fail "delete-igw error: $(cat "$tmp/e")"
if ec2 delete-subnet --subnet-id "$pub1" 2>"$tmp/e"; then fail "deleted a subnet holding a NAT"; fi
grep -q "DependencyViolation" "$tmp/e" || fail "delete-subnet error: $(cat "$tmp/e")"

# --- delete everything, in reverse ---
ec2 revoke-security-group-ingress --group-id "$sg_ecs" --security-group-rule-ids "$rule" >/dev/null
ec2 delete-security-group --group-id "$sg_ecs"
ec2 delete-security-group --group-id "$sg_alb"
for a in $a1 $a2 $a3 $a4; do ec2 disassociate-route-table --association-id "$a"; done
ec2 delete-route --route-table-id "$rt_prv" --destination-cidr-block 0.0.0.0/0
ec2 delete-route-table --route-table-id "$rt_prv"
ec2 delete-route-table --route-table-id "$rt_pub"
ec2 delete-nat-gateway --nat-gateway-id "$nat" >/dev/null
ec2 wait nat-gateway-deleted --nat-gateway-ids "$nat"
ec2 release-address --allocation-id "$alloc"
ec2 detach-internet-gateway --internet-gateway-id "$igw" --vpc-id "$vpc"
ec2 delete-internet-gateway --internet-gateway-id "$igw"
for s in $pub1 $pub2 $prv1 $prv2; do ec2 delete-subnet --subnet-id "$s"; done
ec2 delete-vpc --vpc-id "$vpc"
if ec2 describe-vpcs --vpc-ids "$vpc" 2>/dev/null >/dev/null; then fail "vpc still there"; fi

curl -sf "$EP/_sim/state" >"$tmp/state.json"
"$PY" - "$tmp/state.json" <<'PYEOF'
import json, sys
st = json.load(open(sys.argv[1]))["ec2"]
left = {k: v for k, v in st.items() if v and k != "nat_gateways"}
assert not left, "resources left: %r" % left
assert all(n["state"] == "deleted" for n in st.get("nat_gateways", [])), st["nat_gateways"]
PYEOF
curl -sf "$EP/_sim/calls" >"$tmp/calls.json"
eq "$(j "$tmp/calls.json" 'd["ec2.CreateVpc"]')" 1 "one CreateVpc call"
echo "ok: awscli ec2 stack against recon-sim on port $port"
