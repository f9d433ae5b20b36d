package io.drydock.virtiofs.fuse.filesystem;

import io.drydock.kernel.sys.Errno;
import io.drydock.kernel.sys.ErrnoException;

import java.io.IOException;

/**
 * The exception family of plugin-virtiofs: an operation failed with an errno that goes back to the
 * FUSE client as {@code -errno}. A failed system call ({@link ErrnoException}) is chained as the cause
 * by {@link #of(ErrnoException)}; the server also maps a bare {@link ErrnoException} to its errno.
 */
public class FuseException extends IOException {
    private final int errno;

    public FuseException(int errno, String message) {
        super(message + ": " + Errno.describe(errno));
        this.errno = errno;
    }

    public FuseException(int errno, String message, Throwable cause) {
        super(message + ": " + Errno.describe(errno), cause);
        this.errno = errno;
    }

    public static FuseException of(ErrnoException e) {
        return new FuseException(e.errno(), e.call(), e);
    }

    public int errno() { return errno; }

    /** The errno a throwable stands for: its own for FUSE and syscall failures, EIO for anything else. */
    public static int errnoOf(Throwable t) {
        return switch (t) {
            case FuseException f -> f.errno();
            case ErrnoException e -> e.errno();
            default -> Errno.EIO;
        };
    }
}
