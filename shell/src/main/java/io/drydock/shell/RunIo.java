package io.drydock.shell;

import io.drydock.kernel.machine.Machine;
import io.drydock.kernel.sys.NativeCall;

import java.io.InputStream;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.ValueLayout;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Where one {@code scripts/run} reads and writes: the guest console's input and output, the messages
 * stream, the working directory relative paths are resolved against, the environment, and whether this
 * process owns a terminal on its input (then the run puts it in raw mode itself). A cold run uses the
 * process's own; a warm run ({@code scripts/run --warm}) the client's, relayed over its socket.
 *
 * @param terminal standard input is a terminal this process must switch to raw mode (a warm client does
 *                 that on its own side, so a warm run passes false)
 * @param machine  set to the run's machine once it is built, so that whoever serves the run can stop it
 *                 (a warm client that went away)
 */
public record RunIo(InputStream in, PrintStream out, PrintStream err, Path cwd, Map<String, String> env, boolean terminal,
                    AtomicReference<Machine> machine) {
    public RunIo(InputStream in, PrintStream out, PrintStream err, Path cwd, Map<String, String> env, boolean terminal) {
        this(in, out, err, cwd, env, terminal, new AtomicReference<>());
    }

    /** This process's standard streams, working directory and environment. */
    public static RunIo system() {
        return new RunIo(System.in, System.out, System.err, Path.of("").toAbsolutePath(), System.getenv(), stdinIsTerminal());
    }

    /**
     * isatty(0). scripts/run says it with {@code -Ddrydock.stdin.terminal=true|false} (bash's {@code [ -t 0 ]}):
     * asking through FFM links a downcall, which costs a cold start tens of milliseconds of method-handle
     * spinning.
     */
    public static boolean stdinIsTerminal() {
        String told = System.getProperty("drydock.stdin.terminal");
        if (told != null) return Boolean.parseBoolean(told);
        try {
            var isatty = NativeCall.plain("isatty", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
            return (int) isatty.handle().invokeExact(0) == 1;
        } catch (Throwable e) {
            return System.console() != null && System.console().isTerminal();
        }
    }

    /** {@code p} resolved against the run's working directory. */
    public Path path(String p) { return cwd.resolve(p); }
}
