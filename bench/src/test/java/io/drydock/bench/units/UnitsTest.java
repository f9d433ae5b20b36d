package io.drydock.bench.units;

import groovy.lang.GroovyShell;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The units as a script sees them: through a plain GroovyShell, found by the extension module descriptor. */
class UnitsTest {
    private final GroovyShell shell = new GroovyShell();

    private Object eval(String script) { return shell.evaluate(script); }

    @Test
    void sizesAreLongBytes() {
        assertEquals(268_435_456L, eval("256.MiB"));
        assertEquals(4096L, eval("4.KiB"));
        assertEquals(1L << 30, eval("1.GiB"));
        assertEquals(1L << 40, eval("1.TiB"));
        assertEquals(512L, eval("512.B"));
        assertEquals(3L << 29, eval("1.5.GiB"));
        assertEquals(8L << 30, eval("8L.GiB"));
        assertEquals(Long.class, eval("1.KiB").getClass());
        assertEquals(List.of(4096L, 65536L, 1048576L), eval("[4.KiB, 64.KiB, 1.MiB]"));
    }

    @Test
    void sizesRejectFractionsOfBytesAndOverflow() {
        assertThrows(ArithmeticException.class, () -> eval("0.5.B"));
        assertThrows(ArithmeticException.class, () -> eval("10_000_000.TiB"));
    }

    @Test
    void durations() {
        assertEquals(Duration.ofSeconds(5), eval("5.s"));
        assertEquals(Duration.ofMillis(100), eval("100.ms"));
        assertEquals(Duration.ofMinutes(2), eval("2.min"));
        assertEquals(Duration.ofNanos(10_000), eval("10.us"));
        assertEquals(Duration.ofNanos(250), eval("250.ns"));
        assertEquals(Duration.ofHours(1), eval("1.h"));
        assertEquals(Duration.ofMillis(1500), eval("1.5.s"));
        assertEquals(Duration.ofMillis(2100), eval("2.s + 100.ms"));
        assertTrue((Boolean) eval("100.ms < 1.s"));
    }
}
