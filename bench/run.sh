#!/bin/bash
# make bench: ./bench/run.sh BUILD_DIR [bench.py options]. Runs every
# benchmark against the binaries of BUILD_DIR; prints tables and writes
# bench/out/latest.json. Never part of make test.
set -eu
BUILD_DIR=${1:-build}
shift || true
HERE=$(cd "$(dirname "$0")" && pwd)
BUILD_DIR=$(cd "$BUILD_DIR" && pwd)
for b in recon recon-sim; do
  [ -x "$BUILD_DIR/$b" ] || { echo "bench: $BUILD_DIR/$b is missing (make build)" >&2; exit 1; }
done
exec /usr/bin/python3 "$HERE/bench.py" --build "$BUILD_DIR" "$@"
