package io.drydock.bench.run;

import java.util.Map;

/**
 * One measured run: which variant, in which round and at which position within the round, its wall time
 * and its metric deltas (every metric any source reported, zero included).
 */
public record RunRecord(String variant, int round, int position, long wallNs, Map<String, Long> metrics) {
    public RunRecord {
        metrics = Map.copyOf(metrics);
    }
}
