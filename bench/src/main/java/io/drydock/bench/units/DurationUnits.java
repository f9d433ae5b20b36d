package io.drydock.bench.units;

import io.drydock.kernel.clock.Durations;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;

/**
 * Groovy extension properties for durations on any number: {@code 10.ns}, {@code 10.us}, {@code 100.ms},
 * {@code 5.s}, {@code 2.min}, {@code 1.h}, {@code 1.5.s}; each a {@link Duration} (fractions rounded to
 * the nanosecond). Registered with {@link SizeUnits} by the module's ExtensionModule descriptor. A string
 * plus a duration reads as people write it ({@code "t = " + 5.s} is "t = 5 s"; the shell does the same for
 * {@code "${5.s}"}).
 */
public final class DurationUnits {
    private DurationUnits() {}

    public static Duration getNs(Number self) { return of(self, 1L); }

    public static Duration getUs(Number self) { return of(self, 1_000L); }

    public static Duration getMs(Number self) { return of(self, 1_000_000L); }

    public static Duration getS(Number self) { return of(self, 1_000_000_000L); }

    public static Duration getMin(Number self) { return of(self, 60_000_000_000L); }

    public static Duration getH(Number self) { return of(self, 3_600_000_000_000L); }

    /** {@code "waited " + 5.s} reads "waited 5 s", as people write it, not ISO-8601's "waited PT5S". */
    public static String plus(String self, Duration d) { return self + Durations.format(d); }

    /** {@code "${n} runs, " + 5.s}: the same for a GString or any other character sequence on the left. */
    public static String plus(CharSequence self, Duration d) { return self + Durations.format(d); }

    static Duration of(Number n, long nanosPerUnit) {
        return switch (n) {
            case Integer i -> Duration.ofNanos(Math.multiplyExact((long) i, nanosPerUnit));
            case Long l -> Duration.ofNanos(Math.multiplyExact(l, nanosPerUnit));
            default -> Duration.ofNanos(new BigDecimal(n.toString()).multiply(BigDecimal.valueOf(nanosPerUnit))
                    .setScale(0, RoundingMode.HALF_UP).longValueExact());
        };
    }
}
