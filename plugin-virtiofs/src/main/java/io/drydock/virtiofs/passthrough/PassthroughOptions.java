package io.drydock.virtiofs.passthrough;

import java.time.Duration;

/**
 * Options of the passthrough file system.
 *
 * @param readonly every mutating operation fails with EROFS (default false)
 * @param cache how long the client may cache entries, attributes and data (default {@link CacheMode#AUTO})
 * @param xattr extended attributes are passed through; when false the xattr operations answer ENOSYS
 *              and the client stops asking (default false, as the C virtiofsd's {@code no_xattr})
 * @param maxOpenFds open data file descriptors (files and directories being read) kept at once; beyond
 *                   it the least recently used idle one is closed and re-opened on demand; when all are
 *                   busy an open fails with EMFILE (default: an eighth of RLIMIT_NOFILE, see {@link FdLimits})
 * @param maxInodes inodes known at once; beyond it LOOKUP fails with ENFILE until the client forgets some
 *                  (default 262144)
 * @param maxInodeFds O_PATH descriptors of inodes kept open; beyond it idle ones are dropped and re-opened by
 *                    file handle on use (default: a quarter of RLIMIT_NOFILE)
 * @param maxHandles file handles (OPEN, OPENDIR, CREATE without RELEASE) one session may hold; EMFILE beyond
 *                   (default 65536)
 * @param allowDeviceNodes MKNOD may create block and character device nodes (needs root); they are never
 *                         opened either way (default false; sockets and FIFOs are always allowed)
 * @param securityXattrs with {@code xattr}, the {@code security.*} and {@code trusted.*} namespaces pass through
 *                       too (file capabilities, SELinux labels, overlayfs metadata); else EPERM for changes and
 *                       ENODATA for reads (default false)
 * @param readdirplus whether READDIRPLUS is offered at INIT ({@link #offersReaddirplus}); null (the default) offers
 *                    it unless the cache mode is never, as the C virtiofsd does (its {@code -o readdirplus|no_readdirplus}):
 *                    with cache=never the entries and attributes it sends expire at once, so the client discards them
 *                    and must FORGET each entry the reply looked up
 */
public record PassthroughOptions(boolean readonly, CacheMode cache, boolean xattr, int maxOpenFds, int maxInodes,
                                 int maxInodeFds, int maxHandles, boolean allowDeviceNodes, boolean securityXattrs,
                                 Boolean readdirplus) {
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
        if (maxInodeFds < 2) throw new IllegalArgumentException("maxInodeFds " + maxInodeFds);
        if (maxHandles < 1) throw new IllegalArgumentException("maxHandles " + maxHandles);
    }

    /** The defaults, with descriptor budgets sized from RLIMIT_NOFILE (raised first, {@link FdLimits#raise}). */
    public static PassthroughOptions defaults() {
        long limit = FdLimits.raise();
        return new PassthroughOptions(false, CacheMode.AUTO, false, FdLimits.dataFds(limit), 262_144,
                FdLimits.inodeFds(limit), 65_536, false, false, null);
    }

    public PassthroughOptions withReadonly(boolean r) { return new PassthroughOptions(r, cache, xattr, maxOpenFds, maxInodes, maxInodeFds, maxHandles, allowDeviceNodes, securityXattrs, readdirplus); }

    public PassthroughOptions withCache(CacheMode c) { return new PassthroughOptions(readonly, c, xattr, maxOpenFds, maxInodes, maxInodeFds, maxHandles, allowDeviceNodes, securityXattrs, readdirplus); }

    public PassthroughOptions withXattr(boolean x) { return new PassthroughOptions(readonly, cache, x, maxOpenFds, maxInodes, maxInodeFds, maxHandles, allowDeviceNodes, securityXattrs, readdirplus); }

    public PassthroughOptions withMaxOpenFds(int n) { return new PassthroughOptions(readonly, cache, xattr, n, maxInodes, maxInodeFds, maxHandles, allowDeviceNodes, securityXattrs, readdirplus); }

    public PassthroughOptions withMaxInodes(int n) { return new PassthroughOptions(readonly, cache, xattr, maxOpenFds, n, maxInodeFds, maxHandles, allowDeviceNodes, securityXattrs, readdirplus); }

    public PassthroughOptions withMaxInodeFds(int n) { return new PassthroughOptions(readonly, cache, xattr, maxOpenFds, maxInodes, n, maxHandles, allowDeviceNodes, securityXattrs, readdirplus); }

    public PassthroughOptions withMaxHandles(int n) { return new PassthroughOptions(readonly, cache, xattr, maxOpenFds, maxInodes, maxInodeFds, n, allowDeviceNodes, securityXattrs, readdirplus); }

    public PassthroughOptions withAllowDeviceNodes(boolean d) { return new PassthroughOptions(readonly, cache, xattr, maxOpenFds, maxInodes, maxInodeFds, maxHandles, d, securityXattrs, readdirplus); }

    public PassthroughOptions withSecurityXattrs(boolean s) { return new PassthroughOptions(readonly, cache, xattr, maxOpenFds, maxInodes, maxInodeFds, maxHandles, allowDeviceNodes, s, readdirplus); }

    public PassthroughOptions withReaddirplus(Boolean r) { return new PassthroughOptions(readonly, cache, xattr, maxOpenFds, maxInodes, maxInodeFds, maxHandles, allowDeviceNodes, securityXattrs, r); }

    /** READDIRPLUS offered at INIT: as set, else unless the cache mode is never. */
    public boolean offersReaddirplus() { return readdirplus != null ? readdirplus : cache != CacheMode.NEVER; }
}
