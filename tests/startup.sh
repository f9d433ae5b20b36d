#!/usr/bin/env bash
# tests/startup.sh — scripts/run's start-up machinery, end to end (issue #15):
#  1. a cold run loads only the plugins its machine uses (the plugin index), and the same output, exit code
#     and messages come from cold and warm runs (scripts/run --warm: the run server and its C client):
#     a bare ELF, the unikernel with arguments, a faulting app (139), a bad option (2), piped input with
#     its end (the cli's `exit 7`), a missing file relative to the caller's directory
#  2. --log goes cold (process-wide levels), and a server whose jars changed asks for a cold run and stops
#  3. the server stops by itself when idle
#  4. the AOT cache is stale after a jar changes and is then not used; a bare ELF's command line gets its own
#     cache (run-elf), any other run.aot
set -uo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
cd "$root"
command -v cc >/dev/null || { echo "startup: SKIP: no C compiler (build-essential) for the warm client"; exit 77; }
[[ -f build/export/hello ]] || { echo "startup: SKIP: no build/export (scripts/setup)"; exit 77; }
pass=0 fail=0
ok() { echo "PASS $1"; pass=$((pass + 1)); }
bad() { echo "FAIL $1"; fail=$((fail + 1)); [[ -n "${2:-}" ]] && echo "$2" | head -20; }
tmp="$(mktemp -d /tmp/drydock-startup-test.XXXXXX)"
export DRYDOCK_WARM_IDLE=60
stop_server() { # the test's own server: the one listening on build/warm/run.sock
    local pid
    pid="$(pgrep -f "io.drydock.shell.RunServer $root/build/warm/run.sock" || true)"
    [[ -n "$pid" ]] && kill $pid 2>/dev/null
    for _ in $(seq 50); do [[ -S build/warm/run.sock ]] || break; sleep 0.1; done
    rm -f build/warm/run.sock
}
trap 'stop_server; rm -rf "$tmp"' EXIT
stop_server

# 1. cold and warm give the same
elf=plugins/cpu-riscv/guest/hello.elf
same() { # name, stdin file, args...
    local name=$1 input=$2; shift 2
    local co ce cr wo we wr
    co="$(scripts/run "$@" <"$input" 2>"$tmp/ce" | tr -d '\r')"; cr=${PIPESTATUS[0]}
    wo="$(scripts/run --warm "$@" <"$input" 2>"$tmp/we" | tr -d '\r')"; wr=${PIPESTATUS[0]}
    ce="$(grep -v '^run server' "$tmp/ce")"; we="$(cat "$tmp/we")"
    if [[ "$co" == "$wo" && "$cr" == "$wr" && "$ce" == "$we" ]]; then ok "$name: cold and warm alike (exit $cr)"
    else bad "$name: cold exit $cr, warm exit $wr" "$(diff <(echo "$co"; echo "$ce") <(echo "$wo"; echo "$we"))"; fi
}
echo -n > "$tmp/empty"
printf 'echo hi there\ncat /etc/motd\nexit 7\n' > "$tmp/cli"
same "bare ELF" "$tmp/empty" --kernel "$elf"
same "unikernel with arguments" "$tmp/empty" --virtio-fs-dir=build/export -e "/hello a b"
same "faulting app" "$tmp/empty" --virtio-fs-dir=build/export -e /crash
same "bad option" "$tmp/empty" --bogus
same "piped input and its end" "$tmp/cli" --virtio-fs-dir=build/export -e /cli
same "input ends while the cli reads" "$tmp/empty" --virtio-fs-dir=build/export -e /cli
(cd "$tmp" && "$root/scripts/run" --warm --kernel nothere.elf 2>"$tmp/err"); rc=$?
if [[ $rc == 2 ]] && grep -q "$tmp/nothere.elf: no such file" "$tmp/err"; then ok "warm paths are the caller's (exit 2)"; else bad "warm relative path (rc $rc)" "$(cat "$tmp/err")"; fi
if grep -q "^cpu-riscv" build/plugins/.plugin-words 2>/dev/null || grep -q "cpu-riscv" build/plugins/.plugin-words 2>/dev/null; then
    ok "the plugin index exists after a full load"
else bad "no plugin index in build/plugins"; fi

# 2. --log goes cold; changed jars make the server ask for cold runs and stop
out="$(scripts/run --warm --log bus=debug --kernel "$elf" 2>&1)"; rc=$?
[[ $rc == 0 && "$out" == *"hello from rv64"* ]] && ok "--log runs cold" || bad "--log (rc $rc)" "$out"
pgrep -f "io.drydock.shell.RunServer $root/build/warm/run.sock" >/dev/null && ok "a server is up" || bad "no server after warm runs"
touch build/plugins/*.jar
out="$(scripts/run --warm --kernel "$elf" 2>&1)"; rc=$?
[[ $rc == 0 && "$out" == *"hello from rv64"* ]] && ok "after a jar changed the run still works" || bad "after touch (rc $rc)" "$out"
for _ in $(seq 60); do [[ -S build/warm/run.sock ]] || break; sleep 0.5; done
if [[ ! -S build/warm/run.sock ]] || ! build/warm/run-client build/warm/run.sock 0 "$tmp/st" --help >/dev/null 2>&1 ||
        [[ "$(cat "$tmp/st" 2>/dev/null)" == cold ]]; then ok "a server whose jars changed stops (or asks for cold runs)"
else bad "the stale server still serves warm runs"; fi
stop_server

# 3. idle stop
DRYDOCK_WARM_IDLE=2 scripts/run --warm --kernel "$elf" >/dev/null 2>&1
for _ in $(seq 120); do [[ -S build/warm/run.sock ]] || break; sleep 0.5; done
[[ ! -S build/warm/run.sock ]] && ok "the server stops by itself when idle" || bad "the server did not stop after 2 s idle"
stop_server

# 4. a stale AOT cache is not used
source scripts/lib/java.sh
drydock_entry "$root" run
if [[ -f build/aot/run.aot ]]; then
    touch build/lib/drydock-shell.jar
    if aot_cache_fresh build/aot/run.aot "${ENTRY_WATCH[@]}"; then bad "the AOT cache is still believed after a jar changed"
    else ok "a jar newer than the AOT cache makes it stale"; fi
    DRYDOCK_AOT_SYNC=1 drydock_aot "$root" run 2>/dev/null
    aot_cache_fresh build/aot/run.aot "${ENTRY_WATCH[@]}" && ok "scripts/aot records a fresh one" || bad "the AOT cache was not re-recorded"
    DRYDOCK_AOT_SYNC=1 drydock_aot "$root" run-elf 2>/dev/null
    aot_cache_fresh build/aot/run-elf.aot "${ENTRY_WATCH[@]}" && ok "and the bare ELF's as well" || bad "the bare ELF's AOT cache was not re-recorded"
else
    echo "skip: no AOT cache recorded (scripts/aot)"
fi
picked=""
for line in "--kernel a.elf" "--kernel=a.elf -m 64M --harts 2 --append x --timeout 5" "-s --kernel a.elf" \
            "--kernel a.elf --device mailbox,irq=9" "--kernel=a.elf --virtio-fs-dir=d" "--kernel a.elf --dax 1G" \
            "--virtio-fs-dir=d -e /hello" "-e /hello" "--help" ""; do
    read -r -a words <<< "$line"
    drydock_run_cache "${words[@]}"
    picked+="$RUN_CACHE "
done
[[ "$picked" == "run-elf run-elf run-elf run run run run run run run " ]] && ok "a bare ELF's command line picks run-elf.aot, any other run.aot" \
    || bad "the AOT cache picked for a command line" "$picked"
echo "startup: $pass passed, $fail failed"
[[ $fail == 0 ]]
