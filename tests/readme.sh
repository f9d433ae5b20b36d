#!/usr/bin/env bash
# tests/readme.sh — every command of README.md and examples/plugin-template/README.md, exactly as written,
# in order, from a checkout (issue 14 item 7): each line of a ```sh block runs in bash from the directory
# a `cd` line before it went to (a README reads as one shell session from the checkout's root); commands that want a person at the keyboard get their input piped (a cli session)
# and every command a timeout. A command must exit 0; some must also print what the README says they
# print. The README's first ```groovy block (the machine DSL) is piped into scripts/drydock. `scripts/test`
# is not run from here: it is what runs this test. Leaves build/plugins as it found it.
set -uo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
cd "$root"
fails=0 ran=0
log="$(mktemp -d)"
had_mailbox=0; [[ -e build/plugins/mailbox-1.0.0.jar ]] && had_mailbox=1
cleanup() {
    (( had_mailbox )) || rm -f build/plugins/mailbox-1.0.0.jar
    rm -rf "$log"
}
trap cleanup EXIT

# The lines of the ```LANG blocks of FILE, one block after another, "@@block" between blocks.
blocks() { awk -v lang="$2" '
    /^```/ { if (inb) { inb = 0; print "@@block"; next } if ($0 == "```" lang) { inb = 1; next } }
    inb { print }' "$1"; }

# What a command gets on standard input (as typed: each line ends with Enter; run_line keeps the final
# newline that $(...) strips), and what its output must contain (an ERE; empty: rc 0 is enough).
input_for() {
    case "$1" in
        "scripts/setup && scripts/run "*) printf 'ls\ncat /etc/motd\ntime /hello\nexit\n' ;;
        *) : ;;
    esac
}
expect_for() {
    case "$1" in
        "scripts/setup && scripts/run "*) echo 'Welcome to the Drydock' ;;
        "scripts/run --kernel plugins/cpu-riscv/guest/hello.elf"*) echo 'hello from rv64' ;;
        "scripts/run --kernel build/linux-guest/out/Image"*) echo '^drydock-init: powering off' ;;
        "scripts/run --virtio-fs-dir=build/export -e '/hello a b'"*) echo 'Hello from the OSv-like guest' ;;
        "echo 'ls -l /etc' | scripts/run"*) echo 'motd' ;;
        "scripts/run --virtio-fs-dir=build/export --dax 1G -e '/fsbench /data/64M.bin"*) echo 'fnv1a64' ;;
        "scripts/drydock examples/args.groovy a b"*) echo 'args == \[a, b\]' ;;
        "scripts/drydock -e 'println 6*7'"*|"echo 'println 6*7' | scripts/drydock"*) echo '^42$' ;;
        "scripts/drydock -e ':plugins'"*|"scripts/drydock --plugins build/plugins"*) echo 'osv-guest +[^ ]+ +STARTED' ;;
        "../../scripts/drydock -e ':plugins'"*) echo 'mailbox +1\.0\.0 +STARTED' ;;
        "../../scripts/run --device mailbox"*) echo 'mailbox: ID, SCRATCH and COUNTER answer as documented' ;;
        *) : ;;
    esac
}
limit_for() {
    case "$1" in
        scripts/setup*) echo 2400 ;;   # a bound on a hang: 2-3 min on an idle 2-core machine
        plugins/linux-guest/build.sh*) echo 2400 ;;   # a cache hit after scripts/test's Linux block; ~16 min when it builds
        "scripts/run --kernel build/linux-guest/out/Image"*) echo 900 ;;   # Linux to /init: ~15 s idle, 5 min at load 28
        "mvn package"*) echo 900 ;;
        *) echo 300 ;;
    esac
}

run_line() { # dir, line
    local dir=$1 line=$2 input expect limit rc
    input="$(input_for "$line")"; expect="$(expect_for "$line")"; limit="$(limit_for "$line")"
    ran=$((ran + 1))
    ( cd "$dir" && printf '%s' "${input:+$input$'\n'}" | timeout "$limit" bash -c "$line" ) >"$log/out" 2>&1
    rc=$?
    if (( rc != 0 )); then
        echo "FAIL ($dir) $line: exit $rc"; tail -20 "$log/out" | sed 's/^/    /'; fails=$((fails + 1))
    elif [[ -n "$expect" ]] && ! tr -d '\r' <"$log/out" | grep -Eq "$expect"; then
        echo "FAIL ($dir) $line: the output has no /$expect/"; tail -20 "$log/out" | sed 's/^/    /'; fails=$((fails + 1))
    else
        echo "ok: $line"
    fi
}

for readme in README.md examples/plugin-template/README.md; do
    dir="$root" held=""
    while IFS= read -r raw; do
        line="$(sed -e 's/^[[:space:]]*//' -e 's/[[:space:]]*$//' <<<"$raw")"
        # a line ending in a backslash continues on the next, as in the shell
        if [[ "$line" == *'\' && "$line" != \#* ]]; then held+="${line%\\} "; continue; fi
        line="$held$line" held=""
        [[ "$line" == "@@block" ]] && continue
        [[ -z "$line" || "$line" == \#* ]] && continue
        case "$line" in
            scripts/test*) echo "not run: $line (it is what runs this test)"; continue ;;
            "cd "*) dir="$(cd "$dir" && eval "${line%%#*}" && pwd)" || { echo "FAIL $line"; fails=$((fails + 1)); }
                    echo "ok: $line"; continue ;;
        esac
        run_line "$dir" "$line"
    done < <(blocks "$readme" sh)
done

# The machine DSL at the top of README.md, piped into the shell as a user would paste it.
dsl="$(blocks README.md groovy | awk '/^@@block$/ { exit } { print }')"
ran=$((ran + 1))
printf '%s\n' "$dsl" | timeout 300 scripts/drydock >"$log/out" 2>&1
rc=$?
if (( rc == 0 )) && tr -d '\r' <"$log/out" | grep -q 'virtq\.'; then
    echo "ok: README's machine { ... } block in scripts/drydock (:metrics virtq, lspci, virtio, dax, fuseTrace)"
else
    echo "FAIL README's machine { ... } block: exit $rc"; tail -30 "$log/out" | sed 's/^/    /'; fails=$((fails + 1))
fi

echo "readme: $ran commands, $fails failed"
(( fails == 0 ))
