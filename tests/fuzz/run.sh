#!/bin/bash
# Runs every fuzz_* target built in BUILD_DIR for SECONDS each, with its seed
# corpus tests/fuzz/corpus/<name> (fuzz_parse → corpus/parse). New inputs go
# to a scratch directory, so the checked-in seeds stay small. Fails (exit 1)
# when a target crashes, leaks or times out; prints each target's run count.
set -u
BUILD_DIR=${1:?usage: run.sh BUILD_DIR SECONDS}
SECONDS_EACH=${2:-60}
HERE=$(cd "$(dirname "$0")" && pwd)
status=0
found=0
for bin in $(find "$BUILD_DIR" -type f -name 'fuzz_*' -perm -u+x | sort); do
  name=$(basename "$bin")
  found=1
  seeds="$HERE/corpus/${name#fuzz_}"
  work=$(mktemp -d "/tmp/recon-${name}.XXXXXX")
  mkdir -p "$seeds"
  log="$work.log"
  echo "== $name: ${SECONDS_EACH}s, seeds $seeds"
  "$bin" -max_total_time="$SECONDS_EACH" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
    -artifact_prefix="$work/" "$work" "$seeds" >"$log" 2>&1
  rc=$?
  runs=$(grep -Eo 'Done [0-9]+ runs' "$log" | tail -1 | grep -Eo '[0-9]+')
  if [ $rc -ne 0 ]; then
    echo "FAIL $name (exit $rc); artifacts in $work, log $log"
    grep -E 'ERROR|SUMMARY|==[0-9]+==' "$log" | head -20
    status=1
  else
    echo "ok   $name: ${runs:-?} runs, corpus $(ls "$work" | wc -l) new inputs"
    rm -rf "$work" "$log"
  fi
done
if [ $found -eq 0 ]; then
  echo "no fuzz_* targets in $BUILD_DIR" >&2
  exit 1
fi
exit $status
