package io.drydock.bench;

import groovy.lang.Closure;
import io.drydock.bench.run.RunContext;

/** How the DSL calls script closures: with the state as argument when they take one. */
final class Closures {
    private Closures() {}

    /** Calls {@code c} with {@code arg} if it declares a parameter (or is {@code { it }}), else with none. */
    static Object callWith(Closure<?> c, Object arg) {
        return c.getMaximumNumberOfParameters() == 0 ? c.call() : c.call(arg);
    }

    /** Runs a variant body: delegate is the run context (resolved first), the argument is the state. */
    static void runBody(Closure<?> body, RunContext run) {
        Closure<?> c = (Closure<?>) body.clone();
        c.setResolveStrategy(Closure.DELEGATE_FIRST);
        c.setDelegate(run);
        callWith(c, run.state());
    }

    /** Runs a configuration closure against {@code delegate} (resolved first). */
    static Object configure(Closure<?> c, Object delegate) {
        Closure<?> copy = (Closure<?>) c.clone();
        copy.setResolveStrategy(Closure.DELEGATE_FIRST);
        copy.setDelegate(delegate);
        return copy.call();
    }
}
