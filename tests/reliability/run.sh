#!/bin/bash
# make reliability: ./tests/reliability/run.sh BUILD_DIR [part...]
# The full reliability suite against BUILD_DIR's recon and recon-sim: faults
# (10 seeds), crashes (50 kill -9 trials of apply and of destroy),
# concurrency, bad input (with the never-ending endpoints), leaks (the unit
# tests under ASan/LeakSanitizer in ASAN_BUILD, one end-to-end apply under
# valgrind and under the ASan recon). Parts: faults crashes concurrency
# badinput leaks (default: all). Exit 1 when any part fails; each part
# prints its table. Short versions of each run in ctest (test_rel_*.py).
set -u
BUILD_DIR=${1:-build}
shift || true
HERE=$(cd "$(dirname "$0")" && pwd)
SRC=$(cd "$HERE/../.." && pwd)
BUILD_DIR=$(cd "$BUILD_DIR" && pwd)
ASAN_BUILD=${ASAN_BUILD:-$SRC/build-asan}
export RECON="$BUILD_DIR/recon" RECON_SIM="$BUILD_DIR/recon-sim" RECON_SOURCE_DIR="$SRC" \
  RECON_BUILD_DIR="$BUILD_DIR" PYTHONPATH="$SRC/tests/integration:$HERE"
PARTS=${*:-faults crashes concurrency badinput leaks}
status=0
summary=""
for part in $PARTS; do
  echo "=== $part"
  start=$(date +%s)
  case $part in
    leaks)
      rc=0
      if [ -d "$ASAN_BUILD" ]; then
        cmake --build "$ASAN_BUILD" -j "$(nproc)" >/dev/null || rc=1
        (cd "$ASAN_BUILD" && ASAN_OPTIONS=detect_leaks=1 ctest -L unit -j "$(nproc)" \
          --output-on-failure | tail -5) || rc=1
        asan=(--asan-recon "$ASAN_BUILD/recon")
      else
        echo "no ASan build at $ASAN_BUILD (make build-asan): unit tests under ASan skipped"
        asan=()
      fi
      if command -v valgrind >/dev/null; then
        /usr/bin/python3 "$HERE/rel_leaks.py" --full "${asan[@]}" || rc=1
      else
        /usr/bin/python3 "$HERE/rel_leaks.py" --full --no-valgrind "${asan[@]}" || rc=1
      fi
      ;;
    *)
      /usr/bin/python3 "$HERE/rel_$part.py" --full
      rc=$?
      ;;
  esac
  took=$(($(date +%s) - start))
  if [ $rc -ne 0 ]; then status=1; summary+="FAIL $part (${took}s)\n"; else summary+="ok   $part (${took}s)\n"; fi
done
echo; echo "=== reliability summary"; printf "$summary"
exit $status
