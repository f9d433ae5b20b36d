package io.drydock.shell;

import io.drydock.kernel.debug.DebugServer;
import io.drydock.kernel.machine.Machine;
import io.drydock.kernel.machine.MachineException;
import io.drydock.kernel.machine.MachineState;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code scripts/run}'s debugger options, in QEMU's spelling: {@code --gdb tcp::PORT} (QEMU's
 * {@code -gdb}), {@code -s} (= {@code --gdb tcp::1234}) and {@code -S} (do not start the harts; gdb's
 * {@code continue} does). The stub listens on 127.0.0.1 only, so only loopback hosts are accepted.
 */
public final class GdbOptions {
    private static final Pattern ENDPOINT = Pattern.compile("(?:tcp:(127\\.0\\.0\\.1|localhost)?:)?(\\d{1,5})");

    String endpoint;
    boolean shorthand;
    boolean frozen;

    /** The options, for RunMain's table. */
    static CommandOptions<RunMain> options(CommandOptions<RunMain> o) {
        return o.value("--gdb,-gdb", "tcp::PORT", "serve gdb's remote protocol on 127.0.0.1:PORT (gdb: target remote :PORT)",
                        (r, v) -> r.gdb.endpoint = v)
                .flag("-s", "shorthand for --gdb tcp::1234, as in QEMU", r -> r.gdb.shorthand = true)
                .flag("-S", "with --gdb or -s: do not start the harts until gdb continues", r -> r.gdb.frozen = true);
    }

    boolean enabled() { return endpoint != null || shorthand; }

    /** The port to listen on; throws IllegalArgumentException for anything but a loopback TCP endpoint. */
    int port() {
        if (endpoint == null) return 1234;
        Matcher m = ENDPOINT.matcher(endpoint);
        if (!m.matches() || Integer.parseInt(m.group(2)) > 65535) {
            throw new IllegalArgumentException("--gdb " + endpoint + ": expected tcp::PORT (the stub listens on 127.0.0.1 only)");
        }
        return Integer.parseInt(m.group(2));
    }

    void check() {
        if (frozen && !enabled()) throw new IllegalArgumentException("-S waits for gdb: give --gdb tcp::PORT or -s too");
        if (enabled()) port();
    }

    /**
     * Runs {@code m} under the stub: starts it (unless -S) and waits until the guest exits — through any
     * number of stops for the debugger — or {@code timeout} passes. Returns the guest's exit code.
     *
     * @throws MachineException on timeout, on a core failure, or when gdb killed the machine
     */
    int run(Machine m, Duration timeout, java.io.PrintStream err) {
        DebugServer server = m.gdb(port());
        err.println("run: " + server + (frozen ? "; the harts wait for gdb's continue (-S)" : ""));
        if (frozen) m.powerOn();
        else m.start();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (m.state() != MachineState.STOPPED) {
            if (System.nanoTime() - deadline > 0) throw new MachineException("machine '" + m.name() + "' did not exit within " + io.drydock.kernel.clock.Durations.format(timeout));
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new MachineException("interrupted while the guest ran under gdb", e);
            }
        }
        if (m.failure() != null) throw new MachineException("machine '" + m.name() + "' failed: " + m.failure());
        if (m.exitCode() == null) throw new MachineException("machine '" + m.name() + "' was stopped by gdb (kill) before the guest exited");
        return m.exitCode();
    }
}
