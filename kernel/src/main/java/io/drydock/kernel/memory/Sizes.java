package io.drydock.kernel.memory;

import java.util.Locale;

/** Byte sizes: parsing "256M", "4KiB", "1G", plain numbers; formatting as "256 MiB". */
public final class Sizes {
    private Sizes() {}

    public static final long KiB = 1L << 10, MiB = 1L << 20, GiB = 1L << 30;

    /** Formats exact binary multiples as "4 KiB", others as "4097 B" or with one decimal ("1.5 MiB"). */
    public static String format(long bytes) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        int unit = 0;
        double value = bytes;
        while (Math.abs(value) >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        if (value == Math.rint(value)) return (long) value + " " + units[unit];
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }

    /**
     * Parses a size: a plain number of bytes, or a number with K, M, G, T (optionally followed by "iB" or
     * "B"), binary multiples, e.g. "256M", "4KiB", "1G". Throws {@link IllegalArgumentException} naming the text.
     */
    public static long parse(String text) {
        String s = text.trim();
        int i = 0;
        while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '_')) i++;
        if (i == 0) throw new IllegalArgumentException("not a size: '" + text + "' (try 256M, 4KiB, 1G)");
        long number;
        try {
            number = Long.parseLong(s.substring(0, i).replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a size: '" + text + "'", e);
        }
        String suffix = s.substring(i).trim().toUpperCase(Locale.ROOT);
        long multiplier = switch (suffix) {
            case "", "B" -> 1;
            case "K", "KB", "KIB" -> KiB;
            case "M", "MB", "MIB" -> MiB;
            case "G", "GB", "GIB" -> GiB;
            case "T", "TB", "TIB" -> GiB * 1024;
            default -> throw new IllegalArgumentException("not a size: '" + text + "' (unknown unit '" + suffix + "')");
        };
        return Math.multiplyExact(number, multiplier);
    }
}
