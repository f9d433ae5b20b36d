package io.drydock.bench.run;

/** A bench could not run: a variant's hook or body threw (the cause), or the spec is inconsistent. */
public final class BenchException extends RuntimeException {
    public BenchException(String message, Throwable cause) { super(message, cause); }

    public BenchException(String message) { super(message); }
}
