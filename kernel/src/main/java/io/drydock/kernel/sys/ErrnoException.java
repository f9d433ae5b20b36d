package io.drydock.kernel.sys;

import java.io.IOException;

/** A failed system call: its name, the errno it set, and what it was acting on. */
public final class ErrnoException extends IOException {
    private final int errno;
    private final String call;

    public ErrnoException(String call, int errno, String subject) {
        super(call + "(" + subject + "): " + Errno.describe(errno));
        this.call = call;
        this.errno = errno;
    }

    public int errno() { return errno; }

    public String call() { return call; }
}
