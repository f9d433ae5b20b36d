package io.drydock.kernel.machine;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The guest's console (the board's UART): everything the guest writes is captured in a buffer and, when
 * bridged, echoed to a stream (the terminal); input comes from {@link #send} or a bridged stream.
 *
 * <p>Guest side (the UART model, on hart threads): {@link #guestWrite}, {@link #guestRead},
 * {@link #guestHasInput}, {@link #onGuestInput}. User side (scripts, the shell, tests): {@link #send},
 * {@link #output}, {@link #waitFor}, {@link #bridge}. Thread-safe.
 */
public final class MachineConsole {
    /** The capture keeps at most this many bytes; older output is dropped (and counted). */
    public static final int CAPTURE_LIMIT = 8 << 20;

    private final Object lock = new Object();
    private byte[] captured = new byte[4096];
    private int length;
    private long dropped;
    private final ArrayDeque<Byte> input = new ArrayDeque<>();
    private final List<Runnable> inputListeners = new CopyOnWriteArrayList<>();
    private volatile OutputStream echo;

    // ---- guest side ----

    /** A byte the guest transmitted. */
    public void guestWrite(int b) {
        synchronized (lock) {
            if (length == captured.length) grow();
            captured[length++] = (byte) b;
            lock.notifyAll();
        }
        OutputStream out = echo;
        if (out != null) {
            try {
                out.write(b);
                if (b == '\n') out.flush();
            } catch (IOException e) {
                echo = null; // the terminal went away; keep capturing
            }
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

    /** Queues text (UTF-8) for the guest to read. */
    public void send(String text) { send(text.getBytes(StandardCharsets.UTF_8)); }

    public void send(byte[] bytes) {
        synchronized (lock) {
            for (byte b : bytes) input.add(b);
        }
        inputListeners.forEach(Runnable::run);
    }

    /** Everything the guest wrote since the last {@link #clear()} (up to the capture limit), as UTF-8. */
    public String output() {
        synchronized (lock) { return new String(captured, 0, length, StandardCharsets.UTF_8); }
    }

    public void clear() {
        synchronized (lock) {
            length = 0;
            dropped = 0;
        }
    }

    /**
     * Waits until the captured output matches {@code regex} (searched anywhere) and returns the match.
     *
     * @throws MachineException on timeout, with the last lines of output in the message
     */
    public String waitFor(String regex, Duration timeout) {
        Pattern p = Pattern.compile(regex);
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (true) {
                Matcher m = p.matcher(new String(captured, 0, length, StandardCharsets.UTF_8));
                if (m.find()) return m.group();
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new MachineException("console: no match for /" + regex + "/ within " + timeout
                            + "; output ends with:\n" + tail(10));
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
    public String tail(int lines) {
        String all = output();
        int i = all.endsWith("\n") ? all.length() - 1 : all.length();
        for (int n = 0; i > 0; i--) {
            if (all.charAt(i - 1) == '\n' && ++n == lines) break;
        }
        return all.substring(i);
    }

    /** Echoes guest output to {@code out} from now on (null stops echoing). */
    public void echoTo(OutputStream out) { echo = out; }

    /**
     * Bridges the console to a terminal: output echoed to {@code out}, bytes read from {@code in} sent to the
     * guest by a daemon thread until {@code in} ends. Returns that thread.
     */
    public Thread bridge(InputStream in, OutputStream out) {
        echoTo(out);
        return Thread.ofPlatform().daemon().name("console-input").start(() -> {
            byte[] buf = new byte[256];
            try {
                int n;
                while ((n = in.read(buf)) > 0) send(java.util.Arrays.copyOf(buf, n));
            } catch (IOException e) {
                // input closed: nothing more to send
            }
        });
    }

    private void grow() {
        if (captured.length < CAPTURE_LIMIT) {
            captured = java.util.Arrays.copyOf(captured, Math.min(CAPTURE_LIMIT, captured.length * 2));
        } else {
            int drop = captured.length / 2;
            System.arraycopy(captured, drop, captured, 0, length - drop);
            length -= drop;
            dropped += drop;
        }
    }

    /** Bytes of output dropped from the start of the capture because it was full. */
    public long droppedBytes() {
        synchronized (lock) { return dropped; }
    }
}
