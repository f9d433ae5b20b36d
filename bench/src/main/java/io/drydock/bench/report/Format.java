package io.drydock.bench.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Number formatting and column alignment shared by the table and the reports. */
public final class Format {
    private Format() {}

    /** Nanoseconds with a unit chosen for 3–4 significant digits: "812 ns", "12.3 us", "4.56 ms", "1.234 s". */
    public static String nanos(double ns) {
        if (Double.isNaN(ns)) return "-";
        double a = Math.abs(ns);
        if (a < 1e3) return String.format(Locale.ROOT, "%.0f ns", ns);
        if (a < 1e6) return String.format(Locale.ROOT, "%.3g us", ns / 1e3);
        if (a < 1e9) return String.format(Locale.ROOT, "%.3g ms", ns / 1e6);
        return String.format(Locale.ROOT, "%.4g s", ns / 1e9);
    }

    /** A count or other metric value: grouped integers, or 3 significant digits when fractional. */
    public static String number(double v) {
        if (Double.isNaN(v)) return "-";
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return String.format(Locale.ROOT, "%,d", (long) v);
        return String.format(Locale.ROOT, Math.abs(v) >= 1000 ? "%,.1f" : "%.3g", v);
    }

    public static String percent(double fraction) {
        return Double.isNaN(fraction) ? "-" : String.format(Locale.ROOT, "%.1f%%", fraction * 100);
    }

    public static String ratio(double r) {
        return Double.isNaN(r) ? "-" : String.format(Locale.ROOT, "%.3f", r);
    }

    /** Left-aligns the first column and right-aligns the others; rows may be shorter than the header. */
    public static String columns(List<List<String>> rows) {
        int cols = 0;
        for (List<String> r : rows) cols = Math.max(cols, r.size());
        int[] width = new int[cols];
        for (List<String> r : rows) for (int i = 0; i < r.size(); i++) width[i] = Math.max(width[i], r.get(i).length());
        StringBuilder sb = new StringBuilder();
        for (List<String> r : rows) {
            List<String> cells = new ArrayList<>();
            for (int i = 0; i < r.size(); i++) {
                String c = r.get(i);
                String pad = " ".repeat(width[i] - c.length());
                cells.add(i == 0 ? c + pad : pad + c);
            }
            sb.append(String.join("  ", cells).stripTrailing()).append('\n');
        }
        return sb.toString();
    }

    /** A file-name-safe slug: "dax vs read" → "dax-vs-read". */
    public static String slug(String name) {
        String s = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-+|-+$)", "");
        return s.isEmpty() ? "bench" : s.length() > 60 ? s.substring(0, 60) : s;
    }
}
