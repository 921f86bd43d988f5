#!/bin/sh
# Fetches Debian's static busybox for the process tests and benchmarks
# (armel, the default: test/acceptance/busybox.test.ts, bench/process) or
# the armhf build (Thumb-2 code, hard-float: test/acceptance/busybox-armhf.test.ts)
# and unpacks it into a cache folder outside the repository (third-party
# binaries are never committed). Needs root for dpkg --add-architecture and
# apt-get update; run by .ci/run. Prints the path of the busybox binary.
#
#   sh scripts/fetch-busybox.sh [armel|armhf]   # cache: ${MTTCG_CACHE:-$HOME/.cache/mttcg-lab}
set -eu
arch="${1:-armel}"
case "$arch" in
  armel|armhf) ;;
  *) echo "fetch-busybox.sh: architecture must be armel or armhf, not '$arch'" >&2; exit 2 ;;
esac
cache="${MTTCG_CACHE:-$HOME/.cache/mttcg-lab}/busybox-static-$arch"
bin="$cache/bin/busybox"
if [ -x "$bin" ]; then echo "$bin"; exit 0; fi
mkdir -p "$cache/bin"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if ! dpkg --print-foreign-architectures | grep -qx "$arch"; then
  dpkg --add-architecture "$arch"
  sh "$(dirname "$0")/apt-update.sh" >/dev/null
fi
(cd "$work" && apt-get download "busybox-static:$arch" >/dev/null 2>&1) || {
  sh "$(dirname "$0")/apt-update.sh" >/dev/null
  (cd "$work" && apt-get download "busybox-static:$arch" >/dev/null)
}
dpkg-deb -x "$work"/busybox-static_*_"$arch".deb "$work/x"
cp "$work/x/bin/busybox" "$bin.tmp"
chmod 755 "$bin.tmp"
mv "$bin.tmp" "$bin"
echo "$bin"
