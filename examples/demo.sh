#!/usr/bin/env bash
# demo.sh BUILD_DIR — the newcomer's tour (`make demo`): the reference stack
# examples/ecs-fargate against recon-sim, a local AWS-compatible endpoint.
#
# Starts recon-sim on a free loopback port (tasks whose image tag is "bad"
# never pass their health checks), copies the stack and the modules into a
# scratch directory (the repository gets no state file), then: plan, apply
# (image 1.0), plan again (no changes), deploy 2.0, deploy "bad" (rolled back
# by the ECS circuit breaker: that apply fails, on purpose), plan (the service
# is still on the 2.0 revision), roll back to 1.0, output, destroy. recon-sim
# is stopped and the scratch directory removed on any exit.
set -euo pipefail

BUILD=${1:-build}
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
case $BUILD in /*) ;; *) BUILD=$PWD/$BUILD ;; esac
RECON=$BUILD/recon
SIM=$BUILD/recon-sim
for b in "$RECON" "$SIM"; do
  [[ -x $b ]] || { echo "demo: $b is missing; build first (make build)" >&2; exit 1; }
done

if [[ -t 1 ]]; then BOLD=$'\e[1m'; GREEN=$'\e[32m'; YELLOW=$'\e[33m'; RED=$'\e[31m'; OFF=$'\e[0m'
else BOLD=; GREEN=; YELLOW=; RED=; OFF=; fi

STEPS=11
n=0
SECONDS=0
step() {
  n=$((n + 1))
  printf '\n%s==> [%d/%d] %s%s\n' "$BOLD" "$n" "$STEPS" "$*" "$OFF"
}
note() { printf '%s    %s%s\n' "$GREEN" "$*" "$OFF"; }
warn() { printf '%s    %s%s\n' "$YELLOW" "$*" "$OFF"; }
die() { printf '%sdemo: %s%s\n' "$RED" "$*" "$OFF" >&2; exit 1; }
# show CMD...: echo the command as a user would type it, then run it.
show() { printf '%s$ recon %s%s\n' "$BOLD" "$*" "$OFF"; "$RECON" "$@"; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/recon-demo.XXXXXX")
SIM_PID=
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  if [[ -n $SIM_PID ]] && kill -0 "$SIM_PID" 2>/dev/null; then
    kill -TERM "$SIM_PID" 2>/dev/null || true
    for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$SIM_PID" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$SIM_PID" 2>/dev/null || true
    wait "$SIM_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
  exit "$rc"
}
trap cleanup EXIT
trap 'printf "%sdemo: step %d failed (see above)%s\n" "$RED" "$n" "$OFF" >&2' ERR
trap 'exit 130' INT
trap 'exit 143' TERM

# --- 1. the simulator --------------------------------------------------------
step "Start recon-sim on a free loopback port (image tags named 'bad' fail their health checks)"
"$SIM" -listen 127.0.0.1:0 -unhealthy-image ':bad$' >"$WORK/sim.out" 2>"$WORK/sim.err" &
SIM_PID=$!
URL=
for _ in $(seq 1 100); do
  URL=$(head -n 1 "$WORK/sim.out" 2>/dev/null | grep -o 'http://[^[:space:]]*' || true)
  [[ -n $URL ]] && break
  kill -0 "$SIM_PID" 2>/dev/null || break
  sleep 0.1
done
[[ -n $URL ]] || die "recon-sim did not start: $(cat "$WORK/sim.err")"
note "recon-sim (pid $SIM_PID) listens on $URL"

export AWS_ENDPOINT_URL=$URL
export AWS_ACCESS_KEY_ID=demo AWS_SECRET_ACCESS_KEY=demo-secret
export AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1
export AWS_EC2_METADATA_DISABLED=true
export AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null
unset AWS_PROFILE AWS_SESSION_TOKEN

# The stack keeps its relative module sources (../../modules) in the copy.
mkdir -p "$WORK/stack/examples"
cp -R "$REPO/modules" "$WORK/stack/modules"
cp -R "$REPO/examples/ecs-fargate" "$WORK/stack/examples/ecs-fargate"
rm -rf "$WORK/stack/examples/ecs-fargate"/*.tfstate* "$WORK/stack/examples/ecs-fargate"/.recon*
cd "$WORK/stack/examples/ecs-fargate"
note "stack copied to $PWD"

# --- 2..10. the stack's life -------------------------------------------------
step "recon plan: what would be created (VPC, subnets, NAT, ALB, roles, ECS service...)"
show plan

step "recon apply: create everything, image my-app:1.0"
show apply -auto-approve

step "recon plan -detailed-exitcode: right after an apply there is nothing to do"
rc=0
show plan -detailed-exitcode || rc=$?
case $rc in
  0) note "exit code 0: no changes" ;;
  2) die "the plan right after apply shows changes (exit 2)" ;;
  *) die "recon plan failed (exit $rc)" ;;
esac

step "Deploy: recon apply -var image_tag=2.0 (a new task definition revision, the service rolls onto it)"
show apply -auto-approve -var image_tag=2.0

step "A bad release: recon apply -var image_tag=bad (its tasks never become healthy)"
rc=0
show apply -auto-approve -var image_tag=bad || rc=$?
if [[ $rc -eq 0 ]]; then
  die "the apply of the bad image succeeded; the circuit breaker should have rolled it back"
fi
warn "exit code $rc, as expected: ECS's deployment circuit breaker rolled the service back"

step "recon plan -var image_tag=bad -detailed-exitcode: the service is still on the 2.0 revision"
rc=0
show plan -var image_tag=bad -detailed-exitcode || rc=$?
case $rc in
  2) note "exit code 2: the service runs the 2.0 revision; this configuration would move it to the bad one" ;;
  0) die "the plan shows no changes: the service should still be on the 2.0 revision" ;;
  *) die "recon plan failed (exit $rc)" ;;
esac

step "Rollback: recon apply -var image_tag=1.0 (the 1.0 revision is still registered)"
show apply -auto-approve -var image_tag=1.0

step "recon output"
show output

step "recon destroy: remove everything, in reverse dependency order"
show destroy -auto-approve

step "Stop recon-sim and remove the scratch directory"
cleanup_report() { note "done in ${SECONDS}s; nothing left running"; }
kill -TERM "$SIM_PID" 2>/dev/null || true
wait "$SIM_PID" 2>/dev/null || true
SIM_PID=
cleanup_report
