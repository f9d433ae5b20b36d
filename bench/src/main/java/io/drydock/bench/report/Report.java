package io.drydock.bench.report;

import io.drydock.bench.run.Environment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The human report of a bench or sweep, as Markdown and as HTML with the same content: the environment,
 * every table (as real tables: HTML {@code <table>}, Markdown pipe tables) — the measured ones and those
 * the script added — the warnings and the charts. The HTML embeds its charts (SVG data URIs), so the one
 * file can be mailed or moved; the Markdown links the SVG files beside it.
 */
final class Report {
    private Report() {}

    /** A part of the report: a heading (empty for a bench's only section), a how-it-ran line, tables, warnings. */
    record Section(String heading, String line, List<ReportTable> tables, List<String> warnings) {}

    static void write(Path dir, String title, List<Section> sections, Map<String, Charts.ChartFiles> charts,
                      Environment env, String rawData) throws IOException {
        List<String[]> envRows = environment(env);
        StringBuilder md = new StringBuilder("# ").append(title).append("\n\n");
        md.append("| environment | |\n|:---|:---|\n");
        for (String[] e : envRows) md.append("| ").append(e[0]).append(" | ").append(e[1].replace("|", "\\|")).append(" |\n");
        md.append('\n');
        for (Section s : sections) {
            if (!s.heading().isEmpty()) md.append("## ").append(s.heading()).append("\n\n");
            if (!s.line().isEmpty()) md.append(s.line()).append("\n\n");
            for (ReportTable t : s.tables()) md.append(t.markdown()).append('\n');
            for (String w : s.warnings()) md.append("> **warning:** ").append(w).append("\n\n");
        }
        if (!charts.isEmpty()) md.append("## Charts\n\n");
        charts.forEach((metric, f) -> md.append("![").append(Charts.label(metric)).append("](")
                .append(f.svg().getFileName()).append(")\n\n"));
        md.append("Raw data: `").append(rawData).append("`\n");
        Files.writeString(dir.resolve("report.md"), md);

        StringBuilder html = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>")
                .append(escape(title)).append("</title>\n<style>\n").append(CSS).append("</style></head><body>\n<h1>")
                .append(escape(title)).append("</h1>\n<table class=\"env\">\n<caption>environment</caption>\n<tbody>\n");
        for (String[] e : envRows) {
            html.append("<tr><th scope=\"row\">").append(escape(e[0])).append("</th><td>").append(escape(e[1])).append("</td></tr>\n");
        }
        html.append("</tbody>\n</table>\n");
        for (Section s : sections) {
            html.append("<section>\n");
            if (!s.heading().isEmpty()) html.append("<h2>").append(escape(s.heading())).append("</h2>\n");
            if (!s.line().isEmpty()) html.append("<p>").append(escape(s.line())).append("</p>\n");
            for (ReportTable t : s.tables()) html.append("<div class=\"wide\">").append(t.html()).append("</div>\n");
            if (!s.warnings().isEmpty()) {
                html.append("<ul class=\"warnings\">\n");
                for (String w : s.warnings()) html.append("<li>").append(escape(w)).append("</li>\n");
                html.append("</ul>\n");
            }
            html.append("</section>\n");
        }
        if (!charts.isEmpty()) html.append("<h2>Charts</h2>\n");
        for (Map.Entry<String, Charts.ChartFiles> c : charts.entrySet()) {
            byte[] svg = Files.readAllBytes(c.getValue().svg());
            html.append("<figure><img src=\"data:image/svg+xml;base64,").append(Base64.getEncoder().encodeToString(svg))
                    .append("\" alt=\"chart: ").append(escape(Charts.label(c.getKey()))).append("\"><figcaption>")
                    .append(escape(Charts.label(c.getKey()))).append(" — <a href=\"").append(c.getValue().svg().getFileName())
                    .append("\">SVG</a>, <a href=\"").append(c.getValue().png().getFileName()).append("\">PNG</a></figcaption></figure>\n");
        }
        html.append("<p>Raw data: <a href=\"").append(rawData).append("\">").append(rawData).append("</a></p>\n</body></html>\n");
        Files.writeString(dir.resolve("report.html"), html);
    }

    private static List<String[]> environment(Environment env) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[]{"date", env.date().toString()});
        rows.add(new String[]{"host", env.host() + ", " + env.cores() + " cores"});
        rows.add(new String[]{"Java", env.javaVersion() + " (" + env.javaVm() + "), max heap " + Format.number(env.maxHeapBytes() >> 20) + " MiB"});
        rows.add(new String[]{"OS", env.os()});
        if (env.gitCommit() != null) rows.add(new String[]{"commit", env.gitCommit()});
        return rows;
    }

    private static final String CSS = """
            body{font-family:'DejaVu Sans',Verdana,Arial,sans-serif;margin:2em auto;max-width:75em;padding:0 1em;color:#1e1e1e}
            h1{font-size:1.6em}h2{font-size:1.25em;margin-top:1.6em;border-bottom:1px solid #ddd}
            table{border-collapse:collapse;margin:0.8em 0 1.4em;font-size:0.9em;font-variant-numeric:tabular-nums}
            caption{text-align:left;font-weight:bold;padding:0.3em 0}
            th,td{border:1px solid #ccc;padding:0.25em 0.6em;white-space:nowrap}
            thead th{background:#eef2f7}tbody tr:nth-child(even){background:#f7f7f7}
            th[scope=row]{text-align:left;font-weight:normal}td.num,th.num{text-align:right}
            table.env td{white-space:normal}div.wide{overflow-x:auto}
            ul.warnings{background:#fff4e5;border-left:4px solid #f0a030;padding:0.4em 0.8em 0.4em 2em;font-size:0.9em}
            ul.warnings::before{content:"warnings";font-weight:bold;margin-left:-1.2em}
            thead th:first-child{text-align:left}
            .note{color:#555;font-size:0.9em;margin-top:-1em}
            figure{margin:1em 0}figure img{max-width:100%;height:auto;border:1px solid #eee}
            figcaption{color:#555;font-size:0.9em}
            """;

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
