package io.drydock.virtiofs.fuse.server;

/** What {@link FuseServer#handle} did with one request; the transport completes the request accordingly. */
public sealed interface FuseOutcome {
    /** A reply of {@code length} bytes (header included) is in the sink; {@code error} is 0 or a positive errno. */
    record Replied(long length, int error) implements FuseOutcome {}

    /** The request takes no reply (FORGET, BATCH_FORGET, INTERRUPT): the transport completes it with 0 bytes. */
    record NoReply() implements FuseOutcome {}

    /** The request could not even be answered (no complete header, no room for a reply header). */
    record Dropped(String reason) implements FuseOutcome {}
}
