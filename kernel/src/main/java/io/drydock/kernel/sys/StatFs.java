package io.drydock.kernel.sys;

import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/** {@code struct statfs} of LP64 Linux (asm-generic/statfs.h: every field a long, 120 bytes). */
public record StatFs(long type, long bsize, long blocks, long bfree, long bavail, long files, long ffree,
                     long namelen, long frsize) {
    static final int SIZE = 120;

    static StatFs decode(MemorySegment b) {
        // f_type@0 f_bsize@8 f_blocks@16 f_bfree@24 f_bavail@32 f_files@40 f_ffree@48 f_fsid@56 f_namelen@64 f_frsize@72
        return new StatFs(b.get(JAVA_LONG, 0), b.get(JAVA_LONG, 8), b.get(JAVA_LONG, 16), b.get(JAVA_LONG, 24),
                b.get(JAVA_LONG, 32), b.get(JAVA_LONG, 40), b.get(JAVA_LONG, 48), b.get(JAVA_LONG, 64),
                b.get(JAVA_LONG, 72));
    }
}
