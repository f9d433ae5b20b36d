package io.drydock.bench.run;

import java.util.Objects;

/**
 * One variant of a bench: its name, the measured body, and optional hooks. Hooks and body run on the
 * thread that runs the bench, never concurrently.
 *
 * <ul>
 *   <li>{@code setup} runs once before any run of any variant; its result is the variant's <em>state</em>
 *       (a booted machine, an open file), handed to every other hook and to the body as
 *       {@link RunContext#state()}. When the state is a Machine or MetricsRegistry, its metrics are
 *       captured around every run.</li>
 *   <li>{@code beforeRun} / {@code afterRun} run around every run (warm-up included), outside the
 *       measurement.</li>
 *   <li>{@code teardown} runs once after the last run, even when a run failed.</li>
 * </ul>
 */
public record VariantSpec(String name, Setup setup, Hook beforeRun, Body body, Hook afterRun, Hook teardown) {

    @FunctionalInterface public interface Setup { Object create() throws Exception; }

    @FunctionalInterface public interface Hook { void accept(Object state) throws Exception; }

    /** The run: measures what {@link RunContext#measure} wraps, or the whole body when it never calls it. */
    @FunctionalInterface public interface Body { void run(RunContext run) throws Exception; }

    public VariantSpec {
        if (name == null || name.isBlank()) throw new IllegalArgumentException("variant name must not be blank");
        Objects.requireNonNull(body, "variant '" + name + "' has no body");
        if (setup == null) setup = () -> null;
        if (beforeRun == null) beforeRun = s -> {};
        if (afterRun == null) afterRun = s -> {};
        if (teardown == null) teardown = s -> {};
    }

    public static VariantSpec of(String name, Body body) {
        return new VariantSpec(name, null, null, body, null, null);
    }
}
