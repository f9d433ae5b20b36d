package io.drydock.bench.report;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Line2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A chart as a list of marks (boxes, lines, texts) on a canvas, drawn the same way into a PNG (Java2D)
 * and an SVG whose texts are real {@code <text>} elements (searchable, selectable, read by screen
 * readers) and whose series marks carry {@code data-series} and a {@code <title>} tooltip. Text widths
 * for layout come from the same font the PNG uses.
 */
final class Drawing {
    static {
        // Drawn off-screen; without this a JVM with a DISPLAY would try to open it.
        if (System.getProperty("java.awt.headless") == null) System.setProperty("java.awt.headless", "true");
    }

    static final String FONT_FAMILY = "DejaVu Sans";
    private static final String SVG_FONTS = "'DejaVu Sans', Verdana, Arial, sans-serif";

    enum Anchor { START, MIDDLE, END }

    sealed interface Mark permits Box, Stroke, Text {}

    /** A filled rectangle; {@code series} names what it shows (null for decoration). */
    record Box(double x, double y, double w, double h, Color fill, String series) implements Mark {}

    record Stroke(double x1, double y1, double x2, double y2, Color colour, double width, String series) implements Mark {}

    /** A text whose baseline starts, centres or ends at (x, y). */
    record Text(double x, double y, String text, float size, boolean bold, Anchor anchor, Color colour) implements Mark {}

    final int width;
    final int height;
    final String title;
    final List<Mark> marks = new ArrayList<>();

    Drawing(int width, int height, String title) {
        this.width = width;
        this.height = height;
        this.title = title;
    }

    private static final Graphics2D MEASURE = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB).createGraphics();

    static Font font(float size, boolean bold) { return new Font(FONT_FAMILY, bold ? Font.BOLD : Font.PLAIN, 1).deriveFont(size); }

    /** The advance width of {@code s} in the chart font. */
    static double textWidth(String s, float size, boolean bold) {
        synchronized (MEASURE) {
            FontMetrics fm = MEASURE.getFontMetrics(font(size, bold));
            return fm.stringWidth(s);
        }
    }

    void png(OutputStream out) throws IOException {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            for (Mark m : marks) {
                switch (m) {
                    case Box b -> { g.setColor(b.fill()); g.fill(new Rectangle2D.Double(b.x(), b.y(), b.w(), b.h())); }
                    case Stroke s -> {
                        g.setColor(s.colour());
                        g.setStroke(new BasicStroke((float) s.width()));
                        g.draw(new Line2D.Double(s.x1(), s.y1(), s.x2(), s.y2()));
                    }
                    case Text t -> {
                        g.setColor(t.colour());
                        g.setFont(font(t.size(), t.bold()));
                        double w = g.getFontMetrics().getStringBounds(t.text(), g).getWidth();
                        double x = switch (t.anchor()) { case START -> t.x(); case MIDDLE -> t.x() - w / 2; case END -> t.x() - w; };
                        g.drawString(t.text(), (float) x, (float) t.y());
                    }
                }
            }
        } finally {
            g.dispose();
        }
        ImageIO.write(img, "png", out);
    }

    String svg() {
        StringBuilder sb = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
                .append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(width).append("\" height=\"").append(height)
                .append("\" viewBox=\"0 0 ").append(width).append(' ').append(height).append("\" font-family=\"")
                .append(SVG_FONTS).append("\">\n<title>").append(Report.escape(title)).append("</title>\n")
                .append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        for (Mark m : marks) {
            switch (m) {
                case Box b -> sb.append("<rect x=\"").append(n(b.x())).append("\" y=\"").append(n(b.y())).append("\" width=\"")
                        .append(n(b.w())).append("\" height=\"").append(n(b.h())).append("\" fill=\"").append(rgb(b.fill())).append('"')
                        .append(series(b.series(), "rect"));
                case Stroke s -> sb.append("<line x1=\"").append(n(s.x1())).append("\" y1=\"").append(n(s.y1())).append("\" x2=\"")
                        .append(n(s.x2())).append("\" y2=\"").append(n(s.y2())).append("\" stroke=\"").append(rgb(s.colour()))
                        .append("\" stroke-width=\"").append(n(s.width())).append('"').append(series(s.series(), "line"));
                case Text t -> sb.append("<text x=\"").append(n(t.x())).append("\" y=\"").append(n(t.y())).append("\" font-size=\"")
                        .append(n(t.size())).append('"').append(t.bold() ? " font-weight=\"bold\"" : "")
                        .append(switch (t.anchor()) { case START -> ""; case MIDDLE -> " text-anchor=\"middle\""; case END -> " text-anchor=\"end\""; })
                        .append(" fill=\"").append(rgb(t.colour())).append("\">").append(Report.escape(t.text())).append("</text>\n");
            }
        }
        return sb.append("</svg>\n").toString();
    }

    /** Closes a shape: empty, or with the series it shows as attribute and tooltip. */
    private static String series(String name, String tag) {
        return name == null ? "/>\n"
                : " data-series=\"" + Report.escape(name) + "\"><title>" + Report.escape(name) + "</title></" + tag + ">\n";
    }

    private static String n(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.2f", v);
    }

    static String rgb(Color c) {
        return String.format(Locale.ROOT, "rgb(%d,%d,%d)", c.getRed(), c.getGreen(), c.getBlue());
    }
}
