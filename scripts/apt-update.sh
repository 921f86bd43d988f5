#!/bin/sh
# apt-get update that survives a Debian mirror caught mid-sync ("File has
# unexpected size ... Mirror sync in progress?"): retries with growing pauses,
# and if the indexes still fail to refresh, carries on with whatever lists
# apt already has (the install or download that follows fails loudly if a
# package is truly missing). Used by .ci/run and scripts/fetch-busybox.sh.
#
#   sh scripts/apt-update.sh
set -u
pause=10
for attempt in 1 2 3 4 5; do
  if apt-get update; then exit 0; fi
  echo "apt-update.sh: apt-get update failed (attempt $attempt of 5); retrying in ${pause}s" >&2
  sleep "$pause"
  pause=$((pause * 2))
done
echo "apt-update.sh: apt-get update kept failing; continuing with the package lists apt has" >&2
exit 0
