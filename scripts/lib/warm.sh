# Sourced by scripts/run: `scripts/run --warm` (or DRYDOCK_WARM=1), Gradle-daemon style. The first warm run
# starts a run server (io.drydock.shell.RunServer: one JVM with scripts/run's class path, options and AOT
# cache, warmed up on the training boots) listening on build/warm/run.sock; every warm run then connects
# with build/warm/run-client (scripts/lib/run-client.c, built here with cc), which relays the console and
# exits with the run's code. A fresh machine each run; the server stops after DRYDOCK_WARM_IDLE seconds
# (default 600) without a run, and when the jars change. Its log: build/warm/server.log.

drydock_warm_wanted() {
    local a
    [[ -n "${DRYDOCK_JAVA_OPTS:-}" ]] && return 1 # JVM options of a run: only a cold JVM has them
    [[ "${DRYDOCK_WARM:-0}" != 0 ]] && return 0
    for a in "$@"; do [[ "$a" == --warm ]] && return 0; done
    return 1
}

# drydock_warm_run ROOT ARGS...: runs ARGS warm and exits with the run's code; returns (to run cold) when
# the server asks for that (e.g. --log, which changes process-wide levels) or no client can be built.
drydock_warm_run() {
    local root=$1 dir="$1/build/warm" rc st=""
    shift
    local client="$dir/run-client" src="$root/scripts/lib/run-client.c" sock="$dir/run.sock" status="$dir/status.$$"
    mkdir -p "$dir" && chmod 700 "$dir" # only this user may talk to the server (it runs as them)
    if [[ ! -x "$client" || "$src" -nt "$client" ]]; then
        if ! cc -O2 -Wall -o "$client.$$" "$src" 2>"$dir/cc.log" || ! mv -f "$client.$$" "$client"; then
            echo "run: --warm needs a C compiler (cc; Debian build-essential) for its client: running cold ($dir/cc.log)" >&2
            rm -f "$client.$$"
            return 0
        fi
    fi
    if (( ${#sock} > 100 )); then # sun_path holds 108 bytes
        sock="/tmp/drydock-warm-$EUID-$(printf '%s' "$root" | cksum | cut -d' ' -f1).sock"
    fi
    rc=0; "$client" "$sock" 0 "$status" "$@" || rc=$?
    if (( rc == 75 )) && [[ -f "$status" ]]; then
        read -r st < "$status" || true
        rm -f "$status"
        if [[ "$st" == noserver ]]; then
            drydock_warm_start_server "$root" "$sock"
            rc=0; "$client" "$sock" 30000 "$status" "$@" || rc=$?
            st=""
            if (( rc == 75 )) && [[ -f "$status" ]]; then read -r st < "$status" || true; rm -f "$status"; fi
        fi
        [[ "$st" == cold || "$st" == noserver ]] && return 0
    fi
    exit "$rc"
}

drydock_warm_start_server() { # ROOT SOCKET: a server in its own session, detached from this terminal
    local root=$1 sock=$2
    # shellcheck source=java.sh
    source "$root/scripts/lib/java.sh"
    drydock_select_java || return 0
    drydock_entry "$root" run
    drydock_aot "$root" run
    setsid "$JAVA" "${AOT_OPTS[@]}" "${ENTRY_OPTS[@]}" -cp "$ENTRY_CP" io.drydock.shell.RunServer "$sock" "${DRYDOCK_WARM_IDLE:-600}" \
        </dev/null >>"$root/build/warm/server.log" 2>&1 &
}
