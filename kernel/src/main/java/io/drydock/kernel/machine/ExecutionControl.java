package io.drydock.kernel.machine;

import io.drydock.kernel.debug.DebugStop;

/** What a running {@link Cpu} polls and reports to its machine. */
public interface ExecutionControl {
    /** True once the machine wants the core's thread back (pause, stop, exit, reset). Cheap: a volatile read. */
    boolean stopRequested();

    /** The core cannot go on (an emulator bug, or a guest state the core refuses): the machine stops with this reason. */
    void fail(String reason, Throwable cause);

    /**
     * The core stopped for a debugger (a breakpoint or watchpoint of {@link Machine#debug()}): it returns from
     * {@code run} right after this call; the machine pauses every core. The first report of a run wins.
     */
    default void debugStop(DebugStop stop) {}
}
