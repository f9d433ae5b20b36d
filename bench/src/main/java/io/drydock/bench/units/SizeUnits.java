package io.drydock.bench.units;

import java.math.BigDecimal;

/**
 * Groovy extension properties for byte sizes on any number: {@code 512.B}, {@code 4.KiB}, {@code 256.MiB},
 * {@code 1.GiB}, {@code 1.TiB}, {@code 1.5.GiB}; binary multiples, as a {@code long} count of bytes.
 * Registered by META-INF/groovy/org.codehaus.groovy.runtime.ExtensionModule, so any Groovy session with
 * this module on its class path has them.
 *
 * @throws ArithmeticException (from each) when the size is not a whole number of bytes or overflows a long
 */
public final class SizeUnits {
    private SizeUnits() {}

    public static long getB(Number self) { return bytes(self, 0); }

    public static long getKiB(Number self) { return bytes(self, 10); }

    public static long getMiB(Number self) { return bytes(self, 20); }

    public static long getGiB(Number self) { return bytes(self, 30); }

    public static long getTiB(Number self) { return bytes(self, 40); }

    static long bytes(Number n, int shift) {
        return switch (n) {
            case Integer i -> Math.multiplyExact((long) i, 1L << shift);
            case Long l -> Math.multiplyExact(l, 1L << shift);
            case Short s -> Math.multiplyExact((long) s, 1L << shift);
            case Byte b -> Math.multiplyExact((long) b, 1L << shift);
            default -> {
                BigDecimal exact = new BigDecimal(n.toString()).multiply(BigDecimal.valueOf(1L << shift));
                try {
                    yield exact.longValueExact();
                } catch (ArithmeticException e) {
                    throw new ArithmeticException("not a whole number of bytes: " + n + " × 2^" + shift + " = " + exact.toPlainString());
                }
            }
        };
    }
}
