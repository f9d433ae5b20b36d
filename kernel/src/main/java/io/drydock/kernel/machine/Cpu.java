package io.drydock.kernel.machine;

/**
 * A processor core (a RISC-V hart). The machine runs each on its own platform thread.
 *
 * <p>{@link #run} is called on that thread and executes guest instructions until
 * {@link ExecutionControl#stopRequested()} becomes true (checked at least every few thousand instructions
 * and whenever the core sleeps), then returns. The other methods may be called from any thread while the
 * core is stopped; {@link #wake()} from any thread at any time.
 */
public interface Cpu {
    /** The hart id ("mhartid"). */
    int id();

    void run(ExecutionControl control);

    /** Wakes the core from a wait-for-interrupt sleep (an interrupt became pending, or a stop was requested). */
    void wake();

    /** Back to the entry state of the board (called while stopped). */
    void reset();

    /** The program counter. */
    long pc();

    /** Instructions retired since reset. */
    long instructionsRetired();

    /** One line: id, pc, privilege, sleeping or running. */
    String summary();
}
