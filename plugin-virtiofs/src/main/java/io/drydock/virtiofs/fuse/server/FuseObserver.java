package io.drydock.virtiofs.fuse.server;

import io.drydock.virtiofs.fuse.abi.FuseOpcode;

/**
 * Told about every request the server finished: for metrics (per-opcode counts, latency histograms)
 * and a live trace. Called on the request's thread after the reply is written, so it must be quick and
 * thread-safe; an exception it throws is logged and ignored.
 *
 * @see FuseStats a counting implementation
 */
@FunctionalInterface
public interface FuseObserver {
    /**
     * @param opcode the opcode, or null when it was unknown ({@code rawOpcode} has the value)
     * @param inBytes the request length
     * @param outBytes the reply length, 0 when there was no reply
     * @param error 0 or a positive errno
     * @param nanos time from decode to reply
     */
    void onRequest(FuseOpcode opcode, int rawOpcode, long unique, long nodeid, long inBytes, long outBytes, int error,
                   long nanos);

    /** One that is told and does nothing. */
    static FuseObserver none() { return Ignoring.OBSERVER; }

    /**
     * What {@link #none()} returns. Not a field of this interface: a field would give it a static initialiser,
     * and the JDK's AOT cache does not link ahead of time the lambdas that implement an interface with one.
     */
    enum Ignoring implements FuseObserver {
        OBSERVER;

        @Override public void onRequest(FuseOpcode opcode, int rawOpcode, long unique, long nodeid, long inBytes,
                                        long outBytes, int error, long nanos) {}
    }

    /** Both, in order. */
    default FuseObserver andThen(FuseObserver next) {
        return (op, raw, unique, nodeid, in, out, error, nanos) -> {
            onRequest(op, raw, unique, nodeid, in, out, error, nanos);
            next.onRequest(op, raw, unique, nodeid, in, out, error, nanos);
        };
    }
}
