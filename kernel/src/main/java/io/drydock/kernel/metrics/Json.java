package io.drydock.kernel.metrics;

import java.util.Iterator;
import java.util.Map;

/** Writes the registry's snapshot (maps of strings, numbers, nested maps) as JSON. Nothing more general. */
final class Json {
    private Json() {}

    static String write(Map<String, Object> map) {
        StringBuilder sb = new StringBuilder();
        object(sb, map);
        return sb.toString();
    }

    private static void object(StringBuilder sb, Map<?, ?> map) {
        sb.append('{');
        Iterator<? extends Map.Entry<?, ?>> it = map.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<?, ?> e = it.next();
            string(sb, String.valueOf(e.getKey()));
            sb.append(':');
            value(sb, e.getValue());
            if (it.hasNext()) sb.append(',');
        }
        sb.append('}');
    }

    private static void value(StringBuilder sb, Object v) {
        switch (v) {
            case null -> sb.append("null");
            case Number n -> sb.append(n);
            case Boolean b -> sb.append(b);
            case Map<?, ?> m -> object(sb, m);
            default -> string(sb, v.toString());
        }
    }

    private static void string(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
                    else sb.append(c);
                }
            }
        }
        sb.append('"');
    }
}
