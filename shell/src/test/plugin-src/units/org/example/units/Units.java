package org.example.units;

/** A Groovy extension module in a plugin jar: {@code 3.KiB} is 3072 (static methods, receiver first). */
public final class Units {
    private Units() {}

    public static long getKiB(Number self) { return self.longValue() << 10; }
}
