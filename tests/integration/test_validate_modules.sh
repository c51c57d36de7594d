#!/usr/bin/env bash
# `recon validate` on a child module alone, as `terraform validate` does it:
# required variables without values are unknown, not an error; a value that
# is given is still checked by the variable's validation blocks.
set -u
fail() { echo "FAIL: $*"; exit 1; }
cd "${RECON_SOURCE_DIR:?}" || exit 1
for m in modules/*/; do
  out=$("$RECON" -chdir="$m" validate -no-color 2>&1) || fail "$m: $out"
  grep -q "Success! The configuration is valid." <<<"$out" || fail "$m: $out"
done
out=$("$RECON" -chdir=modules/vpc validate -no-color -var 'nat=sometimes' 2>&1) && fail "bad nat accepted"
grep -q "Invalid value for variable" <<<"$out" || fail "no validation error: $out"
out=$("$RECON" -chdir=modules/vpc plan -no-color 2>&1) && fail "plan without required variables passed"
grep -q "No value for required variable" <<<"$out" || fail "plan: $out"
echo "ok: modules validate alone"
