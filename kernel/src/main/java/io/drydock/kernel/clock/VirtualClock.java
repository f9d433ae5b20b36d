package io.drydock.kernel.clock;

/**
 * A machine's time. Virtual time is host time (monotonic) since the machine first started, minus the time
 * it spent paused, so a guest sees no jump across a pause. Host time is {@link System#nanoTime()}.
 * Thread-safe.
 */
public final class VirtualClock {
    private long startedAt = -1;     // host ns at first start
    private long pausedAt = -1;      // host ns when the current pause began, or -1 while running
    private long pausedTotal;        // host ns spent paused before the current pause

    /** Virtual nanoseconds since the first start; 0 before it; frozen while paused. */
    public synchronized long nanos() {
        if (startedAt < 0) return 0;
        long now = pausedAt >= 0 ? pausedAt : System.nanoTime();
        return now - startedAt - pausedTotal;
    }

    public long hostNanos() { return System.nanoTime(); }

    /** Host ns until virtual time reaches {@code virtualNanos} if the clock keeps running (≤ 0: already). */
    public synchronized long hostDelayUntil(long virtualNanos) { return virtualNanos - nanos(); }

    public synchronized boolean running() { return startedAt >= 0 && pausedAt < 0; }

    /** Starts or resumes the clock. */
    public synchronized void run() {
        long now = System.nanoTime();
        if (startedAt < 0) startedAt = now;
        else if (pausedAt >= 0) pausedTotal += now - pausedAt;
        pausedAt = -1;
        notifyAll();
    }

    public synchronized void pause() {
        if (startedAt >= 0 && pausedAt < 0) pausedAt = System.nanoTime();
    }

    /** Back to zero and stopped (machine reset). */
    public synchronized void reset() {
        startedAt = -1;
        pausedAt = -1;
        pausedTotal = 0;
    }
}
