package io.drydock.bench.progress;

/**
 * One long operation's progress: steps done out of a total. Close it when the operation ends (it prints
 * its final line, or takes its bar off the status line). Thread-safe: workers may step concurrently.
 */
public sealed interface Progress extends AutoCloseable permits ProgressState {

    /** One more step done. */
    default void step() { step(1); }

    /** {@code n} more steps done. */
    void step(long n);

    /** Sets the steps done (for work that reports a position, e.g. bytes copied). */
    void set(long done);

    /** A short note shown beside the bar ("run 3 dax"); null clears it. */
    void message(String message);

    long done();

    /** The total; ≤ 0 when unknown (then no percentage is shown). */
    long total();

    String label();

    /** Ends the operation. Idempotent. */
    @Override void close();
}
