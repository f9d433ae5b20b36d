package io.drydock.kernel.clock;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;

/**
 * Durations as people write them in messages and tables: {@code 5 s}, {@code 1.5 s}, {@code 250 ms},
 * {@code 2 min 30 s}, {@code 1 h 5 min} — never ISO-8601's {@code PT5S}.
 */
public final class Durations {
    private Durations() {}

    public static String format(Duration d) {
        if (d == null) return "null";
        if (d.isNegative()) return "-" + format(d.negated());
        long nanos;
        try {
            nanos = d.toNanos();
        } catch (ArithmeticException e) {
            return d.toDays() + " days"; // beyond ~292 years of nanoseconds
        }
        if (nanos < 1_000) return nanos + " ns";
        if (nanos < 1_000_000) return decimal(nanos, 1_000) + " µs";
        if (nanos < 1_000_000_000) return decimal(nanos, 1_000_000) + " ms";
        if (nanos < 60_000_000_000L) return decimal(nanos, 1_000_000_000) + " s";
        long seconds = d.toSeconds();
        if (seconds < 3600) return unit(seconds / 60, "min", seconds % 60, "s");
        if (seconds < 86_400) return unit(seconds / 3600, "h", seconds % 3600 / 60, "min");
        return unit(seconds / 86_400, "d", seconds % 86_400 / 3600, "h");
    }

    /** {@code value / per} with at most three decimals, trailing zeros dropped: 1.5, 250, 1.234. */
    private static String decimal(long value, long per) {
        return BigDecimal.valueOf(value).divide(BigDecimal.valueOf(per), 3, RoundingMode.HALF_UP)
                .stripTrailingZeros().toPlainString();
    }

    private static String unit(long big, String bigUnit, long small, String smallUnit) {
        return small == 0 ? big + " " + bigUnit : big + " " + bigUnit + " " + small + " " + smallUnit;
    }
}
