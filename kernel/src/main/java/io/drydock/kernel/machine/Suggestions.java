package io.drydock.kernel.machine;

import java.util.Collection;
import java.util.Locale;

/**
 * "Did you mean" for unknown words, options, commands and components: the known name closest to what was
 * typed (edit distance, case ignored), when it is close enough to be a typo.
 */
public final class Suggestions {
    private Suggestions() {}

    /** The closest of {@code known} to {@code typed}, or null when none is plausibly meant. */
    public static String closest(String typed, Collection<String> known) {
        if (typed == null || typed.isEmpty()) return null;
        String t = typed.toLowerCase(Locale.ROOT);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : known) {
            int d = distance(t, k.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                best = k;
                bestDistance = d;
            }
        }
        // A typo is at most a third of the word wrong (one edit for short words).
        int allowed = Math.max(1, Math.min(typed.length(), best == null ? 0 : best.length()) / 3);
        return best != null && bestDistance <= allowed ? best : null;
    }

    /** " — did you mean 'pci'?", or "" when nothing is close. */
    public static String didYouMean(String typed, Collection<String> known) {
        String c = closest(typed, known);
        return c == null ? "" : " — did you mean '" + c + "'?";
    }

    /** Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps cost 1. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) d[i][0] = i;
        for (int j = 0; j <= b.length(); j++) d[0][j] = j;
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
