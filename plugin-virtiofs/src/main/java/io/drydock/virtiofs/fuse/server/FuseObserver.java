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

    FuseObserver NONE = (op, raw, unique, nodeid, in, out, error, nanos) -> {};

    /** Both, in order. */
    default FuseObserver andThen(FuseObserver next) {
        return (op, raw, unique, nodeid, in, out, error, nanos) -> {
            onRequest(op, raw, unique, nodeid, in, out, error, nanos);
            next.onRequest(op, raw, unique, nodeid, in, out, error, nanos);
        };
    }
}
