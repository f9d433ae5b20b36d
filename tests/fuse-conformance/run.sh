#!/usr/bin/env bash
# The FUSE conformance suite (issue #11): for each cache mode, mounts a fresh share with scripts/virtiofsd
# (--allow-device-nodes) and runs tests/fuse-conformance/conformance.py against the mount and a plain directory
# on the same host file system, as root and as the unprivileged user nobody (setpriv). Any difference fails.
#
#   tests/fuse-conformance/run.sh [never auto always]     # needs root, /dev/fuse, a built plugin-virtiofs
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
modes=("$@")
(( ${#modes[@]} )) || modes=(never auto always)
[[ $EUID -eq 0 ]] || { echo "SKIP: the conformance suite needs root (mount(2), device nodes, setpriv)"; exit 77; }
[[ -c /dev/fuse ]] || { echo "SKIP: no /dev/fuse"; exit 77; }
py=/usr/bin/python3 # the system one: nobody must be able to run it (not a per-user shim)
[[ -x $py ]] || { echo "SKIP: no /usr/bin/python3"; exit 77; }

work="$(mktemp -d /tmp/fuse-conformance.XXXXXX)"
chmod 755 "$work"
daemon=""
cleanup() {
  if [[ -n "$daemon" ]] && kill -0 "$daemon" 2>/dev/null; then kill -TERM "$daemon"; wait "$daemon" || true; fi
  for m in "$work"/*/mnt; do mountpoint -q "$m" 2>/dev/null && umount -l "$m"; done
  rm -rf "$work"
}
trap cleanup EXIT

status=0
for mode in "${modes[@]}"; do
  dir="$work/$mode"
  mkdir -p "$dir/share" "$dir/mnt" "$dir/plain"
  "$root/scripts/virtiofsd" --shared-dir "$dir/share" --mount "$dir/mnt" --cache "$mode" --allow-device-nodes \
      >"$dir/daemon.log" 2>&1 &
  daemon=$!
  for _ in $(seq 100); do grep -q " $dir/mnt fuse.drydock " /proc/mounts && break; sleep 0.1; done
  grep -q " $dir/mnt fuse.drydock " /proc/mounts || { cat "$dir/daemon.log"; echo "FAILED: $mode: no mount"; exit 1; }
  "$py" "$root/tests/fuse-conformance/conformance.py" setup "$dir/mnt" "$dir/plain"
  echo "-- cache=$mode"
  "$py" "$root/tests/fuse-conformance/conformance.py" run "$dir/mnt" "$dir/plain" --tag root || status=1
  setpriv --reuid=65534 --regid=65534 --clear-groups \
      "$py" "$root/tests/fuse-conformance/conformance.py" run "$dir/mnt" "$dir/plain" --tag nobody || status=1
  kill -TERM "$daemon"; wait "$daemon" || true; daemon=""
  grep -E 'Exception|ERROR' "$dir/daemon.log" && { echo "FAILED: $mode: the daemon logged errors"; status=1; }
done
(( status == 0 )) && echo "ok: conformance suite identical to the plain directory in cache ${modes[*]}, as root and as nobody"
exit $status
