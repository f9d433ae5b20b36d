package io.drydock.bench.report;

import io.drydock.bench.run.Environment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The human report of a bench or sweep: tables and charts on one page, as Markdown and as HTML. */
final class Report {
    private Report() {}

    static void write(Path dir, String title, List<String> tables, Map<String, Charts.ChartFiles> charts,
                      Environment env) throws IOException {
        String envLine = "%s · %s · %d cores · Java %s · %s%s".formatted(env.date(), env.host(), env.cores(),
                env.javaVersion(), env.os(), env.gitCommit() == null ? "" : " · commit " + env.gitCommit());
        StringBuilder md = new StringBuilder("# ").append(title).append("\n\n").append(envLine).append("\n\n");
        for (String t : tables) md.append("```\n").append(t.stripTrailing()).append("\n```\n\n");
        charts.forEach((metric, f) -> md.append("![").append(Charts.label(metric)).append("](")
                .append(f.svg().getFileName()).append(")\n\n"));
        md.append("Raw data: `").append(Files.exists(dir.resolve("sweep.json")) ? "sweep.json" : "result.json").append("`\n");
        Files.writeString(dir.resolve("report.md"), md);

        StringBuilder html = new StringBuilder("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>")
                .append(escape(title)).append("</title>\n<style>body{font-family:sans-serif;margin:2em}"
                        + "pre{background:#f6f6f6;padding:1em;overflow-x:auto}</style></head><body>\n<h1>")
                .append(escape(title)).append("</h1>\n<p>").append(escape(envLine)).append("</p>\n");
        for (String t : tables) html.append("<pre>").append(escape(t.stripTrailing())).append("</pre>\n");
        charts.forEach((metric, f) -> html.append("<figure><img src=\"").append(f.svg().getFileName())
                .append("\" alt=\"").append(escape(Charts.label(metric))).append("\"></figure>\n"));
        html.append("</body></html>\n");
        Files.writeString(dir.resolve("report.html"), html);
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
