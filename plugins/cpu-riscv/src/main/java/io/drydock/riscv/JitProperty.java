package io.drydock.riscv;

import java.util.Arrays;

/**
 * The {@code -Ddrydock.jit.*} tuning properties, read one way: absent means the default; a number out of its
 * documented range is clamped into it (as {@code drydock.jit.hot} and {@code drydock.jit.window} always were);
 * anything else — text where a number belongs, a word that is not one of a property's values — is an
 * {@link IllegalArgumentException} that names the property and what it accepts, instead of a silent default.
 */
final class JitProperty {
    private JitProperty() {}

    /** An integer property: the default when unset, else its value clamped to [min, max]. */
    static int integer(String name, int def, int min, int max) {
        String v = System.getProperty(name);
        if (v == null) return def;
        try {
            return Math.clamp(Long.parseLong(v.strip()), min, max);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "-D" + name + "=" + v + ": not an integer (" + min + "–" + max + ", default " + def + ")");
        }
    }

    /** A property with a fixed set of values: the default when unset, else its value, which must be one of them. */
    static String choice(String name, String def, String... values) {
        String v = System.getProperty(name);
        if (v == null) return def;
        for (String ok : values) if (ok.equals(v.strip())) return ok;
        throw new IllegalArgumentException(
                "-D" + name + "=" + v + ": not one of " + Arrays.toString(values) + " (default " + def + ")");
    }
}
