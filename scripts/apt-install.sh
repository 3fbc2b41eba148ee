#!/bin/sh
# Install Debian/Ubuntu packages with apt-get, waiting while another program holds the package
# manager's lock (on a fresh Ubuntu the automatic updates often hold it for minutes after boot)
# instead of failing at once. Says what it waits for, and gives up with a clear message after
# APT_LOCK_WAIT seconds (default 600). Uses sudo unless run as root.
#
#   scripts/apt-install.sh PACKAGE...        (APT_SKIP_UPDATE=1: no `apt-get update` first)
set -u

limit=${APT_LOCK_WAIT:-600}
sudo_cmd=""
[ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"

# apt-get with its arguments, run again every 3 s while the only problem is a lock held by
# another process. apt's messages are read in English (LC_ALL=C) to recognise that case.
apt_get() {
  started=$(date +%s)
  told=""
  while :; do
    if output=$($sudo_cmd env LC_ALL=C DEBIAN_FRONTEND=noninteractive apt-get "$@" 2>&1); then
      [ -z "$told" ] || echo "apt-get $1: the package manager is free again; carrying on." >&2
      return 0
    else
      status=$?
    fi
    case $output in
      *"Could not get lock"* | *"Unable to acquire the dpkg frontend lock"* | *"Unable to lock"*) ;;
      *)
        printf '%s\n' "$output" >&2
        return "$status"
        ;;
    esac
    holder=$(printf '%s\n' "$output" | sed -n 's/.*It is held by \(process [0-9]* ([^)]*)\).*/\1/p' | head -n 1)
    lock=$(printf '%s\n' "$output" | sed -n 's/.*Could not get lock \([^ ]*\)\..*/\1/p' | head -n 1)
    waited=$(($(date +%s) - started))
    if [ "$waited" -ge "$limit" ]; then
      echo "apt-get $1: gave up after ${waited} s: ${holder:-another program} still holds the package manager's lock${lock:+ ($lock)}. Run this again once it has finished (or set APT_LOCK_WAIT to wait longer)." >&2
      return "$status"
    fi
    if [ -z "$told" ]; then
      echo "apt-get $1: waiting for ${holder:-another program} to release the package manager's lock${lock:+ ($lock)}; on a fresh machine this is usually the automatic updates. Waiting up to ${limit} s..." >&2
      told=yes
    fi
    sleep 3
  done
}

if [ "$#" -eq 0 ]; then
  echo "usage: scripts/apt-install.sh PACKAGE..." >&2
  exit 2
fi
if [ "${APT_SKIP_UPDATE:-}" != 1 ]; then
  apt_get update -qq || exit $?
fi
apt_get install -y -qq "$@"
