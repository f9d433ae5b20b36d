package io.drydock.kernel.machine;

/** What a running {@link Cpu} polls and reports to its machine. */
public interface ExecutionControl {
    /** True once the machine wants the core's thread back (pause, stop, exit, reset). Cheap: a volatile read. */
    boolean stopRequested();

    /** The core cannot go on (an emulator bug, or a guest state the core refuses): the machine stops with this reason. */
    void fail(String reason, Throwable cause);
}
