package io.drydock.kernel.machine;

import io.drydock.kernel.clock.Durations;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The guest's console (the board's UART): everything the guest writes is captured and, when echoed, shown
 * on a stream (the terminal) as it is written — byte by byte, not held back until a newline; input comes
 * from {@link #send} or a bridged stream.
 *
 * <p>Guest side (the UART model, on hart threads): {@link #guestWrite}, {@link #guestRead},
 * {@link #guestHasInput}, {@link #onGuestInput}. User side (scripts, the shell, tests): {@link #send},
 * {@link #output}, {@link #waitFor}, {@link #bridge}, {@link #attach}. Thread-safe.
 *
 * <p>Echo: a pump thread writes what the guest wrote since its last pass and flushes, so a prompt without
 * a newline shows at once and a burst of output costs one write per pass, not one per byte.
 * {@link #flush()} waits until the echo stream has everything.
 *
 * <p>End of input: when a bridged input stream ends (a pipe closed, {@code echo ls | scripts/run}), the
 * guest receives {@link #EOT} (0x04, what Ctrl-D sends at a raw terminal) as a person at a terminal would
 * type it to end their input: once after a complete line, twice after a partial one ({@code printf exit |
 * scripts/run}). In canonical mode (POSIX termios VEOF) the first ^D after a partial line only hands that
 * line over; only a ^D at the start of a line is end of file, so a single EOT would leave a shell waiting.
 */
public final class MachineConsole {
    /** The capture keeps at most this many bytes; older output is dropped (and counted). */
    public static final int CAPTURE_LIMIT = 8 << 20;
    /** End of transmission (Ctrl-D): sent to the guest when bridged input ends. */
    public static final int EOT = 0x04;
    /** Ctrl-]: detaches an {@link #attach()}ed terminal, as telnet's and QEMU's escape. */
    public static final int DETACH = 0x1d;

    private final Object lock = new Object();
    private byte[] captured = new byte[4096];
    private int length;
    /** Bytes dropped from the start of the capture: the absolute position of captured[0]. */
    private long dropped;
    /** Where the next {@link #waitFor} starts searching (absolute); see there. */
    private long cursor;
    private final ArrayDeque<Byte> input = new ArrayDeque<>();
    private final List<Runnable> inputListeners = new CopyOnWriteArrayList<>();
    private volatile ConsoleTerminal terminal;
    /** Set while the machine is stopped (an attach ends); cleared when it starts again. */
    private boolean machineStopped;

    // echo pump state, under lock
    private OutputStream echo;
    private long echoed;
    private long echoGeneration;
    private Thread pump;

    // ---- guest side ----

    /** A byte the guest transmitted. */
    public void guestWrite(int b) {
        synchronized (lock) {
            if (length == captured.length) grow();
            captured[length++] = (byte) b;
            lock.notifyAll();
        }
    }

    /** The next input byte for the guest, or -1 when none is waiting. */
    public int guestRead() {
        synchronized (lock) {
            Byte b = input.poll();
            return b == null ? -1 : b & 0xff;
        }
    }

    public boolean guestHasInput() {
        synchronized (lock) { return !input.isEmpty(); }
    }

    /** Called (on the sending thread) whenever input arrives, so the UART can raise its interrupt. */
    public void onGuestInput(Runnable listener) { inputListeners.add(listener); }

    // ---- user side ----

    /**
     * Queues text (UTF-8) for the guest to read. Output written before this call is taken as answered: the
     * next {@link #waitFor} looks only at what the guest writes from now on.
     */
    public void send(String text) { send(text.getBytes(StandardCharsets.UTF_8)); }

    public void send(byte[] bytes) {
        synchronized (lock) {
            for (byte b : bytes) input.add(b);
            cursor = end();
        }
        inputListeners.forEach(Runnable::run);
    }

    /** Everything the guest wrote since the last {@link #clear()} (up to the capture limit), as UTF-8. */
    public String output() {
        synchronized (lock) { return new String(captured, 0, length, StandardCharsets.UTF_8); }
    }

    /** Forgets the captured output; {@link #waitFor} then searches from here. */
    public void clear() {
        synchronized (lock) {
            dropped += length;
            length = 0;
            cursor = end();
        }
    }

    /** How many bytes the guest has written in all (an absolute position for {@link #waitFor(String, Duration, long)}). */
    public long position() {
        synchronized (lock) { return end(); }
    }

    /**
     * Waits until the guest's output matches {@code regex} and returns the match. Like expect, it searches
     * only output not yet answered: what came after the end of the previous {@code waitFor}'s match and
     * after the last {@link #send} — so {@code send('ls\n'); waitFor('\\$ ')} waits for the next prompt,
     * not the one already on the screen, while {@code boot(); waitFor('login:')} still sees a banner printed
     * before the call. To search other output, give the position to start at:
     * {@link #waitFor(String, Duration, long)} with 0 (everything captured) or {@link #position()} (only
     * what comes after now).
     *
     * @throws MachineException on timeout, with the last lines of output in the message
     */
    public String waitFor(String regex, Duration timeout) {
        long from;
        synchronized (lock) { from = cursor; }
        return waitFor(regex, timeout, from);
    }

    /** {@link #waitFor(String, Duration)} searching from absolute position {@code from} (see {@link #position()}). */
    public String waitFor(String regex, Duration timeout, long from) {
        Pattern p = Pattern.compile(regex);
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (true) {
                int start = (int) Math.min(length, Math.max(0, from - dropped));
                String text = new String(captured, start, length - start, StandardCharsets.UTF_8);
                Matcher m = p.matcher(text);
                if (m.find()) {
                    int matchEnd = text.substring(0, m.end()).getBytes(StandardCharsets.UTF_8).length;
                    cursor = Math.min(end(), dropped + start + matchEnd);
                    return m.group();
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new MachineException("console: no match for /" + regex + "/ within " + Durations.format(timeout)
                            + "; output ends with:\n" + tailOf(new String(captured, 0, length, StandardCharsets.UTF_8), 10));
                }
                try {
                    lock.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new MachineException("console: interrupted while waiting for /" + regex + "/", e);
                }
            }
        }
    }

    /** The last {@code lines} lines of output. */
    public String tail(int lines) { return tailOf(output(), lines); }

    static String tailOf(String all, int lines) {
        int i = all.endsWith("\n") ? all.length() - 1 : all.length();
        for (int n = 0; i > 0; i--) {
            if (all.charAt(i - 1) == '\n' && ++n == lines) break;
        }
        return all.substring(i);
    }

    // ---- echo, bridge, attach ----

    /** Echoes guest output to {@code out} from now on, as it is written (null stops echoing). */
    public void echoTo(OutputStream out) {
        synchronized (lock) { echoFrom(out, end()); }
    }

    /** Echoes to {@code out} from absolute position {@code from} on (under lock). */
    private void echoFrom(OutputStream out, long from) {
        synchronized (lock) {
            echo = out;
            echoed = Math.max(dropped, Math.min(from, end()));
            echoGeneration++;
            if (out != null && pump == null) {
                pump = Thread.ofPlatform().daemon().name("console-echo").start(this::pumpEcho);
            }
            lock.notifyAll();
        }
    }

    /**
     * Waits (at most {@code timeout}) until everything the guest wrote so far has been written to the echo
     * stream and flushed. Call before printing after the guest's output, or before exiting.
     */
    public void flush(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            long target = end();
            while (echo != null && echoed < target) {
                long left = deadline - System.nanoTime();
                if (left <= 0) return;
                try {
                    lock.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    public void flush() { flush(Duration.ofSeconds(5)); }

    /** The echo pump: writes each new stretch of output and flushes, until the JVM ends. */
    private void pumpEcho() {
        while (true) {
            OutputStream out;
            byte[] chunk;
            long generation;
            synchronized (lock) {
                while (echo == null || echoed >= end()) {
                    try {
                        lock.wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                out = echo;
                generation = echoGeneration;
                long from = Math.max(echoed, dropped);
                chunk = Arrays.copyOfRange(captured, (int) (from - dropped), length);
            }
            boolean failed = false;
            try {
                out.write(chunk);
                out.flush();
            } catch (IOException e) {
                failed = true; // the terminal went away; keep capturing
            }
            synchronized (lock) {
                if (generation == echoGeneration) {
                    echoed += chunk.length;
                    if (failed) echo = null;
                }
                lock.notifyAll();
            }
        }
    }

    /**
     * Bridges the console to a terminal or pipe: output echoed to {@code out} as written, bytes read from
     * {@code in} sent to the guest by a daemon thread; when {@code in} ends, the guest gets the end of
     * input ({@link #endOfInput}). Returns that thread.
     */
    public Thread bridge(InputStream in, OutputStream out) {
        echoTo(out);
        return Thread.ofPlatform().daemon().name("console-input").start(() -> {
            byte[] buf = new byte[256];
            int last = '\n'; // nothing sent yet: at the start of a line
            try {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    if (n > 0) {
                        send(Arrays.copyOf(buf, n));
                        last = buf[n - 1] & 0xff;
                    }
                }
            } catch (IOException e) {
                // input closed: that is its end too
            }
            send(endOfInput(last));
        });
    }

    /**
     * What ends a guest's input after the byte {@code last}: one {@link #EOT} at the start of a line (after
     * a newline, a carriage return or an EOT), two after a partial line — at a POSIX terminal the first ^D
     * only completes a partial line, the second is end of file (termios VEOF, POSIX.1-2017 §11.1.9).
     */
    static byte[] endOfInput(int last) {
        boolean lineStart = last == '\n' || last == '\r' || last == EOT;
        return lineStart ? new byte[]{EOT} : new byte[]{EOT, EOT};
    }

    /** The terminal {@link #attach()} uses; the shell sets it on the machines it builds. */
    public void terminal(ConsoleTerminal t) { terminal = t; }

    /**
     * Gives the terminal to the guest until Ctrl-] ({@link #DETACH}): every key goes to the guest (Ctrl-C
     * and Ctrl-D too), the guest's output shows as it is written. Also ends when the machine stops, when the
     * terminal's input ends, or when the calling thread is interrupted. Returns why it ended.
     *
     * @throws MachineException when no terminal was given (script mode)
     */
    public String attach() {
        ConsoleTerminal t = terminal;
        if (t == null) {
            throw new MachineException("console: no terminal to attach to (attach() works in the interactive shell; "
                    + "in scripts use send() and waitFor())");
        }
        OutputStream previousEcho;
        synchronized (lock) { previousEcho = echo; }
        String why;
        try (AutoCloseable raw = t.raw()) {
            write(t.output(), "[attached to the console; Ctrl-] detaches]\r\n");
            // the line the guest is on shows again (a prompt printed before the attach), then what comes next
            synchronized (lock) { echoFrom(t.output(), lineStart()); }
            why = attachLoop(t);
            flush(Duration.ofSeconds(1));
            write(t.output(), "\r\n"); // the shell goes on at the start of a line, not after the guest's prompt
        } catch (Exception e) {
            why = "terminal failed: " + e.getMessage();
        } finally {
            flush(Duration.ofSeconds(1));
            echoTo(previousEcho);
        }
        return "detached: " + why;
    }

    private String attachLoop(ConsoleTerminal t) throws IOException {
        while (true) {
            synchronized (lock) {
                if (machineStopped) return "the machine stopped";
            }
            if (Thread.currentThread().isInterrupted()) return "interrupted";
            int b = t.read(100);
            if (b == DETACH) return "Ctrl-]";
            if (b == -1) return "end of terminal input";
            if (b >= 0) send(new byte[]{(byte) b});
        }
    }

    private static void write(OutputStream out, String s) throws IOException {
        out.write(s.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** The machine tells its console when it stops and starts (an attach ends at a stop). */
    void machineRunning(boolean running) {
        synchronized (lock) {
            machineStopped = !running;
            lock.notifyAll();
        }
    }

    // ---- capture ----

    private long end() { return dropped + length; }

    /** Where the guest's current (unfinished) line starts: after the last newline, at most 4 KiB back. */
    private long lineStart() {
        int i = length;
        while (i > 0 && length - i < 4096 && captured[i - 1] != '\n') i--;
        return dropped + i;
    }

    private void grow() {
        if (captured.length < CAPTURE_LIMIT) {
            captured = Arrays.copyOf(captured, Math.min(CAPTURE_LIMIT, captured.length * 2));
        } else {
            int drop = captured.length / 2;
            System.arraycopy(captured, drop, captured, 0, length - drop);
            length -= drop;
            dropped += drop;
        }
    }

    /** Bytes of output dropped from the start of the capture because it was full or cleared. */
    public long droppedBytes() {
        synchronized (lock) { return dropped; }
    }
}
