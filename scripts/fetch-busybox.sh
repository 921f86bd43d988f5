#!/bin/sh
# Fetches Debian's static armel busybox for the process tests and benchmarks
# (test/busybox.test.ts, bench/process/busybox-loop.ts) and unpacks it into a
# cache folder outside the repository (third-party binaries are never
# committed). Needs root for dpkg --add-architecture and apt-get update; run
# by .ci/run. Prints the path of the busybox binary.
#
#   sh scripts/fetch-busybox.sh        # cache: ${MTTCG_CACHE:-$HOME/.cache/mttcg-lab}
set -eu
cache="${MTTCG_CACHE:-$HOME/.cache/mttcg-lab}/busybox-static-armel"
bin="$cache/bin/busybox"
if [ -x "$bin" ]; then echo "$bin"; exit 0; fi
mkdir -p "$cache/bin"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if ! dpkg --print-foreign-architectures | grep -qx armel; then
  dpkg --add-architecture armel
  apt-get update >/dev/null
fi
(cd "$work" && apt-get download busybox-static:armel >/dev/null 2>&1) || {
  apt-get update >/dev/null
  (cd "$work" && apt-get download busybox-static:armel >/dev/null)
}
dpkg-deb -x "$work"/busybox-static_*_armel.deb "$work/x"
cp "$work/x/bin/busybox" "$bin.tmp"
chmod 755 "$bin.tmp"
mv "$bin.tmp" "$bin"
echo "$bin"
