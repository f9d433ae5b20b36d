package io.drydock.kernel.machine;

import io.drydock.kernel.memory.Sizes;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The named options of a DSL word or command line ({@code virtioFs tag: 'myfs', dir: 'export'}), read with
 * types and defaults; {@link #finish()} rejects options nobody read, naming the known ones — so a typo is
 * an error, not a silently ignored setting. Sizes accept numbers of bytes ({@code 256.MiB}) or text ("256M").
 */
public final class Options {
    private final String word;
    private final Map<String, Object> values;
    private final Set<String> known = new LinkedHashSet<>();

    public Options(String word, Map<String, ?> values) {
        this.word = word;
        this.values = new LinkedHashMap<>(values == null ? Map.of() : values);
    }

    public String word() { return word; }

    public boolean has(String key) {
        known.add(key);
        return values.containsKey(key) && values.get(key) != null;
    }

    public String string(String key, String defaultValue) {
        known.add(key);
        Object v = values.get(key);
        return v == null ? defaultValue : v.toString();
    }

    public String requireString(String key) {
        String v = string(key, null);
        if (v == null || v.isBlank()) {
            // "tagg: 'x'" means tag: the typo is the error, not the missing option
            for (String given : values.keySet()) {
                if (!known.contains(given) && key.equals(Suggestions.closest(given, Set.of(key)))) throw unknown(given);
            }
            throw error("needs " + key + ": ...");
        }
        return v;
    }

    public Path path(String key, Path defaultValue) {
        String v = string(key, null);
        return v == null ? defaultValue : Path.of(v);
    }

    public long bytes(String key, long defaultValue) {
        known.add(key);
        Object v = values.get(key);
        try {
            // if/else rather than a type switch: each type switch spins a class at its first use (~1 ms of a
            // cold scripts/run, which the AOT cache cannot hold), and every boot reads its options here.
            if (v == null) return defaultValue;
            return v instanceof Number n ? n.longValue() : Sizes.parse(v.toString());
        } catch (IllegalArgumentException e) {
            throw error(key + ": " + e.getMessage());
        }
    }

    public int integer(String key, int defaultValue) {
        known.add(key);
        Object v = values.get(key);
        try {
            if (v == null) return defaultValue; // if/else rather than a type switch: see bytes()
            return v instanceof Number n ? Math.toIntExact(n.longValue()) : Integer.parseInt(v.toString().trim());
        } catch (ArithmeticException | NumberFormatException e) {
            throw error(key + ": not a whole number: " + v);
        }
    }

    public boolean bool(String key, boolean defaultValue) {
        known.add(key);
        Object v = values.get(key);
        if (v == null) return defaultValue; // if/else rather than a type switch: see bytes()
        if (v instanceof Boolean b) return b;
        return switch (v.toString().trim().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on", "1" -> true;
            case "false", "no", "off", "0" -> false;
            default -> throw error(key + ": not true or false: " + v);
        };
    }

    /** One of {@code choices} (case-insensitive), or the default. */
    public String choice(String key, String defaultValue, String... choices) {
        String v = string(key, defaultValue);
        for (String c : choices) if (c.equalsIgnoreCase(v)) return c;
        throw error(key + ": '" + v + "' is not one of " + String.join(", ", choices));
    }

    /** Fails if an option was given that no reader asked for. */
    public void finish() {
        for (String k : values.keySet()) {
            if (!known.contains(k)) throw unknown(k);
        }
    }

    private IllegalArgumentException unknown(String k) {
        return error("unknown option '" + k + "'" + Suggestions.didYouMean(k, known) + (known.isEmpty() ? " (it takes none)"
                : " (known: " + String.join(", ", known) + ")"));
    }

    public IllegalArgumentException error(String message) {
        return new IllegalArgumentException(word + ": " + message);
    }
}
