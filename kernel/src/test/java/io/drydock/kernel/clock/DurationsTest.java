package io.drydock.kernel.clock;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DurationsTest {
    @Test
    void durationsReadAsPeopleWriteThem() {
        assertEquals("5 s", Durations.format(Duration.ofSeconds(5)));
        assertEquals("1.5 s", Durations.format(Duration.ofMillis(1500)));
        assertEquals("250 ms", Durations.format(Duration.ofMillis(250)));
        assertEquals("1.234 ms", Durations.format(Duration.ofNanos(1_234_000)));
        assertEquals("12 µs", Durations.format(Duration.ofNanos(12_000)));
        assertEquals("7 ns", Durations.format(Duration.ofNanos(7)));
        assertEquals("0 ns", Durations.format(Duration.ZERO));
        assertEquals("1 min", Durations.format(Duration.ofSeconds(60)));
        assertEquals("2 min 30 s", Durations.format(Duration.ofSeconds(150)));
        assertEquals("1 h 5 min", Durations.format(Duration.ofMinutes(65)));
        assertEquals("3650 d", Durations.format(Duration.ofDays(3650)));
        assertEquals("-5 s", Durations.format(Duration.ofSeconds(-5)));
    }
}
