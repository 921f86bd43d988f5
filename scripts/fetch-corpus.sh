#!/bin/sh
# Fetches the real-program corpus from Debian (issue 15) and unpacks it into a
# cache folder outside the repository (third-party binaries are never
# committed):
#
#   $CACHE/corpus/ARCH    a sysroot for `mttcg run -L` and `qemu-arm -L`
#                         (ARCH armel, the default, or armhf): pigz, xz-utils,
#                         zstd, make, busybox-static and every library they
#                         depend on (libc6, zlib1g, liblzma5, liblz4-1, ...);
#                         bin/sh and the other busybox applets link to
#                         bin/busybox
#   $CACHE/corpus/amd64   the x86-64 builds of the same program versions and
#                         their libraries (benchmark peers, run through the
#                         unpacked ld.so; nothing is installed system-wide)
#   $CACHE/corpus/ARCH.manifest, amd64.manifest
#                         package and version of everything unpacked
#
# $CACHE is ${MTTCG_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/mttcg-lab}.
# Dependencies are resolved by apt (Depends, recursively; Pre-Depends are
# dpkg's own business and skipped). Needs root the first time (dpkg
# --add-architecture, apt-get update through scripts/apt-update.sh); .ci/run
# runs it. Prints the sysroot. Running it again with the corpus in place
# does nothing.
#
#   sh scripts/fetch-corpus.sh [armel|armhf]
set -eu

arch="${1:-armel}"
case "$arch" in
  armel|armhf) ;;
  *) echo "fetch-corpus.sh: architecture must be armel or armhf, not '$arch'" >&2; exit 2 ;;
esac
PROGRAMS="pigz xz-utils zstd make busybox-static"
NATIVE_PROGRAMS="pigz xz-utils zstd"
# Bump when the layout or the lists above change: an older corpus is fetched again.
LAYOUT="corpus-v3: $PROGRAMS"
NATIVE_LAYOUT="corpus-v3 native: $NATIVE_PROGRAMS"

here=$(cd "$(dirname "$0")" && pwd)
cache="${MTTCG_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/mttcg-lab}"
root="$cache/corpus"
current() { [ -f "$root/$1.manifest" ] && [ "$(head -1 "$root/$1.manifest")" = "# $2" ] && [ -d "$root/$1" ]; }
native_arch=$(dpkg --print-architecture)
want_native=no
if [ "$native_arch" = amd64 ] && ! current amd64 "$NATIVE_LAYOUT"; then want_native=yes; fi
if current "$arch" "$LAYOUT" && [ $want_native = no ]; then
  echo "$root/$arch"
  exit 0
fi

say() { echo "fetch-corpus: $*" >&2; }

# Debian's ARM port, and a package index that knows it.
. "$here/debian-arch.sh"
ensure_debian_arch "$arch" pigz

# The packages a list needs: itself and its Depends, recursively (one arch).
closure() {
  a=$1; shift
  # shellcheck disable=SC2046
  apt-cache depends --recurse --no-recommends --no-suggests --no-conflicts --no-breaks --no-replaces \
      --no-enhances --no-pre-depends $(for p in "$@"; do echo "$p:$a"; done) 2>/dev/null |
    grep -v '^ ' | grep -v '^<' |
    if [ "$a" = "$native_arch" ]; then grep -v ':' ; else sed -n "s/:$a\$//p"; fi |
    sort -u
}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# download ARCH PACKAGE VERSION: one .deb into $work/deb/ARCH, recorded in ARCH's manifest.
download() {
  (cd "$work/deb/$1" && apt-get download "$2:$1=$3" >/dev/null 2>&1) || {
    sh "$here/apt-update.sh" >/dev/null
    (cd "$work/deb/$1" && apt-get download "$2:$1=$3" >/dev/null 2>&1)
  } || { say "apt-get download $2:$1=$3 failed"; exit 1; }
  echo "$2 $3" >>"$work/$1.manifest"
}

# unpack ARCH: every downloaded .deb into $work/root/ARCH.
unpack() {
  mkdir -p "$work/root/$1"
  for deb in "$work/deb/$1"/*.deb; do
    [ -e "$deb" ] || continue
    dpkg-deb -x "$deb" "$work/root/$1"
  done
}

# install ARCH: replaces $root/ARCH and its manifest in one step, so a reader never sees half of one.
install_tree() {
  mkdir -p "$root"
  rm -rf "$root/$1.old"
  [ -d "$root/$1" ] && mv "$root/$1" "$root/$1.old"
  mv "$work/root/$1" "$root/$1"
  mv "$work/$1.manifest" "$root/$1.manifest"
  rm -rf "$root/$1.old"
  say "$(grep -vc '^#' "$root/$1.manifest") $1 packages unpacked into $root/$1"
}

if ! current "$arch" "$LAYOUT"; then
  mkdir -p "$work/deb/$arch"
  echo "# $LAYOUT" >"$work/$arch.manifest"
  pkgs=$(closure "$arch" $PROGRAMS)
  say "$arch: $(echo $pkgs)"
  for p in $pkgs; do download "$arch" "$p" "$(candidate "$p:$arch")"; done
  unpack "$arch"
  sys="$work/root/$arch"
  # Debian's /bin/sh comes from dash's maintainer script; in this sysroot busybox is the
  # shell, and its applets are linked as `busybox --install` would (never over a real
  # program): a guest's execvp("mkdir") must find an ARM mkdir under the sysroot.
  [ -e "$sys/bin/sh" ] || ln -s busybox "$sys/bin/sh"
  applets=""
  if command -v qemu-arm >/dev/null 2>&1; then
    applets=$(qemu-arm "$sys/bin/busybox" --list-full)
  elif [ -f "$here/../dist/src/cli/main.js" ]; then
    applets=$(node "$here/../dist/src/cli/main.js" run "$sys/bin/busybox" --list-full)
  else
    say "neither qemu-arm nor a built mttcg to ask busybox for its applets: no applet links"
  fi
  for a in $applets; do
    case "$a" in */*) ;; *) continue ;; esac
    { [ -e "$sys/$a" ] || [ -L "$sys/$a" ]; } && continue
    mkdir -p "$sys/$(dirname "$a")"
    # Relative links: an absolute one would point at the host's /bin/busybox.
    up=$(echo "$a" | sed 's|[^/]*/|../|g; s|[^/]*$||')
    ln -s "${up}bin/busybox" "$sys/$a"
  done
  install_tree "$arch"
fi

# Native peers: the same version as the ARM package where the archive has it for amd64.
if [ $want_native = yes ]; then
  mkdir -p "$work/deb/amd64"
  echo "# $NATIVE_LAYOUT" >"$work/amd64.manifest"
  pkgs=$(closure amd64 $NATIVE_PROGRAMS)
  say "amd64: $(echo $pkgs)"
  for p in $pkgs; do
    v=$(candidate "$p:$arch")
    if [ -z "$v" ] || [ "$v" = "(none)" ] || ! apt-cache madison "$p:amd64" | awk -F'|' '{gsub(/ /,"",$2); print $2}' | grep -qxF "$v"; then
      v=$(candidate "$p:amd64")
    fi
    download amd64 "$p" "$v"
  done
  unpack amd64
  install_tree amd64
elif [ "$native_arch" != amd64 ]; then
  say "host is $native_arch, not amd64: no native x86-64 peers"
fi
echo "$root/$arch"
