#!/usr/bin/env bash
# test-on-qemu.sh — CI tests of the guest on QEMU (qemu-system-riscv64 7.2 + C virtiofsd):
#  1. a scripted cli session against tests/expected/cli-session.out (exit code 7 from `exit 7`)
#  2. each system-call test app (picolibc and glibc builds) on a virtio-fs and a ramfs directory,
#     compared with tests/expected/<test>.out — and the same binaries under qemu-riscv64 user mode
#     when it is installed (the expectations are Linux's behaviour, not just ours)
#  3. a host edit seen on the next boot, and by the running guest (virtiofsd cache=none)
#  4. bad command lines: missing app (127), not an ELF (126), dynamic ELF (126), unknown tag (3),
#     unknown kernel option (2), a faulting app (139), a kernel panic (99)
#  5. issue 13/14: the thread, pipe and device suites run on 4 harts (t_clone, t_pipe, t_dev in
#     both libcs, t_pthread in glibc) — part of 2; virtio-fs over virtio-mmio; no virtio-fs device (3);
#     end of input (^D) ends the cli with the last command's status
# Uses prebuilt/ (the committed images) unless USE_BUILD=1. Skips (exit 77) without QEMU.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cd "$here"
# The runner: QEMU + C virtiofsd by default; OSV_RUNNER=scripts/run-drydock-osv runs the same checks on
# Drydock (test-on-drydock.sh).
runner=${OSV_RUNNER:-scripts/run-qemu-osv}
name=$(basename "${OSV_TEST_NAME:-test-on-qemu}")
if [ "$runner" = scripts/run-qemu-osv ]; then
  if ! command -v qemu-system-riscv64 >/dev/null || [ ! -x /usr/lib/qemu/virtiofsd ]; then
    echo "$name: SKIP: qemu-system-riscv64 / virtiofsd not installed"; exit 77
  fi
  if [ "$(id -u)" != 0 ]; then echo "$name: SKIP: virtiofsd needs root"; exit 77; fi
fi
if [ "${USE_BUILD:-0}" = 1 ]; then scripts/build fs=virtiofs export=all image=cli --clean >/dev/null
else scripts/build fs=virtiofs export=all image=cli prebuilt=1 --clean >/dev/null; fi
run() { $runner --timeout "${tmo:-60}" "$@" < /dev/null 2>&1 | tr -d '\r'; return "${PIPESTATUS[0]}"; }
pass=0 fail=0
ok() { echo "PASS $1"; pass=$((pass + 1)); }
# A failure shows the vhost-user daemon's output of the run that failed (its warnings say why a ring stopped).
bad() {
  echo "FAIL $1"; fail=$((fail + 1)); [ -n "${2:-}" ] && echo "$2" | head -20
  if [ -s "$VIRTIOFSD_LOG" ]; then echo "-- virtiofsd's output:"; tail -20 "$VIRTIOFSD_LOG"; fi
}
tmp=$(mktemp -d /tmp/osv-test.XXXXXX)
export VIRTIOFSD_LOG="$tmp/virtiofsd.log"
trap 'rm -rf "$tmp"' EXIT

# 1. cli session
out=$($runner --timeout 60 -e /cli < tests/cli-session.txt 2>&1 | tr -d '\r'); rc=${PIPESTATUS[0]}
if [ "$rc" = 7 ] && d=$(diff <(echo "$out") tests/expected/cli-session.out); then ok "cli session"; else bad "cli session (rc=$rc)" "$d"; fi

# 2. syscall tests
for t in t_files t_dirs t_mem t_time t_misc t_stdio t_clone t_pipe t_dev t_pthread; do
  variants=("" -glibc) harts=() tmo=60
  # 4 harts on a host with fewer cores is slow (hart threads compete): more time, same expectations
  case $t in t_clone|t_pipe|t_dev) harts=(--harts 4) tmo=240 ;; t_pthread) harts=(--harts 4) variants=(-glibc) tmo=240 ;; esac
  for v in "${variants[@]}"; do
    for dir in /data /tmp; do
      rm -rf build/export/data/*
      out=$(run "${harts[@]}" -e "/$t$v $dir" | grep -v '^osv: unimplemented syscall'); rc=$?
      if d=$(diff <(echo "$out") tests/expected/$t.out); then ok "$t$v on $dir"; else bad "$t$v on $dir" "$d"; fi
    done
    if command -v qemu-riscv64 >/dev/null; then
      mkdir -p "$tmp/u" && rm -rf "$tmp/u"/*
      if d=$(diff <(qemu-riscv64 "$here/build/export/$t$v" "$tmp/u" 2>&1) tests/expected/$t.out); then ok "$t$v under qemu-riscv64 (Linux)"; else bad "$t$v under qemu-riscv64" "$d"; fi
    fi
  done
done

tmo=60

# 3. host edits
echo "version one" > build/export/data/edit.txt
out=$($runner -e /cli <<< $'cat /data/edit.txt\nexit' 2>&1 | tr -d '\r')
echo "version two" > build/export/data/edit.txt
out2=$($runner -e /cli <<< $'cat /data/edit.txt\nexit' 2>&1 | tr -d '\r')
if grep -q "version one" <<< "$out" && grep -q "version two" <<< "$out2"; then ok "host edit seen on next boot"; else bad "host edit on next boot" "$out2"; fi
# The edit is made only once the guest has printed the old text (a fixed sleep raced slow boots).
echo "before" > build/export/data/live.txt
mkfifo "$tmp/live.in"
$runner --timeout 120 -e /cli < "$tmp/live.in" > "$tmp/live.out" 2>&1 &
live=$!
exec 3> "$tmp/live.in"
echo "cat /data/live.txt" >&3
for _ in $(seq 1200); do grep -q '^before' "$tmp/live.out" 2>/dev/null && break; sleep 0.1; done
echo "after" > build/export/data/live.txt
printf 'cat /data/live.txt\nexit\n' >&3
exec 3>&-
wait "$live"
out=$(tr -d '\r' < "$tmp/live.out")
if grep -q "^before" <<< "$out" && grep -q "^after" <<< "$out"; then ok "host edit seen by the running guest (cache=none)"; else bad "host edit while running" "$out"; fi

# 4. bad command lines and faults
expect() {  # name, expected rc, expected message (grep -F), run args...
  local name=$1 want=$2 msg=$3; shift 3
  local o; o=$(run "$@"); local r=$?
  if [ "$r" = "$want" ] && grep -qF -- "$msg" <<< "$o"; then ok "$name (rc $r)"; else bad "$name (rc $r, want $want)" "$o"; fi
}
expect "virtio-fs over virtio-mmio" 0 "Hello from the OSv-like guest! argc=2 [mmio]" --transport mmio -e "/hello mmio"
expect "no virtio-fs device" 3 "osv: no virtio-fs device found" --no-fs -e /hello
expect "spinning threads on 1 hart (timer preemption)" 0 "threads spinning on each other (preemption): ok" --harts 1 -e "/t_clone /tmp"
expect "SMP boot on 4 harts" 0 "Hello from the OSv-like guest! argc=2 [smp]" --harts 4 -e "/hello smp"
o=$(printf 'cat /nonexistent\n\004' | $runner --timeout 60 -e /cli 2>&1); r=$?
if [ "$r" = 1 ] && grep -q "No such file" <<< "$o"; then ok "^D ends the cli with the last status (rc $r)"; else bad "^D ends the cli (rc $r)" "$o"; fi
o=$(printf 'exit 5\004\004' | $runner --timeout 60 -e /cli 2>&1); r=$?
if [ "$r" = 5 ]; then ok "^D after a partial line hands the line over (rc $r)"; else bad "^D partial line (rc $r)" "$o"; fi
expect "missing app" 127 "osv: cannot run '/nothere': no such file or directory" -e /nothere
expect "app that is not an ELF" 126 "osv: cannot run '/etc/motd': not an executable" -e /etc/motd
expect "dynamic ELF" 126 "dynamically linked executables are not supported" -e /hello-dynamic
expect "tag that does not exist" 3 "osv: cannot mount virtio-fs tag 'nosuch'" --virtio-fs-tag=nosuch --device-tag=myfs -e /hello
expect "unknown kernel option" 2 "osv: unknown kernel option '--bogus'" --append --bogus -e /hello
expect "faulting app" 139 "/crash: fatal trap: mcause=f (store/AMO page fault)" -e /crash
expect "kernel panic" 99 "PANIC: kernel trap: mcause=7 (store/AMO access fault)" --append --test-panic -e /hello
expect "app exit code" 0 "Hello from the OSv-like guest! argc=3 [a] [b]" -e "/hello a b"
expect "glibc static app" 0 "Hello from the OSv-like guest! argc=2 [glibc]" -e "/hello-glibc glibc"
expect "polling mode (no interrupts)" 0 "Hello from the OSv-like guest!" --append --poll -e /hello

echo "$name: $pass passed, $fail failed"
[ "$fail" = 0 ]
