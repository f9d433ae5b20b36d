package io.drydock.virtiofs.passthrough;

import java.time.Duration;

/**
 * Options of the passthrough file system.
 *
 * @param readonly every mutating operation fails with EROFS (default false)
 * @param cache how long the client may cache entries, attributes and data (default {@link CacheMode#AUTO})
 * @param xattr extended attributes are passed through; when false the xattr operations answer ENOSYS
 *              and the client stops asking (default true)
 * @param maxOpenFds open data file descriptors (files and directories being read) kept at once; beyond
 *                   it the least recently used idle one is closed and re-opened on demand; when all are
 *                   busy an open fails with EMFILE (default 1024)
 * @param maxInodes inodes (each holding one O_PATH descriptor) known at once; beyond it LOOKUP fails
 *                  with ENFILE until the client forgets some (default 65536)
 */
public record PassthroughOptions(boolean readonly, CacheMode cache, boolean xattr, int maxOpenFds, int maxInodes) {
    /** Rust virtiofsd's cache modes: never (0 s, direct I/O), auto (1 s), always (1 day, keep page cache). */
    public enum CacheMode {
        NEVER(Duration.ZERO), AUTO(Duration.ofSeconds(1)), ALWAYS(Duration.ofDays(1));

        private final Duration timeout;

        CacheMode(Duration timeout) { this.timeout = timeout; }

        /** Entry and attribute validity sent to the client. */
        public Duration timeout() { return timeout; }

        public static CacheMode parse(String s) {
            return switch (s.toLowerCase(java.util.Locale.ROOT)) {
                case "never", "none" -> NEVER;
                case "auto" -> AUTO;
                case "always" -> ALWAYS;
                default -> throw new IllegalArgumentException("cache mode must be never, auto or always: " + s);
            };
        }
    }

    public PassthroughOptions {
        if (maxOpenFds < 1) throw new IllegalArgumentException("maxOpenFds " + maxOpenFds);
        if (maxInodes < 2) throw new IllegalArgumentException("maxInodes " + maxInodes);
    }

    public static PassthroughOptions defaults() { return new PassthroughOptions(false, CacheMode.AUTO, true, 1024, 65536); }

    public PassthroughOptions withReadonly(boolean r) { return new PassthroughOptions(r, cache, xattr, maxOpenFds, maxInodes); }

    public PassthroughOptions withCache(CacheMode c) { return new PassthroughOptions(readonly, c, xattr, maxOpenFds, maxInodes); }

    public PassthroughOptions withXattr(boolean x) { return new PassthroughOptions(readonly, cache, x, maxOpenFds, maxInodes); }

    public PassthroughOptions withMaxOpenFds(int n) { return new PassthroughOptions(readonly, cache, xattr, n, maxInodes); }

    public PassthroughOptions withMaxInodes(int n) { return new PassthroughOptions(readonly, cache, xattr, maxOpenFds, n); }
}
