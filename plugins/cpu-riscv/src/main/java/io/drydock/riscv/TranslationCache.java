package io.drydock.riscv;

import java.lang.invoke.MethodHandle;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The translated classes of this JVM by what they were made from, so that the same guest code translated again —
 * by another machine (a reboot in the shell, the bench DSL's next run, the suite's warm-JVM Linux boots), after a
 * fence.i or a reset, or at another physical address — gets the class already made, whose {@code run} HotSpot
 * has usually compiled by then, instead of a new class compiled again from the interpreter up.
 *
 * <p>A {@link Block}'s code is a function of its {@link Region}'s decoded words, the region's start offset in its
 * page (whether an exit leaves the page), the translation switches read when it is made (region shape,
 * chaining, cross-page links, calls) and the form of its loads and stores (leaving on a miss, or calling the slow
 * path for a page that keeps missing: {@link CodePage#callOnMiss}): those are the key. The code is position-independent (pc is an argument) and
 * keeps no state of its own: the links, the jalr cache and the code page are fields of each instance
 * ({@link Block#next}, {@link Block#page}), which {@link #block} makes new for every use, so two machines never
 * share anything but the method.
 *
 * <p>Bounded ({@code -Ddrydock.jit.shared=N} classes, default 4096, least recently used dropped first; 0 turns
 * sharing off): a class leaves the cache and, once no block of it is left, is unloaded with its compiled code as
 * before. A Linux boot to power-off translates about 200 regions, the suite's programs tens.
 */
final class TranslationCache {
    private TranslationCache() {}

    static volatile int capacity = JitProperty.integer("drydock.jit.shared", 4096, 0, 1 << 20);

    /** What a class was made from: the region's words, its start offset and the switches of {@link #options()}. */
    record Key(int start, int options, long[] ws) {
        @Override public boolean equals(Object o) {
            return o instanceof Key k && k.start == start && k.options == options && Arrays.equals(k.ws, ws);
        }
        @Override public int hashCode() { return (31 * start + options) * 31 + Arrays.hashCode(ws); }
    }

    /** A class made: its constructor ({@code (int length, int exits, Block[] page)}), length and exit count. */
    record Made(MethodHandle constructor, int length, int exits) {}

    private static final Map<Key, Made> MADE = new LinkedHashMap<>(256, 0.75f, true) {
        @Override protected boolean removeEldestEntry(Map.Entry<Key, Made> eldest) { return size() > capacity; }
    };

    /** Classes found here instead of being made again, for the README's measurements and the tests. */
    static final java.util.concurrent.atomic.AtomicLong reused = new java.util.concurrent.atomic.AtomicLong();

    /** The translation switches a class's code depends on besides its region's words, as bits. */
    static int options() {
        return Math.min(Block.chain, 0xffff) | Block.crossPage << 16 | Block.calls << 17
                | (Region.acrossBranches ? 1 << 18 : 0) | (Region.loopsOnly ? 1 << 19 : 0);
    }

    /** The key of region {@code r} at offset {@code start}, its accesses going on after a miss or not (CodePage.callOnMiss). */
    static Key key(Region r, int start, boolean callOnMiss) { return new Key(start, options() | (callOnMiss ? 1 << 20 : 0), r.ws()); }

    /** The class made from {@code key}, or null. */
    static Made find(Key key) {
        if (capacity == 0) return null;
        synchronized (MADE) {
            Made m = MADE.get(key);
            if (m != null) reused.incrementAndGet();
            return m;
        }
    }

    static void put(Key key, Made made) {
        if (capacity == 0) return;
        synchronized (MADE) { MADE.put(key, made); }
    }

    /** A new block of class {@code made} for a code page ({@link Block#page}), with links of its own. */
    static Block block(Made made, Block[] page) throws Throwable {
        return (Block) made.constructor().invoke(made.length(), made.exits(), page);
    }

    /** Drops every class (tests). */
    static void clear() {
        synchronized (MADE) { MADE.clear(); }
    }
}
