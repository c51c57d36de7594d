#!/bin/bash
# Bad input corpus: every case under tests/data/bad/<name>/ must make
# `recon validate` exit 1 (no crash: exit < 128) within a few seconds, with
# the first "Error:" line listed in tests/data/bad/expected.txt. A case whose
# directory holds a file named `command` runs that recon command instead (as
# `terraform validate`, validate does not need variable values: a missing
# required variable is an error of plan). Large cases (1 MB one-line file,
# 10,000 nested brackets) are generated here.
set -u
cd "${RECON_SOURCE_DIR:-$(dirname "$0")/../..}"
RECON=${RECON:-build/recon}
[[ "$RECON" = /* ]] || RECON="$PWD/$RECON"
BAD=tests/data/bad
fails=0
ran=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

check_case() { # dir name expected-first-error-line
  local dir=$1 name=$2 want=$3 out rc start end first
  start=$(date +%s%N)
  local cmd=validate
  [[ -f "$dir/command" ]] && cmd=$(<"$dir/command")
  out=$(cd "$dir" && AWS_ACCESS_KEY_ID=x AWS_SECRET_ACCESS_KEY=x AWS_REGION=us-east-1 \
    AWS_ENDPOINT_URL=http://127.0.0.1:9 timeout 20 "$RECON" $cmd -no-color 2>&1)
  rc=$?
  end=$(date +%s%N)
  ran=$((ran + 1))
  first=$(grep -m1 '^Error: ' <<<"$out")
  local ms=$(((end - start) / 1000000))
  if ((rc >= 124)); then
    echo "FAIL $name: exit $rc (crash or timeout)"; fails=$((fails + 1)); return
  fi
  if ((rc != 1)); then
    echo "FAIL $name: exit $rc, want 1"; fails=$((fails + 1)); return
  fi
  if [[ "$first" != "$want" ]]; then
    echo "FAIL $name: first error \"$first\", want \"$want\""; fails=$((fails + 1)); return
  fi
  if ((ms > 5000)); then
    echo "FAIL $name: took ${ms} ms"; fails=$((fails + 1)); return
  fi
}

while IFS= read -r line; do
  [[ -z "$line" || "$line" == \#* ]] && continue
  name=${line%%: *}
  want=${line#*: }
  [[ -d "$BAD/$name" ]] || { echo "FAIL $name: no such case"; fails=$((fails + 1)); continue; }
  check_case "$BAD/$name" "$name" "$want"
done <"$BAD/expected.txt"

# generated: a 1 MB one-line file with an unknown function call at its end
mkdir -p "$tmp/one_mb_line"
python3 - "$tmp/one_mb_line/main.tf" <<'PY'
import sys
items = ",".join('"%06d"' % i for i in range(1024 * 1024 // 9))
open(sys.argv[1], "w").write("output \"x\" { value = nosuchfn([" + items + "]) }")
PY
check_case "$tmp/one_mb_line" one_mb_line "Error: Call to unknown function"

# generated: 10,000 nested brackets
mkdir -p "$tmp/deep_brackets"
python3 -c 'import sys; open(sys.argv[1],"w").write("locals {\n  a = " + "["*10000 + "]"*10000 + "\n}\n")' "$tmp/deep_brackets/main.tf"
out=$(cd "$tmp/deep_brackets" && timeout 20 "$RECON" validate -no-color 2>&1); rc=$?
ran=$((ran + 1))
if ((rc != 1)) || ! grep -q '^Error: ' <<<"$out"; then
  echo "FAIL deep_brackets: exit $rc: $(head -3 <<<"$out")"; fails=$((fails + 1))
fi

# generated: 10,000 nested blocks
mkdir -p "$tmp/deep_blocks"
python3 -c 'import sys; open(sys.argv[1],"w").write("resource \"aws_vpc\" \"x\" {\n" + "a {\n"*10000 + "}\n"*10000 + "}\n")' "$tmp/deep_blocks/main.tf"
out=$(cd "$tmp/deep_blocks" && timeout 20 "$RECON" validate -no-color 2>&1); rc=$?
ran=$((ran + 1))
if ((rc != 1)) || ! grep -q '^Error: ' <<<"$out"; then
  echo "FAIL deep_blocks: exit $rc: $(head -3 <<<"$out")"; fails=$((fails + 1))
fi

echo "bad input: $ran cases, $fails failures"
((fails == 0))
