package io.drydock.kernel.machine;

import io.drydock.kernel.clock.Durations;

import java.time.Duration;

/**
 * What {@link Machine#run(Duration)} ended with: the guest's exit code (null when it did not exit), why the
 * run ended, how long it took, and the last lines of the console. Its {@code toString} is what the shell
 * shows after {@code m.run(60.s)}; scripts test {@code m.run(60.s).exitCode == 0}.
 *
 * @param exitCode     the guest's exit code (sifive_test), or null
 * @param outcome      why the run ended
 * @param reason       the same in words, with details (the failure, the timeout)
 * @param elapsed      wall time of this run
 * @param instructions instructions retired by all harts at the end
 * @param consoleTail  the last {@value #TAIL_LINES} lines of console output
 */
public record RunResult(String machine, Integer exitCode, Outcome outcome, String reason, Duration elapsed,
                        long instructions, String consoleTail) {
    public static final int TAIL_LINES = 10;

    public enum Outcome {
        /** The guest reported an exit code. */
        EXITED,
        /** The timeout passed; the machine is still running. */
        TIMED_OUT,
        /** A core failed. */
        FAILED,
        /** The machine was stopped without an exit code. */
        STOPPED,
        /** A hart stopped at a breakpoint or watchpoint ({@link Machine#debug()}); the machine is paused. */
        PAUSED
    }

    /** True when the guest exited with code 0. */
    public boolean ok() { return exitCode != null && exitCode == 0; }

    @Override public String toString() {
        StringBuilder sb = new StringBuilder();
        sb.append("machine '").append(machine).append("': ");
        sb.append(exitCode != null ? "exit code " + exitCode : "no exit code");
        sb.append(" — ").append(reason);
        sb.append(String.format(" (%s, %,d instructions)", Durations.format(elapsed), instructions));
        if (outcome == Outcome.TIMED_OUT) sb.append("; still running, stop() ends it");
        if (consoleTail.isEmpty()) {
            sb.append("\nconsole: (no output)");
        } else {
            sb.append("\nconsole, last lines:");
            String text = consoleTail.endsWith("\n") ? consoleTail.substring(0, consoleTail.length() - 1) : consoleTail;
            for (String l : text.split("\n", -1)) sb.append("\n  | ").append(l.replace("\r", ""));
        }
        return sb.toString();
    }
}
