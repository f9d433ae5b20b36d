# Sourced by scripts/*: picks a Java 25+ runtime and exports JAVA_HOME and JAVA for it.
# Order: $JAVA_HOME if it is 25 or newer, then the Temurin 25 install path, then `java` on PATH.

# Both are on every start of scripts/run, so they fork as little as they can (each fork and exec is a
# millisecond or two): a JDK's release file is read with bash's own read, readlink runs only for a java that
# is a symbolic link (/usr/bin/java), and the helpers set variables instead of printing into $(...).

java_resolve() { # JAVA_REAL=the java binary $1 with symbolic links resolved
    if [[ -L "$1" ]]; then JAVA_REAL="$(readlink -f "$1")"; else JAVA_REAL=$1; fi
}

java_version() { # JAVA_MAJOR=the major version of the java binary $1, or 0 when it does not run
    local line
    JAVA_MAJOR=""
    java_resolve "$1"
    # The JDK's release file says it without starting a JVM (that alone would cost scripts/run ~50 ms).
    if [[ "$JAVA_REAL" == */bin/java && -f "${JAVA_REAL%/bin/java}/release" ]]; then
        while IFS= read -r line || [[ -n "$line" ]]; do
            if [[ "$line" =~ ^JAVA_VERSION=\"([0-9]+) ]]; then JAVA_MAJOR=${BASH_REMATCH[1]}; return; fi
        done < "${JAVA_REAL%/bin/java}/release"
    fi
    JAVA_MAJOR="$("$1" -version 2>&1 | sed -n 's/.* version "\([0-9]*\).*/\1/p' | head -n1)" || true
    JAVA_MAJOR=${JAVA_MAJOR:-0}
}

java_major() { # the major version of a java binary, or 0 when it does not run (printed)
    java_version "$1"
    echo "$JAVA_MAJOR"
}

drydock_select_java() {
    local candidate
    for candidate in "${JAVA_HOME:+$JAVA_HOME/bin/java}" /usr/lib/jvm/temurin-25-jdk-amd64/bin/java @PATH; do
        [[ "$candidate" == @PATH ]] && candidate="$(command -v java 2>/dev/null || true)"
        [[ -n "$candidate" && -x "$candidate" ]] || continue
        java_version "$candidate"
        if (( JAVA_MAJOR >= 25 )); then
            JAVA="$candidate"
            if [[ "$JAVA_REAL" == /*/bin/java ]]; then JAVA_HOME="${JAVA_REAL%/bin/java}"
            else JAVA_HOME="$(cd "$(dirname "$JAVA_REAL")/.." && pwd)"; fi
            export JAVA JAVA_HOME
            return 0
        fi
    done
    echo "drydock: needs a JDK 25 or newer: install Temurin 25 or set JAVA_HOME to one" >&2
    return 1
}

# drydock_entry ROOT NAME: the JVM command line of an entry point, in this one place: its script starts it
# so, and scripts/aot records its AOT cache with exactly these options and class path (a cache serves only a
# JVM started the same way). Sets ENTRY_CP, ENTRY_OPTS (array), ENTRY_MAIN, ENTRY_TRAIN (array: the main
# class and arguments of the training run), ENTRY_WATCH (array: files and directories whose change makes
# the cache stale).
#   run        scripts/run: a lean class path (no Groovy, no JLine, no picocli), only what a boot loads
#   run-elf    the same JVM as run, its cache trained on the bare ELF alone (drydock_run_cache picks it)
#   drydock    scripts/drydock: the shell, every jar of build/lib
#   virtiofsd  scripts/virtiofsd: plugin-virtiofs's jar and its dependencies (trained by scripts/aot itself)
drydock_entry() {
    local root=$1 name=$2 lib="$1/build/lib" jar
    ENTRY_OPTS=(--enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow -XX:-UsePerfData -Ddrydock.home="$root")
    # Guest RAM is read and written through MemorySegment var handles, which end in ScopedMemoryAccess's
    # @ForceInline getLongUnalignedInternal & co. calling Unsafe.getLongUnaligned(o, offset, bigEndian), a
    # 12-byte method without @ForceInline. C2 judged that one call by the JDK method's own profile, which is
    # immature when the method only ever runs inlined (count -1 in -XX:+LogCompilation), and refused it as
    # "low call site frequency": every C2-compiled translated block and Interpreter.execute called Unsafe out of
    # line for each 16/32/64-bit guest access (6-7 % of the hart's samples). Inlining them by command fixes it
    # (plugins/cpu-riscv/docs/speed.md, "Unsafe accessors inlined"). Unsafe.convEndian, which they call, is refused
    # the same way; inlined too since DRAM hits became raw accesses, where it measured (mark -8 %, mem -12 %:
    # docs/speed.md, "DRAM by raw address under a lease"). quiet: no "CompileCommand: ..." line on stdout.
    ENTRY_OPTS+=(-XX:CompileCommand=quiet "-XX:CompileCommand=inline,jdk.internal.misc.Unsafe::*Unaligned"
                 "-XX:CompileCommand=inline,jdk.internal.misc.Unsafe::convEndian")
    # The same for the two steps of every TLB hit in the hart's loads and stores (cpu-riscv's Interpreter: the fast
    # entry's address, the host address), which the translated blocks reach through ldNHit/stNHit: with the AOT
    # cache's training profiles, C2 left them out of line in some runs and not others, and those runs' mem and
    # interp stayed 20 % slower for good (plugins/cpu-riscv/docs/speed.md, "Steady states that were a coin toss").
    ENTRY_OPTS+=("-XX:CompileCommand=inline,io.drydock.riscv.Interpreter::entry"
                 "-XX:CompileCommand=inline,io.drydock.riscv.Interpreter::hostAt")
    # No -XX:-UseSwitchProfiling or -XX:PerMethodTrapLimit=0 here: they spared a Linux boot C2's recompilations
    # of Interpreter.execute (1.7 s instead of 2.25 s) but cost the guests' steady state more (C2 compiled every
    # cold path of the translated blocks and the FPU: fp and sys ran at 0.25 / 0.30 of QEMU instead of 0.49 / 0.75);
    # plugins/cpu-riscv/docs/speed.md, "JVM flags measured".
    ENTRY_WATCH=()
    case "$name" in
        run|run-elf)
            ENTRY_CP=""
            # drydock-run.jar: the shell's classes without the manifest Class-Path that would drag all of
            # build/lib in (shell/pom.xml); a build from before it existed runs with drydock-shell.jar.
            local shell=drydock-run.jar
            [[ -f "$lib/$shell" ]] || shell=drydock-shell.jar
            for jar in "$shell" drydock-kernel-*.jar pf4j-*.jar java-semver-*.jar slf4j-api-*.jar \
                       logback-classic-*.jar logback-core-*.jar HdrHistogram-*.jar; do
                for jar in "$lib"/$jar; do ENTRY_CP+="${ENTRY_CP:+:}$jar"; done
            done
            # This repository's own plugins (build/plugins/ID-VERSION.jar with the kernel's VERSION, as
            # plugins/pom.xml names them) on the class path as well: their classes are then the application
            # loader's, whose lambdas and string concatenations the AOT cache links ahead of time (a PF4J
            # loader's it does not); PF4J still loads them as plugins (shell's ClassPathPlugins). Any other
            # jar there (a third-party plugin) keeps its own PF4J class loader.
            local version=""
            for jar in "$lib"/drydock-kernel-*.jar; do version="${jar##*/drydock-kernel-}"; version="${version%.jar}"; done
            for jar in "$root"/build/plugins/*-"$version".jar; do [[ -n "$version" && -f "$jar" ]] && ENTRY_CP+=":$jar"; done
            # The application's own extension index is read from Drydock's jars only (ClassPathPlugins), not by
            # opening every jar on the class path.
            ENTRY_OPTS+=("-Ddrydock.extensions.path=$lib/$shell:$lib/drydock-kernel-$version.jar")
            # The JDK's own code compiles after 10x the calls and loop turns, Drydock's (io.drydock.*, the
            # translated guest blocks too) as before: a per-method scale multiplies the global one, so 0.1
            # gives back 1. Of the ~960 methods a cold hello.elf compiled, ~500 were java.lang.invoke and the
            # ClassFile API spinning lambda forms, FFM stubs and lambdas once at start; on 2 cores those
            # compiler threads competed with the main thread. docs/startup.md has the measurements.
            ENTRY_OPTS+=(-XX:+UseParallelGC -XX:CompileThresholdScaling=10
                         "-XX:CompileCommand=CompileThresholdScaling,io.drydock.*::*,0.1")
            # At System.exit HotSpot waits up to UserThreadWaitAttemptsAtExit x 10 ms (default 30) for Java
            # threads in native code; the console's stdin reader sits in read() whenever stdin stays open (a
            # terminal, a pipe), so every such run ended 300 ms after its guest. The output is flushed before
            # RunMain ends the JVM (Runtime.halt, or System.exit under JFR), so nothing waits on those threads: hello.elf at a pty 463 -> 115 ms wall
            # (docs/startup.md, fifth pass).
            ENTRY_OPTS+=(-XX:UserThreadWaitAttemptsAtExit=0)
            ENTRY_MAIN=io.drydock.shell.RunMain
            ENTRY_TRAIN=(io.drydock.shell.AotTraining)
            [[ "$name" == run-elf ]] && ENTRY_TRAIN=(io.drydock.shell.AotTraining --bare-elf)
            ENTRY_WATCH=("$lib"/*.jar "$root"/build/plugins/*.jar) ;;
        drydock)
            ENTRY_CP=""
            # drydock-run.jar is scripts/run's copy of drydock-shell.jar (no manifest Class-Path)
            for jar in "$lib"/*.jar; do [[ "$jar" == */drydock-run.jar ]] || ENTRY_CP+="${ENTRY_CP:+:}$jar"; done
            ENTRY_MAIN=io.drydock.shell.Main
            ENTRY_TRAIN=(io.drydock.shell.Main -e $'def x = [1, 2].collect { it * 2 }\n:plugins\nprintln x')
            ENTRY_WATCH=("$lib"/*.jar "$root"/build/plugins/*.jar) ;;
        virtiofsd)
            local target="$root/plugin-virtiofs/target" deps=""
            [[ -f "$target/classpath.txt" ]] && { read -r deps < "$target/classpath.txt" || true; }  # no final newline
            for jar in "$target"/drydock-plugin-virtiofs-*.jar; do [[ "$jar" == *-tests.jar || "$jar" == *-sources.jar ]] || break; done
            ENTRY_CP="$jar${deps:+:$deps}"
            ENTRY_MAIN=io.drydock.virtiofs.devfuse.VirtiofsdMain
            ENTRY_TRAIN=()
            IFS=: read -r -a ENTRY_WATCH <<< "$ENTRY_CP" ;;
        *) echo "drydock_entry: unknown entry point '$name'" >&2; return 2 ;;
    esac
}

# drydock_run_cache ARG...: RUN_CACHE=run-elf for scripts/run's command line of a bare ELF (--kernel, and no
# option of the unikernel, virtio-fs, DAX or a plugin's device), else run. Every class the AOT cache holds is
# loaded when the JVM starts, and run.aot's unikernel classes (FUSE, virtio, PCI, four more jars' protection
# domains) cost a bare ELF ~10 ms of CPU for nothing (docs/startup.md, sixth pass). Either cache serves any
# run; a misjudged command line only starts slower.
drydock_run_cache() {
    local a kernel=0
    RUN_CACHE=run
    for a in "$@"; do
        case "$a" in
            --kernel|--kernel=*) kernel=1 ;;
            -e|--execute|--execute=*|--image|--image=*|--virtio-fs*|--dax|--dax=*|--device|--device=*) return 0 ;;
        esac
    done
    (( kernel )) && RUN_CACHE=run-elf
    return 0
}

# drydock_aot ROOT NAME: sets AOT_OPTS (array) to use the entry point's AOT cache, build/aot/NAME.aot, when
# it is newer than everything in ENTRY_WATCH (call drydock_entry first). When it is missing or stale (a
# rebuild, a plugin added) this start runs without it, and scripts/aot NAME records a fresh one in the
# background (one at a time; DRYDOCK_NO_AOT=1 turns all of this off, DRYDOCK_AOT_SYNC=1 records in the
# foreground first).
drydock_aot() {
    local root=$1 name=$2 cache="$1/build/aot/$2.aot"
    AOT_OPTS=()
    [[ -z "${DRYDOCK_NO_AOT:-}" ]] || return 0
    if aot_cache_fresh "$cache" "${ENTRY_WATCH[@]}"; then
        AOT_OPTS=(-XX:AOTCache="$cache" -Xlog:aot=off -Xlog:cds=off)
        return 0
    fi
    if [[ -n "${DRYDOCK_AOT_SYNC:-}" ]]; then
        "$root/scripts/aot" "$name" >&2 && AOT_OPTS=(-XX:AOTCache="$cache" -Xlog:aot=off -Xlog:cds=off)
    elif [[ -d "$root/build" ]]; then
        mkdir -p "$root/build/aot"
        setsid "$root/scripts/aot" --quiet "$name" </dev/null >>"$root/build/aot/$name.log" 2>&1 &
    fi
    return 0
}

# aot_cache_fresh CACHE FILE...: true when the cache exists, is newer than every FILE, and was recorded
# with exactly these FILEs (CACHE.files, written by scripts/aot, lists them: a jar added or removed makes
# it stale too). A cache recorded before a rebuild would otherwise still be mapped and run the old classes.
# Only shell builtins: scripts/run pays for this at every start.
aot_cache_fresh() {
    local cache=$1 f recorded=""
    shift
    [[ -f "$cache" && -f "$cache.files" ]] || return 1
    read -r recorded < "$cache.files" || true
    [[ "$recorded" == "$*" ]] || return 1
    for f in "$@"; do
        [[ "$cache" -nt "$f" ]] || return 1
    done
    return 0
}
