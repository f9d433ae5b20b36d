#!/bin/bash
# Runs the in-guest file-system suite (guest/fstest.c) under Linux on Drydock or on QEMU 7.2, served by
# Drydock's in-process FUSE server, Drydock's virtiofsd (scripts/virtiofsd) or QEMU's C virtiofsd over
# vhost-user, and compares the suite's lines with fstest.expected.
#
#   plugins/linux-guest/run-suite.sh [--engine drydock|qemu] [--virtiofsd inproc|ours|c] [--transport pci|mmio]
#                                    [--harts N] [--dax on|off] [--timeout S] [--keep DIR]
#
# --virtiofsd: inproc (Drydock only, the default there) = the device's own FUSE server; ours =
# scripts/virtiofsd --socket-path (with --sandbox namespace when root); c = /usr/lib/qemu/virtiofsd (the
# default on QEMU). On Drydock, ours and c go through --virtio-fs-socket. Both daemons get xattrs on;
# OUR_VIRTIOFSD_ARGS adds options to ours (e.g. "--translate-uid map:1000:101000:10").
#
# Builds the kernel and initramfs first (build.sh; cached). Prints the suite's lines, then "suite: PASS"
# or a diff; exit 0 when the lines match. Drydock's FUSE metrics (--stats) go to DIR/stats.txt; with DAX
# the SETUPMAPPING/REMOVEMAPPING/READ counts are printed. QEMU 7.2 has no DAX window: --dax on is refused.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
engine=drydock transport=pci harts=1 dax=off timeout=900 keep="" backend=""
while [ $# -gt 0 ]; do
  case "$1" in
    --engine) engine="$2"; shift 2 ;;
    --virtiofsd) backend="$2"; shift 2 ;;
    --transport) transport="$2"; shift 2 ;;
    --harts) harts="$2"; shift 2 ;;
    --dax) dax="$2"; shift 2 ;;
    --timeout) timeout="$2"; shift 2 ;;
    --keep) keep="$2"; shift 2 ;;
    *) echo "run-suite.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
[ -n "$backend" ] || { [ "$engine" = qemu ] && backend=c || backend=inproc; }
case "$engine/$backend" in
  drydock/inproc|drydock/ours|drydock/c|qemu/ours|qemu/c) ;;
  qemu/inproc) echo "run-suite.sh: QEMU has no in-process FUSE server: --virtiofsd ours or c" >&2; exit 2 ;;
  *) echo "run-suite.sh: --engine drydock|qemu, --virtiofsd inproc|ours|c" >&2; exit 2 ;;
esac
[ "$dax" = on ] && [ "$backend" != inproc ] && { echo "run-suite.sh: --dax on needs --virtiofsd inproc" >&2; exit 2; }
OUT="$("$HERE/build.sh")"
work="${keep:-$(mktemp -d /tmp/linux-suite.XXXXXX)}"
mkdir -p "$work"
share="$work/share"
rm -rf "$share"; mkdir -p "$share"
python3 -c "import sys; open(sys.argv[1],'wb').write(bytes(((i*7+3)&0xff) for i in range(262144)))" "$share/host.bin"
printf 'before\n' > "$share/hostedit.txt"
log="$work/console.log"
: > "$log"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  [ -n "$keep" ] || rm -rf "$work"
}
trap cleanup EXIT
# The host edit: once the guest says it has read "before", the host writes "after".
( while ! grep -q 'fstest: HOSTEDIT-READY' "$log" 2>/dev/null; do sleep 0.2; done; printf 'after\n' > "$share/hostedit.txt" ) &
pids+=($!)

# The vhost-user backend (a JVM takes a few seconds to listen)
sock="$work/vfs.sock"
rm -f "$sock"
case "$backend" in
  ours) sandbox=none; [ "$(id -u)" = 0 ] && sandbox=namespace
        "$ROOT/scripts/virtiofsd" --socket-path="$sock" -o source="$share" -o xattr --sandbox "$sandbox" --once --stats ${OUR_VIRTIOFSD_ARGS:-} > "$work/virtiofsd.log" 2>&1 &
        pids+=($!); daemon=$! ;;
  c) /usr/lib/qemu/virtiofsd --socket-path="$sock" -o source="$share" -o xattr > "$work/virtiofsd.log" 2>&1 &
     pids+=($!) ;;
esac
if [ "$backend" != inproc ]; then
  for _ in $(seq 300); do [ -S "$sock" ] && break; sleep 0.1; done
  [ -S "$sock" ] || { echo "run-suite.sh: the $backend virtiofsd did not listen:"; cat "$work/virtiofsd.log"; echo "suite: FAIL"; exit 1; }
fi

append="console=ttyS0 earlycon=sbi"
[ "$dax" = on ] && append="$append drydock.dax=always"
start=$(date +%s.%N)
set +e
case "$engine" in
  drydock)
    args=(--kernel "$OUT/Image" --initrd "$OUT/initramfs.cpio" --append "$append" --memory 256M --harts "$harts"
          --virtio-fs-transport "$transport" --timeout "$timeout" --stats)
    if [ "$backend" = inproc ]; then args+=(--virtio-fs-dir "$share" --virtio-fs-xattr); else args+=(--virtio-fs-socket "$sock"); fi
    [ "$dax" = on ] && args+=(--dax 256M)
    "$ROOT/scripts/run" "${args[@]}" < /dev/null > "$log" 2> "$work/stats.txt"
    rc=$? ;;
  qemu)
    [ "$dax" = on ] && { echo "run-suite.sh: QEMU 7.2's vhost-user-fs has no DAX window" >&2; exit 2; }
    if [ "$transport" = mmio ]; then dev=(-global virtio-mmio.force-legacy=false -device vhost-user-fs-device,queue-size=128,chardev=char0,tag=myfs)
    else dev=(-device vhost-user-fs-pci,queue-size=128,chardev=char0,tag=myfs); fi
    timeout "$timeout" qemu-system-riscv64 -M virt -m 256M -smp "$harts" \
      -bios /usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin -kernel "$OUT/Image" -initrd "$OUT/initramfs.cpio" \
      -append "$append" -display none -serial stdio -monitor none \
      -object memory-backend-memfd,id=mem,size=256M,share=on -numa node,memdev=mem \
      -chardev socket,id=char0,path="$sock" "${dev[@]}" < /dev/null > "$log" 2>&1
    rc=$? ;;
  *) echo "run-suite.sh: --engine drydock or qemu" >&2; exit 2 ;;
esac
set -e
if [ "$backend" = ours ]; then # --once: it exits when the frontend goes, printing its per-opcode counts
  for _ in $(seq 100); do kill -0 "$daemon" 2>/dev/null || break; sleep 0.1; done
fi
seconds=$(echo "$(date +%s.%N) - $start" | bc)
tr -d '\r' < "$log" | grep -E '^(ok |FAIL |fstest: [0-9]+ passed|drydock-init: (mount|fstest))' > "$work/lines.txt" || true
cat "$work/lines.txt"
echo "suite: $engine + $backend virtiofsd, $transport harts=$harts dax=$dax rc=$rc in ${seconds} s (load $(cut -d' ' -f1-3 /proc/loadavg))"
if [ "$engine" = drydock ]; then
  grep -E 'instructions in|^fuse\.[^.]+\.(read|write|setupmapping|removemapping)\.requests' "$work/stats.txt" | sed 's/^/  /' || true
fi
if [ "$backend" = ours ]; then # requests our virtiofsd answered with an error (e.g. ENOSYS for one it lacks)
  awk '$1 ~ /^[A-Z_0-9]+$/ && $3 > 0 { printf "  %s: %d of %d requests failed\n", $1, $3, $2 }' "$work/virtiofsd.log"
fi
bugs=$(tr -d '\r' < "$log" | grep -cE '^(BUG|WARNING):' || true)
[ "$bugs" = 0 ] || { echo "kernel: $bugs BUG/WARNING lines (see plugins/linux-guest/README.md):"; tr -d '\r' < "$log" | grep -E '^(BUG|WARNING):' | sort | uniq -c | sed 's/^/  /'; }
if [ "$engine" = drydock ] && [ "$dax" = on ]; then
  # DAX: the guest maps file ranges (SETUPMAPPING) instead of asking for data (FUSE_READ)
  count() { awk -v k="$1" '$1 ~ "^fuse\\.[^.]+\\." k "\\.requests$" { gsub(",", "", $2); n += $2 } END { print n + 0 }' "$work/stats.txt"; }
  setups=$(count setupmapping); removes=$(count removemapping); reads=$(count read)
  echo "dax: SETUPMAPPING $setups, REMOVEMAPPING $removes, FUSE_READ $reads"
  if [ "$setups" -eq 0 ] || [ "$reads" -ne 0 ]; then echo "suite: FAIL (with DAX, reads must go through mappings)"; exit 1; fi
fi
if diff -u "$HERE/fstest.expected" <(grep -v '^drydock-init: mounted' "$work/lines.txt") > "$work/diff.txt"; then
  echo "suite: PASS"
else
  cat "$work/diff.txt"; tail -30 "$log"
  [ "$backend" = inproc ] || { echo "--- $backend virtiofsd log:"; tail -30 "$work/virtiofsd.log"; }
  echo "suite: FAIL"; exit 1
fi
