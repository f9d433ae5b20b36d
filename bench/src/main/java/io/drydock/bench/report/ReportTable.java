package io.drydock.bench.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One table of a report, as cells: what the terminal prints in aligned columns, the HTML report as a
 * {@code <table>} and the Markdown report as a pipe table, from the same rows. The first column is the
 * row's name (left-aligned); the others are values (right-aligned).
 *
 * @param title  a caption ("wall time", "per MiB"), or empty
 * @param header the column names
 * @param rows   the values, each row at most as long as the header: strings as they are, numbers formatted
 *               when shown ({@link #cell}) and kept as numbers in the JSON, null shown as "-"
 * @param note   a line printed under the table, or empty
 */
public record ReportTable(String title, List<String> header, List<List<Object>> rows, String note) {
    public ReportTable {
        title = title == null ? "" : title;
        note = note == null ? "" : note;
        header = List.copyOf(header);
        rows = rows.stream().map(r -> java.util.Collections.unmodifiableList(new ArrayList<Object>(r))).toList();
        for (List<Object> r : rows) {
            if (r.size() > header.size()) {
                throw new IllegalArgumentException("table '" + title + "': a row has " + r.size() + " cells, the header " + header.size());
            }
        }
    }

    /**
     * A table from a script's rows: maps (their keys, in order of first appearance, are the columns) or lists
     * (then {@code columns} names them). Numbers are formatted as the report formats numbers.
     */
    public static ReportTable of(String title, List<?> columns, List<?> rows, String note) {
        List<String> header = new ArrayList<>();
        if (columns != null) columns.forEach(c -> header.add(String.valueOf(c)));
        boolean maps = !rows.isEmpty() && rows.getFirst() instanceof Map<?, ?>;
        if (maps && header.isEmpty()) {
            for (Object r : rows) {
                if (!(r instanceof Map<?, ?> m)) throw new IllegalArgumentException("table '" + title + "': mix of maps and lists");
                for (Object k : m.keySet()) if (!header.contains(String.valueOf(k))) header.add(String.valueOf(k));
            }
        }
        List<List<Object>> cells = new ArrayList<>();
        for (Object r : rows) {
            List<Object> row = new ArrayList<>();
            switch (r) {
                case Map<?, ?> m -> {
                    Map<String, Object> byName = new java.util.HashMap<>();
                    m.forEach((k, v) -> byName.put(String.valueOf(k), v));
                    for (String h : header) row.add(plain(byName.get(h)));
                }
                case List<?> l -> l.forEach(v -> row.add(plain(v)));
                default -> throw new IllegalArgumentException("table '" + title + "': a row must be a map or a list, was "
                        + (r == null ? "null" : r.getClass().getSimpleName()));
            }
            cells.add(row);
        }
        if (header.isEmpty()) throw new IllegalArgumentException("table '" + title + "': name the columns (rows as maps, or columns: [...])");
        return new ReportTable(title, header, cells, note);
    }

    /** A script's value as a table value: numbers and null as they are, anything else (a GString) as text. */
    private static Object plain(Object v) {
        return v == null || v instanceof Number || v instanceof Boolean ? v : String.valueOf(v);
    }

    /** The rows as shown: every value through {@link #cell}. */
    public List<List<String>> cells() {
        return rows.stream().map(r -> r.stream().map(ReportTable::cell).toList()).toList();
    }

    /** A value as a cell: numbers grouped or to 3 significant digits, null as "-". */
    public static String cell(Object v) {
        return switch (v) {
            case null -> "-";
            case Double d -> Format.number(d);
            case Float f -> Format.number(f);
            case java.math.BigDecimal b -> Format.number(b.doubleValue());
            case Number n -> Format.number(n.doubleValue());
            default -> String.valueOf(v);
        };
    }

    /** Aligned columns, as the terminal shows it (title above, note below when present). */
    public String text() {
        return (title.isEmpty() ? "" : title + ":\n") + columns() + (note.isEmpty() ? "" : note + "\n");
    }

    /** The header and rows in aligned columns, without title and note. */
    public String columns() {
        List<List<String>> all = new ArrayList<>();
        all.add(header);
        all.addAll(cells());
        return Format.columns(all);
    }

    /** A GitHub-flavoured Markdown pipe table. */
    public String markdown() {
        StringBuilder sb = new StringBuilder();
        if (!title.isEmpty()) sb.append("**").append(mdCell(title)).append("**\n\n");
        sb.append("| ").append(String.join(" | ", header.stream().map(ReportTable::mdCell).toList())).append(" |\n|");
        for (int i = 0; i < header.size(); i++) sb.append(i == 0 ? ":---|" : "---:|");
        sb.append('\n');
        for (List<String> r : cells()) {
            sb.append('|');
            for (int i = 0; i < header.size(); i++) sb.append(' ').append(i < r.size() ? mdCell(r.get(i)) : "").append(" |");
            sb.append('\n');
        }
        if (!note.isEmpty()) sb.append('\n').append(mdCell(note)).append('\n');
        return sb.toString();
    }

    /** An HTML {@code <table>} with its caption; value columns are right-aligned ({@code class="num"}). */
    public String html() {
        StringBuilder sb = new StringBuilder("<table>\n");
        if (!title.isEmpty()) sb.append("<caption>").append(Report.escape(title)).append("</caption>\n");
        sb.append("<thead><tr>");
        for (int i = 0; i < header.size(); i++) {
            sb.append(i == 0 ? "<th>" : "<th class=\"num\">").append(Report.escape(header.get(i))).append("</th>");
        }
        sb.append("</tr></thead>\n<tbody>\n");
        for (List<String> r : cells()) {
            sb.append("<tr>");
            for (int i = 0; i < header.size(); i++) {
                String c = i < r.size() ? r.get(i) : "";
                sb.append(i == 0 ? "<th scope=\"row\">" : "<td class=\"num\">").append(Report.escape(c)).append(i == 0 ? "</th>" : "</td>");
            }
            sb.append("</tr>\n");
        }
        sb.append("</tbody>\n</table>\n");
        if (!note.isEmpty()) sb.append("<p class=\"note\">").append(Report.escape(note)).append("</p>\n");
        return sb.toString();
    }

    private static String mdCell(String s) {
        return Objects.requireNonNullElse(s, "").replace("|", "\\|").replace("\n", " ");
    }
}
