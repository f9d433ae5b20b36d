package io.drydock.bench.report;

import java.awt.Color;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A horizontal bar chart that stays legible from 2 to dozens of bars: one row per bar with its name on the
 * left (no legend needed to tell bars apart), the value written at the bar's end, the 95 % interval as a
 * whisker, an axis in SI units ({@code 20 ms}, {@code 80 M}, never {@code 8E7}), optional sections (a
 * sweep's points) and colours by a key — the variant, or a group the variants share — with a legend that
 * wraps to as many lines as it needs. The canvas grows with the number of rows.
 */
final class BarChart {
    /** One bar: a row name, its value and interval half width (NaN: none), and the key that picks its colour. */
    record Bar(String label, double value, double error, String colourKey) {}

    /** Rows in order; a non-null {@code heading} starts a section ("blockSize=4096"). */
    record Row(String heading, Bar bar) {
        static Row heading(String h) { return new Row(h, null); }
        static Row of(Bar b) { return new Row(null, b); }
    }

    /** How values are shown: divided by {@code divisor}, with {@code suffix} ("ms", "M", ""). */
    record Unit(double divisor, String suffix) {
        String format(double v) {
            if (v == 0) return "0";
            double x = v / divisor;
            String num = Math.abs(x) >= 100 ? String.format(Locale.ROOT, "%.0f", x)
                    : Math.abs(x) >= 10 ? String.format(Locale.ROOT, "%.1f", x) : String.format(Locale.ROOT, "%.2f", x);
            return suffix.isEmpty() ? num : num + " " + suffix;
        }

        /** An axis tick: as {@link #format}, without trailing zeros ("2 ms", "2.5 ms"). */
        String tick(double v) {
            if (v == 0) return "0";
            String num = new java.math.BigDecimal(v / divisor).round(new java.math.MathContext(6)).stripTrailingZeros().toPlainString();
            return suffix.isEmpty() ? num : num + " " + suffix;
        }
    }

    static final int WIDTH = 900;
    private static final float FONT = 12f;
    private static final int ROW = 22, BAR = 15, PAD = 12;
    private static final Color AXIS = new Color(90, 90, 90), GRID = new Color(225, 225, 225), INK = new Color(30, 30, 30);

    /** Nanoseconds in the unit that suits {@code max}: s, ms, µs or ns. */
    static Unit time(double max) {
        if (max >= 1e9) return new Unit(1e9, "s");
        if (max >= 1e6) return new Unit(1e6, "ms");
        if (max >= 1e3) return new Unit(1e3, "µs");
        return new Unit(1, "ns");
    }

    /** A count with an SI prefix that suits {@code max}: k, M, G, T (none below 1000). */
    static Unit count(double max) {
        double a = Math.abs(max);
        if (a >= 1e12) return new Unit(1e12, "T");
        if (a >= 1e9) return new Unit(1e9, "G");
        if (a >= 1e6) return new Unit(1e6, "M");
        if (a >= 1e3) return new Unit(1e3, "k");
        return new Unit(1, "");
    }

    static Drawing draw(String title, String axisTitle, List<Row> rows, Unit unit) {
        List<Bar> bars = rows.stream().filter(r -> r.bar() != null).map(Row::bar).toList();
        Map<String, Color> colours = new LinkedHashMap<>();
        for (Bar b : bars) colours.computeIfAbsent(b.colourKey(), k -> palette(colours.size()));
        boolean legend = bars.stream().anyMatch(b -> !b.colourKey().equals(b.label()));

        // The axis covers the values and their intervals, but an interval never stretches it beyond twice the
        // largest value (one wild run would squash every bar), nor below zero when no value is negative (a wall
        // time is never negative, whatever its interval says): whiskers are clipped there, without a cap.
        double labelW = 0, valueW = 0, vmin = 0, vmax = 0, emin = 0, emax = 0;
        for (Row r : rows) {
            if (r.heading() != null) labelW = Math.max(labelW, Drawing.textWidth(r.heading(), FONT, true));
            if (r.bar() == null) continue;
            Bar b = r.bar();
            labelW = Math.max(labelW, Drawing.textWidth(b.label(), FONT, false));
            valueW = Math.max(valueW, Drawing.textWidth(valueLabel(b, unit), FONT, false));
            double e = Double.isFinite(b.error()) ? b.error() : 0;
            vmax = Math.max(vmax, b.value());
            vmin = Math.min(vmin, b.value());
            emax = Math.max(emax, b.value() + e);
            emin = Math.min(emin, b.value() - e);
        }
        double hi = vmax > 0 ? Math.min(emax, 2 * vmax) : emax, lo = vmin < 0 ? Math.max(emin, 2 * vmin) : 0;
        labelW = Math.min(labelW, WIDTH * 0.4);
        double[] ticks = ticks(lo, hi);
        double x0 = PAD + labelW + PAD, x1 = WIDTH - PAD - valueW - 8;
        double min = ticks[0], max = ticks[ticks.length - 1];
        java.util.function.DoubleUnaryOperator x = v -> x0 + (v - min) / (max - min) * (x1 - x0);

        // legend lines: swatch + key, wrapped to the width
        List<List<String>> legendLines = new ArrayList<>();
        if (legend) {
            double used = 0;
            List<String> line = new ArrayList<>();
            for (String k : colours.keySet()) {
                double w = 14 + 6 + Drawing.textWidth(k, FONT, false) + 18;
                if (!line.isEmpty() && used + w > WIDTH - 2 * PAD) { legendLines.add(line); line = new ArrayList<>(); used = 0; }
                line.add(k);
                used += w;
            }
            legendLines.add(line);
        }
        double top = PAD + 18 + 8 + legendLines.size() * 20 + (legend ? 6 : 0);
        int height = (int) Math.ceil(top + rows.size() * ROW + 50);
        Drawing d = new Drawing(WIDTH, height, title);
        d.marks.add(new Drawing.Text(PAD, PAD + 14, title, 15f, true, Drawing.Anchor.START, INK));
        double ly = PAD + 18 + 8 + 14;
        for (List<String> line : legendLines) {
            double lx = PAD;
            for (String k : line) {
                d.marks.add(new Drawing.Box(lx, ly - 11, 14, 14, colours.get(k), k));
                d.marks.add(new Drawing.Text(lx + 20, ly, k, FONT, false, Drawing.Anchor.START, INK));
                lx += 14 + 6 + Drawing.textWidth(k, FONT, false) + 18;
            }
            ly += 20;
        }
        double plotBottom = top + rows.size() * ROW;
        for (double t : ticks) {
            double tx = x.applyAsDouble(t);
            d.marks.add(new Drawing.Stroke(tx, top - 4, tx, plotBottom, GRID, 1, null));
            d.marks.add(new Drawing.Stroke(tx, plotBottom, tx, plotBottom + 5, AXIS, 1, null));
            d.marks.add(new Drawing.Text(tx, plotBottom + 18, unit.tick(t), FONT - 1, false, Drawing.Anchor.MIDDLE, AXIS));
        }
        d.marks.add(new Drawing.Stroke(x0, plotBottom, x1, plotBottom, AXIS, 1, null));
        d.marks.add(new Drawing.Text((x0 + x1) / 2, plotBottom + 38, axisTitle, FONT, false, Drawing.Anchor.MIDDLE, INK));

        double y = top;
        for (Row r : rows) {
            if (r.heading() != null) {
                d.marks.add(new Drawing.Text(PAD, y + ROW - 6, fit(r.heading(), labelW, true), FONT, true, Drawing.Anchor.START, INK));
            } else {
                Bar b = r.bar();
                Color c = colours.get(b.colourKey());
                double bx0 = x.applyAsDouble(Math.min(0, b.value())), bx1 = x.applyAsDouble(Math.max(0, b.value()));
                double by = y + (ROW - BAR) / 2.0;
                d.marks.add(new Drawing.Text(x0 - PAD / 2.0, y + ROW - 6, fit(b.label(), labelW, false), FONT, false, Drawing.Anchor.END, INK));
                d.marks.add(new Drawing.Box(bx0, by, Math.max(1, bx1 - bx0), BAR, c, b.label()));
                double end = bx1;
                if (Double.isFinite(b.error()) && b.error() > 0) {
                    double e0 = b.value() - b.error(), e1 = b.value() + b.error();
                    double ex0 = x.applyAsDouble(Math.max(e0, min)), ex1 = x.applyAsDouble(Math.min(e1, max));
                    double cy = by + BAR / 2.0;
                    d.marks.add(new Drawing.Stroke(ex0, cy, ex1, cy, INK, 1.2, null));
                    if (e0 >= min) d.marks.add(new Drawing.Stroke(ex0, cy - 4, ex0, cy + 4, INK, 1.2, null));
                    if (e1 <= max) d.marks.add(new Drawing.Stroke(ex1, cy - 4, ex1, cy + 4, INK, 1.2, null));
                    end = Math.max(end, ex1);
                }
                d.marks.add(new Drawing.Text(end + 5, y + ROW - 6, valueLabel(b, unit), FONT, false, Drawing.Anchor.START, INK));
            }
            y += ROW;
        }
        return d;
    }

    /** "12.3 ms ± 0.41" in the chart's unit. */
    static String valueLabel(Bar b, Unit unit) {
        String v = unit.format(b.value());
        // an interval below the shown precision (e.g. a fake clock's 2 ns on milliseconds) is not written
        if (!Double.isFinite(b.error()) || b.error() / unit.divisor() < 0.005) return v;
        return v + " ± " + new Unit(unit.divisor(), "").format(b.error());
    }

    /** Axis ticks from a "nice" step (1, 2, 2.5 or 5 × 10^k), covering [lo, hi], 3 to 8 of them. */
    static double[] ticks(double lo, double hi) {
        if (!(hi > lo)) hi = lo + 1;
        double raw = (hi - lo) / 5, mag = Math.pow(10, Math.floor(Math.log10(raw))), step = 10 * mag;
        for (double m : new double[]{1, 2, 2.5, 5, 10}) if (m * mag >= raw) { step = m * mag; break; }
        double start = Math.floor(lo / step) * step;
        List<Double> out = new ArrayList<>();
        for (double t = start; t < hi + step * 0.999; t += step) out.add(Math.abs(t) < step * 1e-9 ? 0 : t);
        if (out.size() < 2) out.add(start + step);
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** {@code s}, shortened with an ellipsis to fit {@code width}. */
    private static String fit(String s, double width, boolean bold) {
        if (Drawing.textWidth(s, FONT, bold) <= width) return s;
        String t = s;
        while (t.length() > 1 && Drawing.textWidth(t + "…", FONT, bold) > width) t = t.substring(0, t.length() - 1);
        return t + "…";
    }

    private static final Color[] QUALITATIVE = {
            new Color(31, 119, 180), new Color(255, 127, 14), new Color(44, 160, 44), new Color(214, 39, 40),
            new Color(148, 103, 189), new Color(140, 86, 75), new Color(227, 119, 194), new Color(127, 127, 127),
            new Color(188, 189, 34), new Color(23, 190, 207)};

    /**
     * The colour of the {@code i}th key: Tableau's ten, then the same hues lighter and darker (30 distinct
     * colours), then golden-ratio hues.
     */
    static Color palette(int i) {
        if (i < 30) {
            Color c = QUALITATIVE[i % 10];
            float[] hsb = Color.RGBtoHSB(c.getRed(), c.getGreen(), c.getBlue(), null);
            return switch (i / 10) {
                case 0 -> c;
                case 1 -> Color.getHSBColor(hsb[0], hsb[1] * 0.45f, Math.min(1f, hsb[2] * 1.1f));
                default -> Color.getHSBColor(hsb[0], Math.min(1f, hsb[1] * 1.1f), hsb[2] * 0.55f);
            };
        }
        return Color.getHSBColor((float) ((i * 0.618033988749895) % 1), 0.75f, 0.85f);
    }
}
