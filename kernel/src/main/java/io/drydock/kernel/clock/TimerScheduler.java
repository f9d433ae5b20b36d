package io.drydock.kernel.clock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.PriorityQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs device timer actions when the machine's virtual time reaches their deadline (a CLINT's mtimecmp, an
 * RTC alarm). One daemon thread per machine; actions run on it and must be short (raise a line, set a
 * pending bit). Paused clocks hold timers back. An action that throws is logged and dropped.
 */
public final class TimerScheduler implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TimerScheduler.class);
    private static final AtomicLong SEQUENCE = new AtomicLong();

    /** A scheduled action; {@link #cancel()} before it fires prevents it. */
    public static final class Timer implements Comparable<Timer> {
        private final long deadline;
        private final long seq = SEQUENCE.incrementAndGet();
        private final Runnable action;
        private volatile boolean cancelled;

        private Timer(long deadline, Runnable action) {
            this.deadline = deadline;
            this.action = action;
        }

        public void cancel() { cancelled = true; }

        public long deadlineNanos() { return deadline; }

        @Override public int compareTo(Timer o) {
            int c = Long.compare(deadline, o.deadline);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }

    private final VirtualClock clock;
    private final PriorityQueue<Timer> queue = new PriorityQueue<>();
    private final Thread thread;
    private volatile boolean closed;

    public TimerScheduler(VirtualClock clock, String machineName) {
        this.clock = clock;
        this.thread = Thread.ofPlatform().daemon().name(machineName + "-timers").unstarted(this::loop);
        this.thread.start();
    }

    /** Runs {@code action} once virtual time ≥ {@code virtualDeadlineNanos}. */
    public Timer schedule(long virtualDeadlineNanos, Runnable action) {
        Timer t = new Timer(virtualDeadlineNanos, action);
        synchronized (queue) {
            queue.add(t);
            queue.notifyAll();
        }
        return t;
    }

    /** Wakes the timer thread to re-check deadlines (after the clock resumes). */
    public void poke() {
        synchronized (queue) { queue.notifyAll(); }
    }

    /** Drops every pending timer (machine reset). */
    public void clear() {
        synchronized (queue) { queue.clear(); }
    }

    private void loop() {
        while (!closed) {
            Timer due = null;
            synchronized (queue) {
                Timer head = queue.peek();
                try {
                    if (head == null) {
                        queue.wait();
                    } else if (head.cancelled) {
                        queue.poll();
                    } else if (!clock.running()) {
                        queue.wait(10);
                    } else {
                        long delay = clock.hostDelayUntil(head.deadline);
                        if (delay <= 0) due = queue.poll();
                        else queue.wait(Math.max(1, delay / 1_000_000));
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            if (due != null && !due.cancelled) {
                try {
                    due.action.run();
                } catch (RuntimeException e) {
                    log.error("timer action failed; dropped", e);
                }
            }
        }
    }

    @Override public void close() {
        closed = true;
        thread.interrupt();
    }
}
