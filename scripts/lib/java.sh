# Sourced by the scripts: picks a Java 25+ (JAVA_HOME, then Temurin 25, then `java` on PATH) into $java_bin,
# or exits with a clear message. Also sets $root to the repository (installation) root.
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"

java_major() {
    local v
    v="$("$1" -version 2>&1 | sed -n 's/.* version "\([0-9]*\).*/\1/p' | head -n1)" || true
    echo "${v:-0}"
}

java_bin=""
for candidate in "${JAVA_HOME:+$JAVA_HOME/bin/java}" /usr/lib/jvm/temurin-25-jdk-amd64/bin/java "$(command -v java || true)"; do
    if [[ -n "$candidate" && -x "$candidate" ]] && (( $(java_major "$candidate") >= 25 )); then
        java_bin="$candidate"
        break
    fi
done
if [[ -z "$java_bin" ]]; then
    echo "$(basename "$0"): needs Java 25 or newer: set JAVA_HOME to a JDK 25 (e.g. Temurin 25)" >&2
    exit 2
fi
export JAVA_HOME="$(dirname "$(dirname "$(readlink -f "$java_bin")")")"

# The shell's class path from `mvn install` (build/lib), or a clear message.
require_build() {
    if [[ ! -f "$root/build/lib/drydock-shell.jar" ]]; then
        echo "$(basename "$0"): not built yet: run  scripts/setup  (or: mvn -q install -DskipTests) in $root" >&2
        exit 2
    fi
}
