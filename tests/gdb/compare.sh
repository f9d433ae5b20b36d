#!/usr/bin/env bash
# tests/gdb/compare.sh: the same gdb-multiarch batch script (session.gdb: break at a function, step lines,
# print locals and registers, watch a store, single-step, continue to the exit) against Drydock's GDB stub
# (scripts/run --gdb tcp::PORT -S) and against qemu-system-riscv64 -M virt -bios none -kernel X.elf -s -S,
# both on the repository's gdbdemo.elf; the normalised transcripts must be identical.
# Normalised away, each a known difference that is not an answer to the script's questions:
#  - the first stop: QEMU's harts start in its reset ROM at 0x1000, Drydock's at 0x80000000 with the
#    registers the ROM would set (plugins/cpu-riscv/README.md, "Entry");
#  - the end: Drydock reports the guest's exit to gdb ("[Inferior 1 ... exited normally]"); QEMU 7.2's
#    sifive_test exits the emulator without telling gdb ("Remote connection closed").
# Usage: tests/gdb/compare.sh [OUTDIR]   (prints both transcripts' diff on failure; exit 0 when equal)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
out="${1:-$(mktemp -d)}"
mkdir -p "$out"
elf="$root/plugins/cpu-riscv/guest/gdbdemo.elf"
script="$root/tests/gdb/session.gdb"
for tool in gdb-multiarch qemu-system-riscv64; do # exit 77: scripts/test says SKIP (.ci/run installs both)
    command -v "$tool" >/dev/null || { echo "$tool is not installed" >&2; exit 77; }
done

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

wait_port() { # wait until something listens on 127.0.0.1:$1 (the JVM takes a moment to start)
    for _ in $(seq 1 200); do
        (exec 3<>/dev/tcp/127.0.0.1/"$1") 2>/dev/null && return 0
        sleep 0.1
    done
    echo "nothing listens on 127.0.0.1:$1" >&2; return 1
}

# gdb_session NAME PORT: runs the script against the stub on PORT, transcript in $out/NAME.raw
gdb_session() {
    timeout 120 gdb-multiarch -batch -nx -ex 'set architecture riscv:rv64' -ex "file $elf" \
        -ex "directory $root/plugins/cpu-riscv/guest" \
        -ex "target remote 127.0.0.1:$2" -x "$script" >"$out/$1.raw" 2>&1 || true
}

normalise() {
    sed -E -e '2s/^0x[0-9a-f]+ in .*$/<entry>/' \
        -e 's/^\[Inferior 1 \(Remote target\) exited normally\]$/<exit>/' \
        -e 's/^Remote connection closed$/<exit>/' \
        -e '/session\.gdb:[0-9]+: Error in sourced command file:$/d' "$1"
}

# The stub listens before the machine starts; probing the port with a bare connect is harmless (the stub
# serves one client at a time and the probe hangs up at once).
port=$(free_port)
"$root/scripts/run" --kernel "$elf" --gdb "tcp::$port" -S >"$out/drydock.console" 2>"$out/drydock.stderr" </dev/null &
dd_pid=$!
wait_port "$port"
gdb_session drydock "$port"
dd_rc=0; wait "$dd_pid" || dd_rc=$?

port=$(free_port)
timeout 120 qemu-system-riscv64 -M virt -bios none -kernel "$elf" -display none -monitor none -serial "file:$out/qemu.console" \
    -gdb "tcp:127.0.0.1:$port" -S </dev/null >"$out/qemu.stderr" 2>&1 &
q_pid=$!
wait_port "$port"
gdb_session qemu "$port"
wait "$q_pid" || true

normalise "$out/drydock.raw" >"$out/drydock.txt"
normalise "$out/qemu.raw" >"$out/qemu.txt"
grep -q 'gdbdemo total 30' "$out/drydock.console" || { echo "drydock: the guest did not finish (console: $(cat "$out/drydock.console"))" >&2; exit 1; }
[[ $dd_rc == 0 ]] || { echo "drydock: scripts/run exited $dd_rc" >&2; cat "$out/drydock.stderr" >&2; exit 1; }
grep -q 'Hardware watchpoint 2: counter' "$out/drydock.txt" || { echo "drydock: no watchpoint in the transcript" >&2; cat "$out/drydock.txt" >&2; exit 1; }
if ! diff -u "$out/qemu.txt" "$out/drydock.txt"; then
    echo "gdb transcripts differ (QEMU vs Drydock; raw ones in $out)" >&2
    exit 1
fi
echo "gdb: the same $(wc -l <"$out/drydock.txt") lines of answers from Drydock and QEMU ($out)"
