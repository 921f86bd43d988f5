#!/bin/sh
# Fetches Debian's armel C compiler (gcc-12, binutils, libc6-dev and every
# library they depend on) and unpacks it into a sysroot in the cache, outside
# the repository (third-party binaries are never committed), for issue 22's
# stretch: gcc compiling and linking hello.c inside mttcg, its cc1, as and
# collect2/ld being guest processes of one run.
#
#   $CACHE/gcc-armel            the sysroot (`mttcg run -L`, `qemu-arm -L`)
#   $CACHE/gcc-armel.manifest   package and version of everything unpacked
#
# $CACHE is ${MTTCG_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/mttcg-lab}. About
# 42 MB from the archive. Needs root the first time (dpkg --add-architecture
# armel, apt-get update through scripts/apt-update.sh), as fetch-corpus.sh.
# Prints the sysroot; running it again with the sysroot in place does nothing.
#
#   sh scripts/fetch-gcc.sh
set -eu

PACKAGES="gcc-12 binutils libc6-dev"
# Bump when the list above changes: an older sysroot is fetched again.
LAYOUT="gcc-armel-v1: $PACKAGES"
arch=armel

here=$(cd "$(dirname "$0")" && pwd)
cache="${MTTCG_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/mttcg-lab}"
dest="$cache/gcc-$arch"
if [ -f "$dest.manifest" ] && [ "$(head -1 "$dest.manifest")" = "# $LAYOUT" ] && [ -d "$dest" ]; then
  echo "$dest"
  exit 0
fi

say() { echo "fetch-gcc: $*" >&2; }

. "$here/debian-arch.sh"
ensure_debian_arch "$arch" gcc-12

# The packages and their Depends, recursively (Pre-Depends are dpkg's business).
# shellcheck disable=SC2046
pkgs=$(apt-cache depends --recurse --no-recommends --no-suggests --no-conflicts --no-breaks --no-replaces \
    --no-enhances --no-pre-depends $(for p in $PACKAGES; do echo "$p:$arch"; done) 2>/dev/null |
  grep -v '^ ' | grep -v '^<' | sed -n "s/:$arch\$//p" | sort -u)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/deb" "$work/root"
echo "# $LAYOUT" >"$work/manifest"
say "$arch: $(echo $pkgs)"
specs=""
for p in $pkgs; do
  v=$(candidate "$p:$arch")
  specs="$specs $p:$arch=$v"
  echo "$p $v" >>"$work/manifest"
done
# One apt-get for all (each run loads the whole package index); once more after a fresh index.
# shellcheck disable=SC2086
(cd "$work/deb" && apt-get download $specs >/dev/null 2>&1) || {
  sh "$here/apt-update.sh" >/dev/null
  (cd "$work/deb" && apt-get download $specs >/dev/null 2>&1)
} || { say "apt-get download failed for one of:$specs"; exit 1; }
for deb in "$work/deb"/*.deb; do dpkg-deb -x "$deb" "$work/root"; done

# Replace the sysroot and its manifest in one step, so a reader never sees half of one.
mkdir -p "$cache"
rm -rf "$dest.old"
[ -d "$dest" ] && mv "$dest" "$dest.old"
mv "$work/root" "$dest"
mv "$work/manifest" "$dest.manifest"
rm -rf "$dest.old"
say "$(grep -vc '^#' "$dest.manifest") packages unpacked into $dest"
echo "$dest"
