# Sourced by the fetch scripts (fetch-corpus.sh, fetch-gcc.sh): a foreign
# Debian architecture and a package index that knows it. The caller sets
# `here` (the scripts folder) and defines `say`.

# The version apt would fetch for PKG:ARCH ("" or "(none)" when unknown).
candidate() { apt-cache policy "$1" 2>/dev/null | sed -n 's/^ *Candidate: //p'; }

# ensure_debian_arch ARCH PROBE: makes ARCH a dpkg architecture and updates the
# index until it offers PROBE:ARCH (needs root the first time; says so otherwise).
ensure_debian_arch() {
  if ! dpkg --print-foreign-architectures | grep -qx "$1"; then
    [ "$(id -u)" = 0 ] || { say "$1 is not a dpkg architecture here; run once as root (dpkg --add-architecture $1)"; exit 1; }
    dpkg --add-architecture "$1"
    sh "$here/apt-update.sh" >/dev/null
  fi
  probe=$(candidate "$2:$1")
  if [ "$probe" = "" ] || [ "$probe" = "(none)" ]; then
    [ "$(id -u)" = 0 ] || { say "the package index has no $1 packages; run apt-get update as root"; exit 1; }
    sh "$here/apt-update.sh" >/dev/null
  fi
}
