# Sourced by scripts/*: picks a Java 25+ runtime and exports JAVA_HOME and JAVA for it.
# Order: $JAVA_HOME if it is 25 or newer, then the Temurin 25 install path, then `java` on PATH.

java_major() { # the major version of a java binary, or 0 when it does not run
    local v
    v="$("$1" -version 2>&1 | sed -n 's/.* version "\([0-9]*\).*/\1/p' | head -n1)" || true
    echo "${v:-0}"
}

drydock_select_java() {
    local candidate
    for candidate in "${JAVA_HOME:+$JAVA_HOME/bin/java}" /usr/lib/jvm/temurin-25-jdk-amd64/bin/java \
                     "$(command -v java 2>/dev/null || true)"; do
        if [[ -n "$candidate" && -x "$candidate" ]] && (( $(java_major "$candidate") >= 25 )); then
            JAVA="$candidate"
            JAVA_HOME="$(cd "$(dirname "$(readlink -f "$candidate")")/.." && pwd)"
            export JAVA JAVA_HOME
            return 0
        fi
    done
    echo "drydock: needs a JDK 25 or newer: install Temurin 25 or set JAVA_HOME to one" >&2
    return 1
}

# aot_cache_fresh CACHE LIBDIR: true when the AOT cache exists and is newer than every jar of the class path.
# A cache recorded before a rebuild would otherwise still be mapped and run the old classes.
aot_cache_fresh() {
    local cache=$1 lib=$2 jar
    [[ -f "$cache" && -z "${DRYDOCK_NO_AOT:-}" ]] || return 1
    for jar in "$lib"/*.jar; do
        [[ "$cache" -nt "$jar" ]] || return 1
    done
    return 0
}
